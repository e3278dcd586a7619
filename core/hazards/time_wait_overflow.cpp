// SPDX-License-Identifier: GPL-3.0-or-later
// time_wait_overflow: the active closer ACKed its peer's FIN, so it should have sat in TIME_WAIT,
// yet it answered a later segment of the peer with a RST: no TIME_WAIT socket existed. Linux
// tcp_time_wait destroys the socket instead when tcp_max_tw_buckets is reached
// (TcpExtTCPTimeWaitOverflow, facts §2). A retransmitted FIN after a lost final ACK is reported
// by lost_final_ack with this consequence, so it is not repeated here.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectTimeWaitOverflow(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& c : block.connections()) {
        if (c.has(Connection::LostFinalAck) || c.has(Connection::FinWait2Timeout))
            continue;
        if (c.activeCloser != Closer::Client && c.activeCloser != Closer::Server)
            continue;
        const Side closer = c.activeCloser == Closer::Client ? Side::Client : Side::Server;
        const auto segs = block.segmentsOf(c);
        if (!anyRst(segs)) // the signature ends in the closer's RST
            continue;
        const auto peerFin = finSequence(segs, other(closer));
        if (!peerFin || firstFin(segs, closer) < 0)
            continue;
        const auto acksPeerFin = [&](const ControlSegment& s) { return !isRst(s) && (s.flags & tcpflag::ACK) && seqGeq(s.ack, *peerFin + 1); };
        const int ack = findFrom(segs, firstFin(segs, other(closer)), closer, acksPeerFin);
        if (ack < 0)
            continue;
        const int stray = findFrom(segs, ack + 1, other(closer), [](const ControlSegment& s) { return !isRst(s); });
        if (stray < 0)
            continue;
        // Only while the TIME_WAIT would still hold the 4-tuple: from the closer's last ACK of the
        // FIN before the stray (each re-ACK restarts the timer). Later, no socket is left anyway
        // and answering with a RST is what any host does (tcp_v4_send_reset): no overflow.
        int lastAck = ack;
        for (int i = findFrom(segs, ack + 1, closer, acksPeerFin); i >= 0 && i < stray; i = findFrom(segs, i + 1, closer, acksPeerFin))
            lastAck = i;
        if (timeWaitExpiredBy(segs[static_cast<std::size_t>(lastAck)].ts, segs[static_cast<std::size_t>(stray)].ts, a.settings))
            continue;
        const int rst = findFrom(segs, stray + 1, closer, isRst);
        if (rst < 0)
            continue;
        const ControlSegment& r = segs[static_cast<std::size_t>(rst)];
        std::string text = tupleText(a, c) + ": the " + sideName(closer) + " ACKed the " + sideName(other(closer)) + "'s FIN (" +
                           frameRef(segs[static_cast<std::size_t>(ack)]) + ") but answered its later segment (" +
                           frameRef(segs[static_cast<std::size_t>(stray)]) + ") with RST (" + frameRef(r) + ") " +
                           duration(r.ts - segs[static_cast<std::size_t>(ack)].ts) +
                           " later: no TIME_WAIT socket (tcp_max_tw_buckets overflow, TcpExtTCPTimeWaitOverflow)";
        Hazard& h = out.add("time_wait_overflow", c, r.ts, Severity::Warning, "Linux tcp_time_wait (tcp_max_tw_buckets)",
                            std::move(text));
        out.frames(h, segs, {ack, stray, rst});
    }
}

} // namespace twlens::hazards
