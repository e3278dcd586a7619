// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Builds segment sequences in code for the reconstructor tests: one connection's two ends with
// their sequence spaces tracked (relative to ISNs the test chooses, so wraparound rows only
// change the ISNs), and explicit seq/ack where a test needs something unusual.
#include <algorithm>
#include <cstdint>
#include <cmath>
#include <cstdio>

#include <QString>
#include <string>
#include <vector>

#include "core/model/analysis.h"
#include "core/model/segment.h"
#include "core/model/tcp_flags.h"
#include "core/reconstruct/reconstructor.h"

namespace twlens::test {

enum class From { Client, Server };

class SegmentBuilder {
public:
    struct End {
        IpAddress ip;
        std::uint16_t port = 0;
        std::uint32_t isn = 0;
        std::uint32_t nxt = 0;     // next sequence number this end will send
        std::uint32_t rcvNxt = 0;  // what it ACKs
        bool hasTs = true;
        std::uint32_t tsVal = 100;
    };

    SegmentBuilder(std::vector<Segment>& out, const char* clientIp, std::uint16_t clientPort, const char* serverIp,
                   std::uint16_t serverPort, std::uint32_t clientIsn, std::uint32_t serverIsn, std::uint64_t vlan = 0)
        : out_(out), vlan_(vlan) {
        c_.ip = *IpAddress::parse(clientIp);
        s_.ip = *IpAddress::parse(serverIp);
        c_.port = clientPort;
        s_.port = serverPort;
        c_.isn = c_.nxt = clientIsn;
        s_.isn = s_.nxt = serverIsn;
    }

    static TimeNs t(double seconds) { return fromSeconds(seconds); }

    // Low level: a segment with explicit numbers (the end's tracking is not touched).
    Segment& raw(From f, double ts, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len = 0) {
        const End& src = f == From::Client ? c_ : s_;
        const End& dst = f == From::Client ? s_ : c_;
        Segment s;
        s.ts = t(ts);
        s.frame = ++frame_;
        s.src = src.ip;
        s.dst = dst.ip;
        s.srcPort = src.port;
        s.dstPort = dst.port;
        s.vlanStack = vlan_;
        s.seq = seq;
        s.ack = (flags & tcpflag::ACK) ? ack : 0;
        s.payloadLen = len;
        s.flags = flags;
        s.hasTimestamp = src.hasTs;
        s.tsVal = src.tsVal + static_cast<std::uint32_t>(std::llround(ts * 1000));
        // Unique bytes per transmission unless duplicated on purpose.
        s.contentHash = 0x9E3779B9u * static_cast<std::uint32_t>(frame_) ^ seq ^ (ack << 7) ^ flags ^ (vlanHashSalt_ << 3);
        out_.push_back(s);
        return out_.back();
    }

    // High level: sequence numbers follow each end's state.
    Segment& syn(double ts) { return send(From::Client, ts, tcpflag::SYN, 0); }
    Segment& synAck(double ts) { return send(From::Server, ts, tcpflag::SYN | tcpflag::ACK, 0); }
    Segment& ack(From f, double ts) { return send(f, ts, tcpflag::ACK, 0); }
    Segment& data(From f, double ts, std::uint32_t len) { return send(f, ts, tcpflag::ACK | tcpflag::PSH, len); }
    Segment& fin(From f, double ts) { return send(f, ts, tcpflag::FIN | tcpflag::ACK, 0); }
    Segment& rst(From f, double ts) { return send(f, ts, tcpflag::RST | tcpflag::ACK, 0); }
    // The same FIN again (same sequence number), ACKing whatever the end has received.
    Segment& finAgain(From f, double ts) {
        End& e = end(f);
        const End& peer = other(f);
        (void)peer;
        return raw(f, ts, tcpflag::FIN | tcpflag::ACK, e.nxt - 1, e.rcvNxt);
    }
    // An orderly close begun by `first`: its FIN, the peer's ACK of it, the peer's FIN, the final
    // ACK, at the times given.
    void orderlyClose(From first, double fin, double peerAck, double peerFin, double finalAck) {
        const From peer = first == From::Client ? From::Server : From::Client;
        this->fin(first, fin);
        ack(peer, peerAck);
        this->fin(peer, peerFin);
        ack(first, finalAck);
    }
    // The handshake: SYN at ts, SYN-ACK at ts + rtt/2, ACK at ts + rtt.
    void handshake(double ts, double rtt = 0.002) {
        syn(ts);
        synAck(ts + rtt / 2);
        ack(From::Client, ts + rtt);
    }
    // A byte-identical copy of the last segment dt seconds later (a capture tap seeing it twice).
    Segment& duplicateLast(double dt) {
        Segment copy = out_.back();
        copy.ts += fromSeconds(dt);
        copy.frame = ++frame_;
        out_.push_back(copy);
        return out_.back();
    }
    // Stops an end from taking in what the other sends (its ACKs stay where they are).
    void freezeAcks(From f, bool frozen) { (f == From::Client ? frozenC_ : frozenS_) = frozen; }

    End& end(From f) { return f == From::Client ? c_ : s_; }
    const End& other(From f) const { return f == From::Client ? s_ : c_; }
    void setSalt(std::uint32_t salt) { vlanHashSalt_ = salt; }

private:
    Segment& send(From f, double ts, std::uint8_t flags, std::uint32_t len) {
        End& e = end(f);
        End& peer = f == From::Client ? s_ : c_;
        const std::uint32_t seq = e.nxt;
        Segment& s = raw(f, ts, flags, seq, e.rcvNxt, len);
        e.nxt += len + ((flags & tcpflag::SYN) ? 1u : 0u) + ((flags & tcpflag::FIN) ? 1u : 0u);
        const bool peerFrozen = f == From::Client ? frozenS_ : frozenC_;
        if (!peerFrozen && !(flags & tcpflag::RST))
            peer.rcvNxt = e.nxt;
        return s;
    }

    std::vector<Segment>& out_;
    End c_, s_;
    std::uint64_t vlan_ = 0;
    std::uint64_t frame_ = 0;
    std::uint32_t vlanHashSalt_ = 0;
    bool frozenC_ = false, frozenS_ = false;
};

// Runs the reconstructor over segments (sorted by time, stable) with the given settings.
inline Analysis reconstruct(std::vector<Segment> segs, Settings settings = {}) {
    std::stable_sort(segs.begin(), segs.end(), [](const Segment& a, const Segment& b) { return a.ts < b.ts; });
    Analysis a;
    a.settings = settings;
    Reconstructor r(a);
    r.segments(segs);
    r.finish();
    return a;
}

// "SYN_SENT@0.000 ESTABLISHED@0.002 ..." for one side: what the state assertions compare.
inline QString timeline(const Analysis& a, const Connection& c, Side side) {
    std::string out;
    char buf[64];
    for (const StateChange& s : a.statesOf(c)) {
        if (s.side != side)
            continue;
        const TimeNs t = a.stateTime(c, s);
        std::snprintf(buf, sizeof buf, "%s%s@%.6f", out.empty() ? "" : " ", std::string(stateName(s.state)).c_str(),
                      toSeconds(t));
        out += buf;
    }
    return QString::fromStdString(out);
}

} // namespace twlens::test
