// SPDX-License-Identifier: GPL-3.0-or-later
// reuse_within_time_wait: a new incarnation's SYN while the previous incarnation's TIME_WAIT
// still held the 4-tuple (facts §4), classified by how it was allowed:
//  - client side, connect() reusing its own TIME_WAIT port (Linux tcp_twsk_unique): needs TCP
//    timestamps on the old connection, and, unless the socket was bound before connect(),
//    tcp_tw_reuse = 1 (or 2 toward a loopback address) and tcp_tw_reuse_delay since the TIME_WAIT
//    began. Safe: PAWS (RFC 7323 §5) rejects the old connection's segments.
//  - server side, the SYN reaching the server's TIME_WAIT (Linux tcp_timewait_state_process):
//    accepted when its sequence number is beyond the old RCV.NXT or its timestamp is newer than
//    the last one seen (RFC 6191). Safe for the same reasons.
//  - Linux self-inflicted assassination: the SYN was answered by the TIME_WAIT's ACK, the
//    client's RST at that ACK's value killed the TIME_WAIT, the SYN sent again succeeded.
//  - none of these: no timestamps and an ISN that is not beyond the old sequence space. Nothing
//    keeps the old connection's duplicates out (RFC 1337 H1).
#include "core/hazards/detectors.h"

namespace twlens::hazards {

namespace {

// Highest sequence number (seq + payload, + FIN) a side sent in an incarnation's kept segments.
std::optional<std::uint32_t> sndNxtOf(std::span<const ControlSegment> segs, Side side) {
    std::optional<std::uint32_t> best;
    for (const ControlSegment& s : segs) {
        if (isTapCopy(s) || s.from() != side || isRst(s))
            continue;
        const std::uint32_t end = s.seq + s.payload + ((s.flags & tcpflag::SYN) ? 1u : 0u) + (isFin(s) ? 1u : 0u);
        if (!best || seqGt(end, *best))
            best = end;
    }
    return best;
}

} // namespace

void detectReuseWithinTimeWait(const Analysis& a, const ConnectionBlock& block, HazardList& out) {
    const Settings& st = a.settings;
    for (const Connection& n : block.connections()) {
        if (n.previousIncarnation == kNoIndex)
            continue;
        const Connection& p = a.connections[n.previousIncarnation];
        const auto segs = block.segmentsOf(n);
        const auto psegs = a.segmentsOf(p);
        const SynAnswer sa = synAnswer(a, n, segs);
        const auto rejects = sa.rejectSegs(segs);
        if (sa.syn < 0)
            continue;
        const ControlSegment& syn = segs[static_cast<std::size_t>(sa.syn)];
        const bool sameRoles = n.clientPort == p.clientPort && n.clientAddr == p.clientAddr;
        // The TIME_WAIT window that held the 4-tuple at the SYN (a client-side one first).
        const TimeWaitWindow* held = nullptr;
        Side heldBy = Side::Client;
        for (std::uint8_t i = 0; i < p.timeWaitCount; ++i) {
            const TimeWaitWindow& w = p.timeWait[i];
            const bool alive = timeWaitHolds(w.start, syn.ts, st) && !(w.reason == TimeWaitEnd::Rst && w.end <= syn.ts);
            if (!alive)
                continue;
            const Side side = sameRoles ? w.side : other(w.side);
            if (!held || side == Side::Client) {
                held = &w;
                heldBy = side;
            }
        }
        if (!held)
            continue;
        const Side oldClient = sameRoles ? Side::Client : Side::Server; // the new client's side in p
        const TimeNs since = syn.ts - held->start;
        const TimeNs left = held->start + st.twLength() - syn.ts;
        std::string text = tupleText(a, n) + ": SYN (" + frameRef(syn) + ") " + duration(since) + " after connection #" +
                           std::to_string(p.id) + "'s " + sideName(heldBy) + " TIME_WAIT began (" + duration(left) + " left); ";
        const bool ts = p.has(Connection::TimestampsSeen);
        Severity sev = Severity::Info;
        std::string ref;
        const auto oldSnd = sndNxtOf(psegs, oldClient);
        const bool isnBeyond = oldSnd && seqGt(syn.seq, *oldSnd);
        if (heldBy == Side::Client) {
            ref = "Linux tcp_twsk_unique";
            const bool loopback = a.serverIp(n).isLoopback();
            const int reuse = st.twReuse.value;
            const bool settingOk = reuse == 1 || (reuse == 2 && loopback);
            const bool delayOk = since >= static_cast<TimeNs>(st.twReuseDelayMs.value) * kNsPerMs;
            if (ts && settingOk && delayOk) {
                text += "client tcp_tw_reuse: timestamps on the old connection, tcp_tw_reuse = " + std::to_string(reuse) +
                        (reuse == 2 ? " (loopback destination)" : "") + ", at least tcp_tw_reuse_delay = " +
                        std::to_string(st.twReuseDelayMs.value) + " ms since TIME_WAIT began; allowed, PAWS protects the new connection";
            } else if (ts) {
                text += "client port reused with timestamps although ";
                text += !settingOk ? "tcp_tw_reuse = " + std::to_string(reuse) + (reuse == 2 ? " (destination not loopback)" : "") +
                                         " would refuse it"
                                   : "less than tcp_tw_reuse_delay = " + std::to_string(st.twReuseDelayMs.value) + " ms had passed";
                text += ": a socket bound to its port before connect() (tcp_twsk_unique then checks only timestamps) or "
                        "other settings on the client; PAWS protects the new connection";
            } else {
                ref = "RFC 1337 H1; Linux tcp_twsk_unique";
                sev = isnBeyond ? Severity::Warning : Severity::Critical;
                text += std::string("unsafe: no TCP timestamps on the old connection (tcp_twsk_unique would refuse) and ") +
                        (isnBeyond ? "only the ISN " + std::to_string(syn.seq) + " beyond the old SND.NXT " + std::to_string(*oldSnd) +
                                         " keeps old duplicates out"
                                   : "the ISN " + std::to_string(syn.seq) + " is not beyond the old sequence space: old duplicates can be accepted");
            }
        } else {
            ref = "Linux tcp_timewait_state_process; RFC 6191";
            const auto lastTs = lastTsVal(psegs, oldClient);
            const bool synTs = (syn.meta & ControlSegment::HasTimestamp) != 0;
            const bool tsNewerOk = synTs && lastTs && tsNewer(syn.tsVal, *lastTs);
            const std::string rcv = oldSnd ? std::to_string(*oldSnd) : std::string("unknown");
            if (sa.rstThenAccepted()) {
                sev = Severity::Warning;
                ref = "RFC 1337; Linux tcp_timewait_state_process, tcp_rcv_synsent_state_process";
                text += "self-inflicted assassination: the server's TIME_WAIT rejected it (ISN " + std::to_string(syn.seq) +
                        " not beyond its RCV.NXT " + rcv + (synTs ? ", timestamp not newer" : ", no timestamp") +
                        ") with an ACK (" + frameRef(rejects[static_cast<std::size_t>(sa.answer)]) + "), the client's RST (" +
                        frameRef(rejects[static_cast<std::size_t>(sa.clientRst)]) + ") killed the TIME_WAIT and the SYN sent again got a SYN-ACK (" +
                        frameRef(segs[static_cast<std::size_t>(sa.synAck)]) + ")";
            } else if (sa.synAck < 0) {
                continue; // never reopened: paws_reject / syn_to_last_ack say why
            } else if (isnBeyond || tsNewerOk) {
                text += "server-side SYN acceptance: " +
                        (isnBeyond ? "ISN " + std::to_string(syn.seq) + " beyond the old RCV.NXT " + rcv
                                   : "timestamp " + std::to_string(syn.tsVal) + " newer than the last one seen, " + std::to_string(*lastTs)) +
                        "; allowed";
            } else {
                sev = Severity::Critical;
                ref = "RFC 1337 H1; RFC 6191; Linux tcp_timewait_state_process";
                text += "unsafe: the server accepted a SYN whose ISN " + std::to_string(syn.seq) + " is not beyond its old RCV.NXT " +
                        rcv + (synTs ? " and whose timestamp is not newer" : " without timestamps") +
                        " (Linux would have answered it with an ACK): old duplicates can be accepted";
            }
        }
        Hazard& h = out.add("reuse_within_time_wait", n, syn.ts, sev, ref, std::move(text));
        out.frames(h, segs, {sa.syn});
        out.frames(h, rejects, {sa.answer, sa.clientRst});
        out.frames(h, segs, {sa.retry, sa.synAck});
    }
}

} // namespace twlens::hazards
