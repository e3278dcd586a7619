// SPDX-License-Identifier: GPL-3.0-or-later
// half_close_data_after_close: the first closer's peer kept sending data after the FIN, and the
// first closer answered with a RST: its application had called close(), not shutdown(SHUT_WR),
// and data arriving after close() is answered with a RST and discarded (Linux
// tcp_rcv_state_process, TcpExtTCPAbortOnData; facts §1). A true half-close (shutdown) reads
// that data and ends with FINs.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectHalfCloseDataAfterClose(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& c : block.connections()) {
        if (!c.has(Connection::HalfClose) || c.closeKind != CloseKind::Rst || c.has(Connection::FinWait2Timeout))
            continue;
        if (c.activeCloser != Closer::Client && c.activeCloser != Closer::Server)
            continue;
        const Side closer = c.activeCloser == Closer::Client ? Side::Client : Side::Server;
        const auto segs = block.segmentsOf(c);
        const int fin = firstFin(segs, closer);
        if (fin < 0)
            continue;
        const int rst = findFrom(segs, fin + 1, closer, isRst);
        if (rst < 0)
            continue;
        // The RST must answer data: data segments of the peer were seen since the FIN.
        int data = -1;
        for (int i = fin + 1; i < rst; ++i) {
            const ControlSegment& s = segs[static_cast<std::size_t>(i)];
            if (!isTapCopy(s) && s.from() != closer && s.payload > 0)
                data = i;
        }
        if (data < 0 && segs[static_cast<std::size_t>(rst)].dataBefore == 0)
            continue;
        const ControlSegment& r = segs[static_cast<std::size_t>(rst)];
        std::string text = tupleText(a, c) + ": the " + sideName(other(closer)) + " sent data after the " + sideName(closer) + "'s FIN (" +
                           frameRef(segs[static_cast<std::size_t>(fin)]) + ") and the " + sideName(closer) + " answered with RST (" +
                           frameRef(r) + ", " + duration(r.ts - segs[static_cast<std::size_t>(fin)].ts) +
                           " after its FIN): it had closed the socket rather than shut down its sending side, so that data was discarded "
                           "(TcpExtTCPAbortOnData)";
        Hazard& h = out.add("half_close_data_after_close", c, r.ts, Severity::Warning,
                            "Linux tcp_rcv_state_process (TCPAbortOnData)", std::move(text));
        out.frames(h, segs, {fin, data, rst});
    }
}

} // namespace twlens::hazards
