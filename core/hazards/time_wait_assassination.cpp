// SPDX-License-Identifier: GPL-3.0-or-later
// time_wait_assassination (RFC 1337): a RST whose sequence number is exactly the TIME_WAIT side's
// RCV.NXT reaches it. Linux tcp_timewait_state_process kills the TIME_WAIT socket for that RST
// while net.ipv4.tcp_rfc1337 = 0 and ignores it with 1; any other RST is dropped either way
// (facts §3), so only the exact value is reported. Two forms:
//  - a RST of the peer inside the connection (a stray segment answered by the TIME_WAIT side's
//    ACK, then the peer's RST; or a RST forged at that value);
//  - the Linux self-inflicted form on the next incarnation: the client's new SYN is answered by
//    the TIME_WAIT socket with an ACK, the client in SYN_SENT answers that ACK with a RST at its
//    ACK value (RFC 9293 §3.10.7.3), which is the TIME_WAIT side's RCV.NXT (facts §4). The SYN
//    sent again (after TCP_TIMEOUT_MIN on Linux 6.x, tcp_rcv_synsent_state_process) then succeeds.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

namespace {

std::string afterStart(TimeNs t, const TimeWaitWindow& w, const Settings& st) {
    return duration(t - w.start) + " after it began (" + duration(w.start + st.twLength() - t) + " before it would expire)";
}

// The next incarnation's SYN (`syn` in nsegs) when it came after the RST, inside the window.
std::string reopenNote(const Connection* n, std::span<const ControlSegment> nsegs, int syn, const TimeWaitWindow& w,
                       TimeNs rstTs, const Settings& st) {
    if (!n || syn < 0)
        return "";
    const TimeNs t = nsegs[static_cast<std::size_t>(syn)].ts;
    if (t < rstTs || timeWaitExpiredBy(w.start, t, st))
        return "";
    return "; connection #" + std::to_string(n->id) + " reopened the 4-tuple " + duration(t - rstTs) + " after the RST";
}

} // namespace

