// SPDX-License-Identifier: GPL-3.0-or-later
// rst_close (info): a connection torn down by a RST that no other detector explained. Linux
// keeps no TIME_WAIT after a RST (facts §1), so the 4-tuple is free at once. A RST without a FIN
// first is an abort (RFC 9293 §3.10.5): SO_LINGER 0, or close() with unread data
// (TcpExtTCPAbortOnClose); a RST answering a SYN refuses the connection.
#include <vector>

#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectRstClose(const Analysis& a, const std::vector<Hazard>& found, HazardList& out) {
    std::vector<bool> explained(a.connections.size());
    for (const Hazard& h : found)
        if (h.connection < explained.size())
            explained[h.connection] = true;
    for (const Connection& c : a.connections) {
        if (c.closeKind != CloseKind::Rst || explained[c.id])
            continue;
        const auto segs = a.segmentsOf(c);
        int rst = -1;
        for (int i = 0; i < static_cast<int>(segs.size()) && rst < 0; ++i)
            if (!isTapCopy(segs[static_cast<std::size_t>(i)]) && isRst(segs[static_cast<std::size_t>(i)]))
                rst = i;
        if (rst < 0)
            continue;
        const ControlSegment& r = segs[static_cast<std::size_t>(rst)];
        const Side by = r.from();
        const bool synAckSeen = findFrom(segs, 0, Side::Server, isSynAck) >= 0;
        const bool finBefore = firstFin(segs, by) >= 0 && firstFin(segs, by) < rst;
        const bool peerFinBefore = firstFin(segs, other(by)) >= 0 && firstFin(segs, other(by)) < rst;
        std::string text = tupleText(a, c) + ": ";
        std::string ref = "RFC 9293 §3.10.5";
        if (c.has(Connection::SynSeen) && !synAckSeen && by == Side::Server) {
            text += "the server answered the SYN with RST (" + frameRef(r) + "): connection refused";
            ref = "RFC 9293 §3.10.7.1";
        } else if (!finBefore) {
            text += "the " + sideName(by) + " aborted with RST (" + frameRef(r) + ", " + duration(r.ts - c.start) +
                    " after the first segment)" + (peerFinBefore ? " after the " + sideName(other(by)) + "'s FIN" : " without a FIN") +
                    " (SO_LINGER 0, or close() with unread data: TcpExtTCPAbortOnClose); no TIME_WAIT on either side";
        } else {
            text += "the " + sideName(by) + " sent RST (" + frameRef(r) + ") after its FIN; no TIME_WAIT on either side";
            ref = "RFC 9293 §3.10.7";
        }
        Hazard& h = out.add("rst_close", c, r.ts, Severity::Info, ref, std::move(text));
        out.frames(h, segs, {rst});
    }
}

} // namespace twlens::hazards
