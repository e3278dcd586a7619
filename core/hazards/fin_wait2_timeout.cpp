// SPDX-License-Identifier: GPL-3.0-or-later
// fin_wait2_timeout: the active closer's FIN was ACKed, then its orphaned FIN_WAIT_2 socket
// expired after net.ipv4.tcp_fin_timeout (tcp_timewait_state_process, TCP_FIN_WAIT2 substate),
// so the peer's late FIN met no socket and got a RST. No TIME_WAIT followed (facts §2).
#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectFinWait2Timeout(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& c : block.connections()) {
        if (!c.has(Connection::FinWait2Timeout))
            continue;
        if (c.activeCloser != Closer::Client && c.activeCloser != Closer::Server)
            continue;
        const Side closer = c.activeCloser == Closer::Client ? Side::Client : Side::Server;
        const auto segs = block.segmentsOf(c);
        const int fin = firstFin(segs, closer);
        const int peerFin = firstFin(segs, other(closer));
        if (fin < 0 || peerFin < 0)
            continue;
        const int rst = findFrom(segs, peerFin + 1, closer, isRst);
        if (rst < 0)
            continue;
        const ControlSegment& f = segs[static_cast<std::size_t>(fin)];
        const ControlSegment& pf = segs[static_cast<std::size_t>(peerFin)];
        const ControlSegment& r = segs[static_cast<std::size_t>(rst)];
        std::string text = tupleText(a, c) + ": the " + sideName(other(closer)) + "'s FIN (" + frameRef(pf) + ") came " +
                           duration(pf.ts - f.ts) + " after the " + sideName(closer) + "'s (" + frameRef(f) + ") and got RST (" +
                           frameRef(r) + "): the orphaned FIN_WAIT_2 had expired (tcp_fin_timeout = " +
                           std::to_string(a.settings.finTimeout.value) + " s); no TIME_WAIT on either side";
        Hazard& h = out.add("fin_wait2_timeout", c, r.ts, Severity::Warning,
                            "Linux tcp_fin_timeout (tcp_timewait_state_process, FIN_WAIT2)", std::move(text));
        out.frames(h, segs, {fin, peerFin, rst});
    }
}

} // namespace twlens::hazards
