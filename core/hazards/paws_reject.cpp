// SPDX-License-Identifier: GPL-3.0-or-later
// paws_reject: a new SYN on a 4-tuple carries a TCP timestamp older than the last one the peer
// saw from that end on the previous incarnation, and is not answered with a SYN-ACK. PAWS
// (RFC 7323 §5) in the peer's TIME_WAIT (tcp_timewait_state_process: LINUX_MIB_PAWS_TW_REJECTED,
// answered with an ACK) or, on other stacks, a per-host timestamp check in the manner of the
// removed tcp_tw_recycle drops it (facts §4): the SYNs are retransmitted without a SYN-ACK.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectPawsReject(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& n : block.connections()) {
        if (n.previousIncarnation == kNoIndex)
            continue;
        const Connection& p = a.connections[n.previousIncarnation];
        const bool sameRoles = n.clientPort == p.clientPort && n.clientAddr == p.clientAddr;
        const Side oldClient = sameRoles ? Side::Client : Side::Server;
        const auto segs = block.segmentsOf(n);
        const SynAnswer sa = synAnswer(a, n, segs);
        const auto rejects = sa.rejectSegs(segs);
        if (sa.syn < 0 || (sa.answerKind == 'S' && sa.synCount < 2))
            continue;
        const ControlSegment& syn = segs[static_cast<std::size_t>(sa.syn)];
        if (!(syn.meta & ControlSegment::HasTimestamp))
            continue;
        const auto psegs = a.segmentsOf(p);
        const auto last = lastTsVal(psegs, oldClient);
        if (!last || !tsNewer(*last, syn.tsVal))
            continue;
        std::string text = tupleText(a, n) + ": SYN (" + frameRef(syn) + ") with timestamp " + std::to_string(syn.tsVal) +
                           ", older than " + std::to_string(*last) + ", the last one connection #" + std::to_string(p.id) +
                           " carried from this end; ";
        if (sa.answeredByAck())
            text += "answered with an ACK (" + frameRef(rejects[static_cast<std::size_t>(sa.answer)]) + "), not a SYN-ACK";
        else if (sa.answeredByRst())
            text += "answered with RST (" + frameRef(rejects[static_cast<std::size_t>(sa.answer)]) + ")";
        else
            text += "no answer to the first SYN";
        text += "; " + std::to_string(sa.synCount) + " SYN" + (sa.synCount == 1 ? "" : "s");
        text += sa.synAck >= 0 ? " before the SYN-ACK (" + frameRef(segs[static_cast<std::size_t>(sa.synAck)]) + ")"
                               : ", no SYN-ACK in the capture";
        Hazard& h = out.add("paws_reject", n, syn.ts, sa.synAck >= 0 ? Severity::Warning : Severity::Critical,
                            "RFC 7323 §5; Linux tcp_timewait_state_process", std::move(text));
        out.frames(h, segs, {sa.syn});
        out.frames(h, rejects, {sa.answer, sa.clientRst});
        out.frames(h, segs, {sa.retry, sa.synAck});
    }
}

} // namespace twlens::hazards
