// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the detectors share: segment predicates, the way a SYN on a reopened 4-tuple was
// answered, and the wording of numbers (ports, seconds, frames) in summaries.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model/analysis.h"
#include "core/model/tcp_flags.h"

namespace twlens::hazards {

inline bool isRst(const ControlSegment& s) { return (s.flags & tcpflag::RST) != 0; }
inline bool isSyn(const ControlSegment& s) { return (s.flags & (tcpflag::SYN | tcpflag::ACK | tcpflag::RST)) == tcpflag::SYN; }
inline bool isSynAck(const ControlSegment& s) {
    return (s.flags & (tcpflag::SYN | tcpflag::ACK | tcpflag::RST)) == (tcpflag::SYN | tcpflag::ACK);
}
inline bool isFin(const ControlSegment& s) { return !isRst(s) && (s.flags & tcpflag::FIN) != 0; }
// ACK without SYN, FIN, RST or payload.
inline bool isBareAck(const ControlSegment& s) {
    return (s.flags & (tcpflag::SYN | tcpflag::FIN | tcpflag::RST | tcpflag::ACK)) == tcpflag::ACK && s.payload == 0;
}
inline bool isTapCopy(const ControlSegment& s) { return (s.meta & ControlSegment::TapDuplicate) != 0; }
// Whether any segment (tap copies included) is a RST: a one-pass test that lets detectors whose
// hazard needs a RST skip most connections before their own scans.
inline bool anyRst(std::span<const ControlSegment> segs) {
    for (const ControlSegment& s : segs)
        if (isRst(s))
            return true;
    return false;
}

// Index of the first segment (not a tap copy) from `side` at or after `from` matching pred; -1 if none.
template <typename Pred>
int findFrom(std::span<const ControlSegment> segs, int from, Side side, Pred pred) {
    for (int i = std::max(from, 0); i < static_cast<int>(segs.size()); ++i) {
        const ControlSegment& s = segs[static_cast<std::size_t>(i)];
        if (!isTapCopy(s) && s.from() == side && pred(s))
            return i;
    }
    return -1;
}

// The model's timeWaitExpiredBy (connection.h) with the analysis' TIME_WAIT length.
inline bool timeWaitExpiredBy(TimeNs start, TimeNs t, const Settings& st) { return twlens::timeWaitExpiredBy(start, t, st.twLength()); }
// Whether the TIME_WAIT begun at `start` held the 4-tuple at `t`.
inline bool timeWaitHolds(TimeNs start, TimeNs t, const Settings& st) { return t >= start && !timeWaitExpiredBy(start, t, st); }

// The sequence number a side's first FIN occupies (after its payload), or nullopt without a FIN.
std::optional<std::uint32_t> finSequence(std::span<const ControlSegment> segs, Side side);
// Index of that first FIN, -1 if none.
int firstFin(std::span<const ControlSegment> segs, Side side);
// Highest tsVal (modular) a side sent among the kept segments; nullopt without timestamps.
std::optional<std::uint32_t> lastTsVal(std::span<const ControlSegment> segs, Side side);

// How the server side answered the client's first SYN of an incarnation (RFC 9293 §3.10.7.3,
// Linux tcp_timewait_state_process / tcp_rcv_synsent_state_process). A TIME_WAIT or LAST_ACK
// socket's ACK to that SYN, and the client's RST answering it, continue the previous
// incarnation's sequence space, so the reconstructor may file them there: `answer` and
// `clientRst` index rejectSegs(segs), which is either this incarnation's segments (those
// synAnswer was given) or the previous one's.
struct SynAnswer {
    int syn = -1;          // the client's first SYN (this incarnation)
    int answer = -1;       // the first server answer to it (in rejectSegs(segs))
    int clientRst = -1;    // the client's RST at that answer's ACK value (in rejectSegs(segs); RFC 9293 §3.10.7.3: <SEQ=SEG.ACK><CTL=RST>)
    int retry = -1;        // the client's next SYN after that answer (this incarnation)
    int synAck = -1;       // the first SYN-ACK after the SYN (this incarnation)
    int synCount = 0;      // client SYNs before that SYN-ACK (or in all, when none came)
    char answerKind = 0;   // 'S' SYN-ACK, 'A' bare ACK, 'R' RST, 0 none
    bool answerInPrevious = false;
    SegmentList previousSegs; // the previous incarnation's segments, when the answer is among them
    std::span<const ControlSegment> rejectSegs(std::span<const ControlSegment> segs) const& {
        return answerInPrevious ? previousSegs.span() : segs;
    }
    bool answeredByAck() const { return answerKind == 'A'; }
    bool answeredByRst() const { return answerKind == 'R'; }
    // SYN, ACK, RST, SYN, SYN-ACK: a Linux client's RST against the ACK that a TIME_WAIT (or
    // LAST_ACK) socket sent for its SYN, then the SYN again, accepted. The retry comes after
    // TCP_TIMEOUT_MIN on Linux 6.x, so no delay is assumed.
    bool rstThenAccepted() const { return answeredByAck() && clientRst >= 0 && synAck >= 0; }
};
// `segs` are n's segments, decoded by the caller (a detector has them already).
SynAnswer synAnswer(const Analysis& a, const Connection& n, std::span<const ControlSegment> segs);

// Wording.
std::string endpoint(const Analysis& a, const Connection& c, Side side); // "127.1.0.1:38250"
std::string tupleText(const Analysis& a, const Connection& c);          // "127.1.0.1:38250 -> 127.1.0.2:8080"
std::string sideName(Side s);                                           // "client" | "server"
std::string duration(TimeNs d);     // "1.018 s", "11.4 ms", "145 us"
std::string frameRef(const ControlSegment& s); // "frame 12"

// A block of Analysis::connections with their kept segments decoded once, for every detector
// to read (decoding each connection once per detector cost ~0.1 s on 500k connections).
class ConnectionBlock {
public:
    void load(const Analysis& a, std::span<const Connection> connections);
    std::span<const Connection> connections() const { return connections_; }
    // The segments of a connection of this block.
    std::span<const ControlSegment> segmentsOf(const Connection& c) const {
        const std::size_t i = static_cast<std::size_t>(&c - connections_.data());
        return std::span<const ControlSegment>(segments_).subspan(at_[i], c.segmentCount);
    }

private:
    std::span<const Connection> connections_;
    std::vector<ControlSegment> segments_;
    std::vector<std::size_t> at_;
};

// Appends hazards; frames are taken from the segments given (tap copies and -1 skipped).
class HazardList {
public:
    explicit HazardList(std::vector<Hazard>& out) : out_(out) {}
    Hazard& add(std::string kind, const Connection& c, TimeNs ts, Severity severity, std::string reference,
                std::string summary);
    void frames(Hazard& h, std::span<const ControlSegment> segs, std::initializer_list<int> indices);

private:
    std::vector<Hazard>& out_;
};

} // namespace twlens::hazards
