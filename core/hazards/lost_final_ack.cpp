// SPDX-License-Identifier: GPL-3.0-or-later
// lost_final_ack: the passive closer (LAST_ACK) sent its FIN again because the final ACK did not
// reach it (facts §3 reason 1). What followed is the consequence: a TIME_WAIT socket ACKs the
// retransmitted FIN again and restarts its timer (tcp_timewait_state_process; RFC 9293 §3.10.7.4,
// TIME-WAIT: "acknowledge it, and restart the 2 MSL timeout"), while a side whose TIME_WAIT
// socket is gone (tcp_max_tw_buckets overflow in tcp_time_wait) answers with a RST.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectLostFinalAck(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& c : block.connections()) {
        if (!c.has(Connection::LostFinalAck))
            continue;
        if (c.activeCloser != Closer::Client && c.activeCloser != Closer::Server)
            continue;
        const Side active = c.activeCloser == Closer::Client ? Side::Client : Side::Server;
        const Side passive = other(active);
        const auto segs = block.segmentsOf(c);
        const int fin = firstFin(segs, passive);
        if (fin < 0)
            continue;
        const std::uint32_t finSeq = segs[static_cast<std::size_t>(fin)].seq + segs[static_cast<std::size_t>(fin)].payload;
        const int again = findFrom(segs, fin + 1, passive, [&](const ControlSegment& s) {
            return isFin(s) && (s.meta & ControlSegment::Retransmission);
        });
        if (again < 0)
            continue;
        const auto acksFin = [&](const ControlSegment& s) {
            return !isRst(s) && (s.flags & tcpflag::ACK) && seqGeq(s.ack, finSeq + 1);
        };
        int firstAck = findFrom(segs, fin + 1, active, acksFin);
        if (firstAck > again)
            firstAck = -1;
        const int answer = findFrom(segs, again + 1, active, [](const ControlSegment&) { return true; });
        const ControlSegment& f = segs[static_cast<std::size_t>(fin)];
        const ControlSegment& r = segs[static_cast<std::size_t>(again)];
        std::string text = "final ACK of the " + sideName(passive) + "'s FIN (" + frameRef(f) + ") lost";
        text += firstAck >= 0 ? " after the capture point (the " + sideName(active) + "'s ACK, " +
                                    frameRef(segs[static_cast<std::size_t>(firstAck)]) + ", never arrived)"
                              : " (no ACK of it in the capture)";
        text += ": the " + sideName(passive) + " in LAST_ACK sent the FIN again " + duration(r.ts - f.ts) + " later (" +
                frameRef(r) + ")";
        Severity sev = Severity::Info;
        std::string ref = "RFC 9293 §3.10.7.4; Linux tcp_timewait_state_process";
        if (answer >= 0 && isRst(segs[static_cast<std::size_t>(answer)])) {
            sev = Severity::Warning;
            ref = "Linux tcp_time_wait (tcp_max_tw_buckets)";
            text += "; the " + sideName(active) + " answered with RST (" + frameRef(segs[static_cast<std::size_t>(answer)]) +
                    "): its TIME_WAIT socket was already gone";
            if (a.settings.maxTwBuckets.value == 0)
                text += " (tcp_max_tw_buckets = 0: every TIME_WAIT overflows, TcpExtTCPTimeWaitOverflow)";
            else
                text += " (TIME_WAIT overflow past tcp_max_tw_buckets counts in TcpExtTCPTimeWaitOverflow)";
        } else if (answer >= 0 && acksFin(segs[static_cast<std::size_t>(answer)])) {
            text += "; recovered: the " + sideName(active) + " ACKed it again from TIME_WAIT (" +
                    frameRef(segs[static_cast<std::size_t>(answer)]) + "), restarting its " +
                    duration(a.settings.twLength()) + " timer";
        } else {
            text += "; no answer from the " + sideName(active) + " in the capture";
        }
        Hazard& h = out.add("lost_final_ack", c, r.ts, sev, ref, tupleText(a, c) + ": " + text);
        out.frames(h, segs, {fin, firstAck, again, answer});
    }
}

} // namespace twlens::hazards