void detectTimeWaitAssassination(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    const bool rfc1337 = a.settings.rfc1337.value != 0;
    const std::string setting = "tcp_rfc1337 = " + std::to_string(a.settings.rfc1337.value);
    for (const Connection& c : block.connections()) {
        const auto segs = block.segmentsOf(c);
        // Either form needs a RST: the peer's in this connection, or the client's on the next
        // incarnation.
        if (c.timeWaitCount == 0 || (c.nextIncarnation == kNoIndex && !anyRst(segs)))
            continue;
        // The next incarnation and how its SYN was answered: decoded once, for both forms and
        // both windows.
        const Connection* n = c.nextIncarnation != kNoIndex ? &a.connections[c.nextIncarnation] : nullptr;
        const SegmentList nsegs = n ? a.segmentsOf(*n) : SegmentList{};
        const SynAnswer sa = n ? synAnswer(a, *n, nsegs) : SynAnswer{};
        const auto rejects = sa.rejectSegs(nsegs);
        for (std::uint8_t wi = 0; wi < c.timeWaitCount; ++wi) {
            const TimeWaitWindow& w = c.timeWait[wi];
            const Side tw = w.side, peer = other(w.side);
            const auto peerFin = finSequence(segs, peer);
            if (!peerFin)
                continue;
            const std::uint32_t rcvNxt = *peerFin + 1;
            const int twAck = findFrom(segs, firstFin(segs, peer), tw, [&](const ControlSegment& s) {
                return !isRst(s) && (s.flags & tcpflag::ACK) && seqGeq(s.ack, rcvNxt);
            });
            if (twAck < 0)
                continue;
            // Self-inflicted: the next incarnation's SYN answered by this TIME_WAIT (the server of
            // that incarnation) with an ACK, and the client's RST at that ACK's value.
            if (n) {
                const bool sameRoles = n->clientPort == c.clientPort && n->clientAddr == c.clientAddr;
                if ((sameRoles ? tw : other(tw)) == Side::Server && sa.answeredByAck() && sa.clientRst >= 0) {
                    const ControlSegment& ack = rejects[static_cast<std::size_t>(sa.answer)];
                    const ControlSegment& r = rejects[static_cast<std::size_t>(sa.clientRst)];
                    if (r.seq == rcvNxt && !timeWaitExpiredBy(w.start, r.ts, a.settings)) {
                        const ControlSegment& syn = nsegs[static_cast<std::size_t>(sa.syn)];
                        std::string text = tupleText(a, c) + ": the new SYN (" + frameRef(syn) + ", connection #" + std::to_string(n->id) +
                                           ") was answered by the " + sideName(tw) + "'s TIME_WAIT with an ACK (" + frameRef(ack) +
                                           ", ack " + std::to_string(ack.ack) + " = its RCV.NXT); the client in SYN_SENT answered with RST at seq " +
                                           std::to_string(r.seq) + " (" + frameRef(r) + ") " + afterStart(r.ts, w, a.settings);
                        Severity sev = Severity::Warning;
                        if (sa.rstThenAccepted()) {
                            text += ", which killed the TIME_WAIT: the SYN sent again";
                            if (sa.retry >= 0)
                                text += " " + duration(nsegs[static_cast<std::size_t>(sa.retry)].ts - r.ts) + " after the RST (" +
                                        frameRef(nsegs[static_cast<std::size_t>(sa.retry)]) + ")";
                            text += " got a SYN-ACK (" + frameRef(nsegs[static_cast<std::size_t>(sa.synAck)]) + ")";
                        } else if (!rfc1337) {
                            text += "; " + setting + ": that RST kills the TIME_WAIT";
                        } else {
                            sev = Severity::Info;
                            text += "; " + setting + ": ignored, the TIME_WAIT survived";
                        }
                        Hazard& h = out.add("time_wait_assassination", c, r.ts, sev,
                                            "RFC 1337; Linux tcp_timewait_state_process, tcp_rcv_synsent_state_process", std::move(text));
                        out.frames(h, segs, {twAck});
                        out.frames(h, nsegs, {sa.syn});
                        out.frames(h, rejects, {sa.answer, sa.clientRst});
                        out.frames(h, nsegs, {sa.retry, sa.synAck});
                        continue;
                    }
                }
            }
            // The peer's RST inside this connection.
            const int rst = findFrom(segs, twAck + 1, peer, [&](const ControlSegment& s) { return isRst(s) && s.seq == rcvNxt; });
            if (rst < 0)
                continue;
            const ControlSegment& r = segs[static_cast<std::size_t>(rst)];
            // Only a RST that reaches the TIME_WAIT socket while it exists: once the timer has
            // fired a RST finds no socket to kill, as the self-inflicted form above checks too.
            // (The window may end earlier, cut by this very RST.)
            if (!timeWaitHolds(w.start, r.ts, a.settings))
                continue;
            // RFC 1337 signature: a stray segment of the peer, the TIME_WAIT side's ACK repeating
            // its teardown ACK, then the RST at that ACK's value.
            int stray = -1, reAck = -1;
            for (int i = twAck + 1; i < rst; ++i) {
                const ControlSegment& s = segs[static_cast<std::size_t>(i)];
                if (isTapCopy(s))
                    continue;
                if (s.from() == peer && !isRst(s))
                    stray = i;
                else if (s.from() == tw && isBareAck(s) && s.ack == rcvNxt && stray >= 0)
                    reAck = i;
            }
            std::string text = tupleText(a, c) + ": RST from the " + sideName(peer) + " at seq " + std::to_string(r.seq) + " = the " +
                               sideName(tw) + "'s RCV.NXT (" + frameRef(r) + ") reached its TIME_WAIT " + afterStart(r.ts, w, a.settings);
            if (reAck >= 0)
                text += ", answering its ACK (" + frameRef(segs[static_cast<std::size_t>(reAck)]) + ") to a stray segment (" +
                        frameRef(segs[static_cast<std::size_t>(stray)]) + ")";
            Severity sev;
            if (!rfc1337) {
                sev = Severity::Warning;
                text += "; " + setting + ": the TIME_WAIT was killed" + reopenNote(n, nsegs, sa.syn, w, r.ts, a.settings);
            } else {
                sev = Severity::Info;
                text += "; " + setting + ": ignored, the TIME_WAIT survived";
            }
            Hazard& h = out.add("time_wait_assassination", c, r.ts, sev, "RFC 1337; Linux tcp_timewait_state_process", std::move(text));
            out.frames(h, segs, {twAck, stray, reAck, rst});
        }
    }
}

} // namespace twlens::hazards
