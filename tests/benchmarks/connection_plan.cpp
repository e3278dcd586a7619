// SPDX-License-Identifier: GPL-3.0-or-later
#include "connection_plan.h"

#include <algorithm>

#include "core/model/tcp_flags.h"

namespace twlens::bench {
namespace {

using namespace tcpflag;

// Builds one connection packet by packet, keeping each side's SND.NXT, last timestamp and
// clock. Gaps model a capture point next to the servers: a client's packet arrives one RTT
// after the server packet it answers; the server answers within microseconds unless it thinks.
class Builder {
public:
    Builder(const ConnectionSpec& s, Rng& rng, std::vector<PlannedPacket>& out)
        : spec_(s), rng_(rng), out_(out), t_(s.start) {
        snd_[0] = s.clientIsn;
        snd_[1] = s.serverIsn;
        ipId_[0] = static_cast<std::uint16_t>(rng.u32());
        ipId_[1] = static_cast<std::uint16_t>(rng.u32());
    }

    // Advances the clock for a packet from `fromServer`, given who sent the previous one.
    void step(bool fromServer, TimeNs extra = 0) {
        if (out_.empty()) return;
        const bool prevServer = out_.back().fromServer;
        TimeNs gap;
        if (fromServer == prevServer)
            gap = rng_.between(5'000, 60'000);                         // back-to-back segments
        else if (fromServer)
            gap = rng_.between(20'000, 300'000);                       // server stack/app turnaround
        else
            gap = spec_.rtt + rng_.between(10'000, 200'000);            // the client's answer
        t_ += gap + extra;
    }

    PlannedPacket& emit(bool fromServer, std::uint8_t flags, std::uint16_t payload, bool withTs = true) {
        const int me = fromServer ? 1 : 0;
        PlannedPacket p;
        p.ts = t_;
        p.fromServer = fromServer;
        p.flags = flags;
        p.payload = payload;
        p.seq = snd_[me];
        p.ack = (flags & ACK) ? snd_[1 - me] : 0;
        p.window = fromServer ? 509 : 502;
        if (flags & SYN) p.window = fromServer ? 65160 : 64240;
        p.ipId = ipId_[me]++;
        p.timestamps = spec_.timestamps && withTs;
        if (p.timestamps) {
            const auto ms = static_cast<std::uint32_t>(t_ / kNsPerMs);
            p.tsVal = ms + (fromServer ? spec_.serverTsOffset : spec_.clientTsOffset);
            p.tsEcr = lastTs_[1 - me];
            lastTs_[me] = p.tsVal;
        }
        const std::uint32_t before = snd_[me];
        snd_[me] += payload + ((flags & (SYN | FIN)) ? 1u : 0u);
        if (snd_[me] < before) wraps_ = true;
        out_.push_back(p);
        return out_.back();
    }

    std::uint32_t snd(bool server) const { return snd_[server ? 1 : 0]; }
    // A retransmission reuses old sequence space: put SND.NXT back where it was.
    void setSnd(bool server, std::uint32_t v) { snd_[server ? 1 : 0] = v; }
    void setTime(TimeNs t) { t_ = t; }
    TimeNs time() const { return t_; }
    bool wraps() const { return wraps_; }

private:
    const ConnectionSpec& spec_;
    Rng& rng_;
    std::vector<PlannedPacket>& out_;
    TimeNs t_;
    std::uint32_t snd_[2]{};
    std::uint32_t lastTs_[2]{};
    std::uint16_t ipId_[2]{};
    bool wraps_ = false;
};

// Request/response traffic: one request, then response segments each ACKed by the client.
void dataPhase(Builder& b, Rng& rng, int count) {
    for (int i = 0; i < count; ++i) {
        if (i == 0) {
            b.step(false);
            b.emit(false, PSH | ACK, static_cast<std::uint16_t>(rng.between(60, 300)));
        } else if (i % 2 == 1) {
            // The first response waits for the application (0-100 ms of "think time").
            b.step(true, i == 1 ? rng.between(0, 100'000'000) : 0);
            b.emit(true, PSH | ACK, static_cast<std::uint16_t>(rng.between(40, 600)));
        } else {
            b.step(false);
            b.emit(false, ACK, 0);
        }
    }
}

// FIN / ACK / FIN / ACK with `active` closing first (RFC 9293 §3.6 normal close). With a lost
// final ACK the passive closer, still in LAST_ACK, retransmits its FIN after its RTO and the
// active closer (in TIME_WAIT) ACKs it again (tcp_timewait_state_process).
void finTeardown(Builder& b, Rng& rng, bool activeIsServer, bool lostFinalAck, PlanSummary& sum) {
    const bool a = activeIsServer, p = !activeIsServer;
    b.step(a, rng.between(0, 20'000'000));
    b.emit(a, FIN | ACK, 0);
    b.step(p);
    b.emit(p, ACK, 0);
    b.step(p, rng.between(50'000, 5'000'000));  // the passive side's application calls close()
    b.emit(p, FIN | ACK, 0);
    const std::uint32_t passiveFinSeq = b.snd(p) - 1;
    if (!lostFinalAck) {
        b.step(a);
        b.emit(a, ACK, 0);
        return;
    }
    // The capture point sits at the servers: a server's final ACK is seen and then lost on the
    // way; a client's final ACK is lost before it reaches the capture point and is never seen.
    sum.finalAckSeen = activeIsServer;
    if (sum.finalAckSeen) {
        b.step(a);
        b.emit(a, ACK, 0);
    }
    b.setTime(b.time() + rng.between(200'000'000, 1'000'000'000));
    const std::uint32_t sndNxt = b.snd(p);
    b.setSnd(p, passiveFinSeq);  // same sequence number: a retransmission, not new data
    b.emit(p, FIN | ACK, 0);
    b.setSnd(p, sndNxt);
    sum.finRetransmissions = 1;
    b.step(a);
    b.emit(a, ACK, 0);
}

} // namespace

PlanSummary planConnection(const ConnectionSpec& spec, Rng& rng, std::vector<PlannedPacket>& out) {
    out.clear();
    PlanSummary sum;
    Builder b(spec, rng, out);
    b.emit(false, SYN, 0);
    if (spec.teardown == Teardown::Refused) {
        b.step(true);
        // tcp_v4_send_reset: seq 0, ACK of the SYN, no options.
        PlannedPacket& rst = b.emit(true, RST | ACK, 0, false);
        rst.seq = 0;
    } else {
        b.step(true);
        b.emit(true, SYN | ACK, 0);
        b.step(false);
        b.emit(false, ACK, 0);
        const int target = static_cast<int>(spec.packets);
        switch (spec.teardown) {
        case Teardown::ClientFin:
        case Teardown::ServerFin: {
            const bool server = spec.teardown == Teardown::ServerFin;
            const int extra = spec.lostFinalAck ? (server ? 2 : 1) : 0;
            dataPhase(b, rng, std::max(1, target - 7 - extra));
            finTeardown(b, rng, server, spec.lostFinalAck, sum);
            break;
        }
        case Teardown::ClientAbort:
        case Teardown::ServerAbort: {
            const bool server = spec.teardown == Teardown::ServerAbort;
            dataPhase(b, rng, std::max(1, target - 4));
            b.step(server, rng.between(0, 20'000'000));
            b.emit(server, RST | ACK, 0);
            break;
        }
        case Teardown::Refused:
            break;
        }
    }
    sum.lastTs = out.back().ts;
    sum.clientSeqEnd = b.snd(false);
    sum.seqWraps = b.wraps();
    return sum;
}

} // namespace twlens::bench
