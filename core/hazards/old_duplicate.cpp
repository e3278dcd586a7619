// SPDX-License-Identifier: GPL-3.0-or-later
// old_duplicate (RFC 1337 H1): after a 4-tuple was reopened, a segment of the previous
// incarnation arrives: its sequence number lies in the previous incarnation's sequence space of
// that direction, behind the new incarnation's ISN (so it cannot be the new sender's), or it
// carries a timestamp older than the new connection's timestamps from that end (RFC 7323 §5 PAWS).
// Segments before the new side's SYN or SYN-ACK are not judged: a TIME_WAIT socket answering the
// new SYN (its ACK sits in the old space) is the reopening itself, reported elsewhere.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

namespace {
struct Space {
    bool known = false;
    std::uint32_t lo = 0, hi = 0; // [ISN, SND.NXT] as seen
};

Space spaceOf(std::span<const ControlSegment> segs, Side side) {
    Space sp;
    for (const ControlSegment& s : segs) {
        if (isTapCopy(s) || s.from() != side || isRst(s))
            continue;
        const std::uint32_t end = s.seq + s.payload + ((s.flags & tcpflag::SYN) ? 1u : 0u) + (isFin(s) ? 1u : 0u);
        if (!sp.known) {
            sp = {true, s.seq, end};
            continue;
        }
        if (seqLt(s.seq, sp.lo))
            sp.lo = s.seq;
        if (seqGt(end, sp.hi))
            sp.hi = end;
    }
    return sp;
}
} // namespace

void detectOldDuplicate(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& n : block.connections()) {
        if (n.previousIncarnation == kNoIndex)
            continue;
        const Connection& p = a.connections[n.previousIncarnation];
        const bool sameRoles = n.clientPort == p.clientPort && n.clientAddr == p.clientAddr;
        const auto segs = block.segmentsOf(n);
        const auto psegs = a.segmentsOf(p);
        for (Side d : {Side::Client, Side::Server}) {
            const int open = findFrom(segs, 0, d, [](const ControlSegment& s) { return !isRst(s) && (s.flags & tcpflag::SYN); });
            if (open < 0)
                continue;
            const std::uint32_t isn = segs[static_cast<std::size_t>(open)].seq;
            const Side pd = sameRoles ? d : other(d);
            const Space old = spaceOf(psegs, pd);
            if (!old.known)
                continue;
            for (int i = open + 1; i < static_cast<int>(segs.size()); ++i) {
                const ControlSegment& s = segs[static_cast<std::size_t>(i)];
                if (isTapCopy(s) || s.from() != d || (s.flags & tcpflag::SYN))
                    continue;
                const bool inOld = seqGeq(s.seq, old.lo) && seqLeq(s.seq, old.hi);
                if (!inOld || !seqLt(s.seq, isn))
                    continue;
                std::string text = tupleText(a, n) + ": " + (isRst(s) ? std::string("RST") : s.payload ? "data" : "ACK") +
                                   " from the " + sideName(d) + " at seq " + std::to_string(s.seq) +
                                   (s.payload ? " (" + std::to_string(s.payload) + " bytes)" : std::string()) + " (" + frameRef(s) +
                                   ") lies in connection #" + std::to_string(p.id) + "'s sequence space [" + std::to_string(old.lo) +
                                   ", " + std::to_string(old.hi) + "], behind this connection's ISN " + std::to_string(isn) +
                                   ": an old duplicate " + duration(s.ts - segs[static_cast<std::size_t>(open)].ts) +
                                   " after the reopening; outside the new window, so not accepted";
                Hazard& h = out.add("old_duplicate", n, s.ts, Severity::Warning, "RFC 1337 H1; RFC 9293 §3.4", std::move(text));
                out.frames(h, segs, {open, i});
                break; // one per direction: the first proves it
            }
        }
    }
}

} // namespace twlens::hazards
