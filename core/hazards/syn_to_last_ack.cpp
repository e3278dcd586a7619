// SPDX-License-Identifier: GPL-3.0-or-later
// syn_to_last_ack (facts §3 reason 1): the active closer's TIME_WAIT was gone too early while
// the passive closer was still in LAST_ACK (its FIN not ACKed), and a new SYN on the 4-tuple
// reached that LAST_ACK socket. It is answered by a RST, or on Linux by a challenge ACK
// (RFC 5961 §4, tcp_validate_incoming), instead of a SYN-ACK.
#include "core/hazards/detectors.h"

namespace twlens::hazards {

void detectSynToLastAck(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    for (const Connection& n : block.connections()) {
        if (n.previousIncarnation == kNoIndex)
            continue;
        const Connection& p = a.connections[n.previousIncarnation];
        const bool sameRoles = n.clientPort == p.clientPort && n.clientAddr == p.clientAddr;
        const Side server = sameRoles ? Side::Server : Side::Client; // the new server's side in p
        const Closer serverCloser = server == Side::Client ? Closer::Client : Closer::Server;
        if (p.activeCloser == Closer::None || p.activeCloser == Closer::Both || p.activeCloser == serverCloser)
            continue;
        bool serverInTimeWait = false;
        for (std::uint8_t i = 0; i < p.timeWaitCount; ++i)
            serverInTimeWait |= p.timeWait[i].side == server;
        if (serverInTimeWait)
            continue;
        const auto segs = block.segmentsOf(n);
        const SynAnswer sa = synAnswer(a, n, segs);
        const auto rejects = sa.rejectSegs(segs);
        if (!sa.answeredByAck() && !sa.answeredByRst())
            continue;
        const ControlSegment& syn = segs[static_cast<std::size_t>(sa.syn)];
        const ControlSegment& ans = rejects[static_cast<std::size_t>(sa.answer)];
        const auto psegs = a.segmentsOf(p);
        const int pfin = firstFin(psegs, server);
        // LAST_ACK begins with the server's FIN (CLOSE_WAIT --close, send FIN--> LAST_ACK): a SYN
        // that came before it met the socket still in CLOSE_WAIT (or ESTABLISHED), whose answer
        // is the RFC 5961 §4 challenge ACK of a synchronized state, not this hazard.
        if (pfin < 0 || psegs[static_cast<std::size_t>(pfin)].ts > syn.ts)
            continue;
        const ControlSegment& fin = psegs[static_cast<std::size_t>(pfin)];
        // Was the server side still in LAST_ACK? Its last state says so, or its FIN was sent again
        // for a final ACK that never came, or it answered the SYN with an ACK at its FIN + 1: a
        // passive closer not in TIME_WAIT has a socket for the 4-tuple only in LAST_ACK (the
        // challenge ACK of tcp_validate_incoming), so the final ACK, if the capture shows it,
        // never arrived; and a RST of the client answering that ACK closed it (tcp_reset).
        TcpState last = TcpState::None;
        for (const StateChange& s : a.statesOf(p))
            if (s.side == server)
                last = s.state;
        const auto serverFin = finSequence(psegs, server);
        const bool challengeFromLastAck = sa.answeredByAck() && serverFin && ans.seq == *serverFin + 1u;
        if (last != TcpState::LastAck && !p.has(Connection::LostFinalAck) && !challengeFromLastAck)
            continue;
        std::string text = tupleText(a, n) + ": SYN (" + frameRef(syn) + ") reached the server still in LAST_ACK of connection #" +
                           std::to_string(p.id) + " (its FIN, " + frameRef(fin) + ", " + duration(syn.ts - fin.ts) + " earlier, never got its final ACK)";
        text += " and was answered with " + std::string(sa.answeredByRst() ? "RST" : "an ACK (challenge ACK)") + " (" + frameRef(ans) +
                ") instead of a SYN-ACK";
        Severity sev = Severity::Warning;
        if (sa.synAck >= 0) {
            text += "; the connection opened only with the SYN-ACK " + duration(segs[static_cast<std::size_t>(sa.synAck)].ts - syn.ts) +
                    " after the first SYN (" + frameRef(segs[static_cast<std::size_t>(sa.synAck)]) + ")";
            if (sa.clientRst >= 0)
                text += ", after the client's RST (" + frameRef(rejects[static_cast<std::size_t>(sa.clientRst)]) + ") closed the LAST_ACK socket";
        } else {
            sev = Severity::Critical;
            text += "; no SYN-ACK followed in the capture: the connection attempt failed";
        }
        Hazard& h = out.add("syn_to_last_ack", n, syn.ts, sev, "RFC 9293 §3.10.7.4; RFC 5961 §4", std::move(text));
        out.frames(h, psegs, {pfin});
        out.frames(h, segs, {sa.syn});
        out.frames(h, rejects, {sa.answer, sa.clientRst});
        out.frames(h, segs, {sa.retry, sa.synAck});
    }
}

} // namespace twlens::hazards
