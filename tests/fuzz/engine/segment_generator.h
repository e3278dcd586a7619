// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzz input's language: bytes -> a sequence of twlens::Segment over a small universe of hosts
// and ports, for engine_fuzz_harness.h (the grammar is below). Allocation-free: the segments go to
// a vector the caller keeps, the per-flow models sit in the generator.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/model/segment.h"
#include "core/model/settings.h"
#include "core/model/tcp_flags.h"

namespace twlens::fuzz::engine {

// ---------------------------------------------------------------------------------------------
// Input -> segments.
//
// Header (3 bytes, missing ones read as 0):
//   h0 bits 0-2 TIME_WAIT length {60, 60, 60, 1, 0.001, 2.5, 86400, 1e-9 s}; bit 3 tcp_rfc1337;
//      bits 4-5 tcp_tw_reuse {0, 1, 2, 2}; bits 6-7 batch size {1, 3, 64, all}
//   h1 bits 0-1 port range {default, 40000-40001, 32768-32768, 1-65535}; bit 2 finish() on two
//      threads; bit 3 time starts at the epoch (0) instead of 2023; bit 4 run detectHazards twice
//      and compare; bits 5-7 how ISNs are chosen (small, near 2^32, spread)
//   h2 seed for ISNs and content hashes
// Then operations of 4 bytes (some read 1-4 more):
//   b0 flow: bits 0-1 client address {10.0.0.1, 10.0.0.2, 127.0.0.1, 10.0.0.1}, bit 2 server
//      address {10.0.0.9, 127.0.0.1}, bits 3-4 client port {40000, 40001, 32768, 60999}, bit 5
//      server port {80, 8080}, bit 6 IPv6 (2001:db8::1/::2/::1 and 2001:db8::9/::1), bit 7 VLAN 5
//   b1 bits 0-3 action (below), bit 4 direction (0 client->server), bits 5-6 timestamp option
//      {advancing, absent, same tsVal, tsVal going back}, bit 7 options cut by snaplen
//   b2 bits 0-2 time step {0 ns, us, ms, 100 ms, TIME_WAIT length +-, 10 s, back us, back 100 ms},
//      bits 3-7 its magnitude m (0-31)
//   b3 bits 0-2 seq/ack {consistent x3, frozen ack, repeated seq+ack, random seq, random ack,
//      behind the ISN}, bits 3-4 payload {0, 1, 1448, chosen}, bits 5-7 content hash {unique x6,
//      this direction's last, the previous segment's}
// Actions: 0 SYN, 1 SYN-ACK, 2 ACK, 3 data, 4 FIN-ACK, 5 RST, 6 RST-ACK, 7 the direction's last
// segment again (a retransmission), 8 a tap copy of the previous segment, 9 a handshake, 10 a
// teardown from this direction, 11 any flags (next byte), 12 FIN without ACK, 13 crossing FINs,
// 14 frozen ACKs both ways (RFC 1337 H2), 15 the next input starts (frames restart at 1); with
// direction 1, m = 31 and h2 = kBulkSeed it is instead a bulk of 65536 data segments on the flow
// (the tracker sweeps closed connections every 2^16 segments), once per input.
class SegmentGenerator {
public:
    static constexpr std::size_t kMaxSegments = 8192;
    static constexpr std::size_t kBulk = 65536;
    static constexpr std::uint8_t kBulkSeed = 0xB5; // h2 that enables the bulk (32 ms a run: rare)

    SegmentGenerator(const std::uint8_t* data, std::size_t size, std::vector<Segment>& out)
        : p_(data), n_(size), out_(out) {}

    Settings settings;
    unsigned batch = 0;        // 0 = all at once
    unsigned finishThreads = 1;
    bool rerunHazards = false;
    bool timeWentBack = false;
    bool secondInput = false;

    void generate() {
        out_.clear();
        const std::uint8_t h0 = u8(), h1 = u8(), h2 = u8();
        static constexpr double kTw[8] = {60.0, 60.0, 60.0, 1.0, 0.001, 2.5, 86400.0, 1e-9};
        settings.twSeconds = {kTw[h0 & 7], "command line"};
        settings.rfc1337 = {(h0 >> 3) & 1, "command line"};
        static constexpr int kReuse[4] = {0, 1, 2, 2};
        settings.twReuse = {kReuse[(h0 >> 4) & 3], "command line"};
        static constexpr unsigned kBatch[4] = {1, 3, 64, 0};
        batch = kBatch[h0 >> 6];
        switch (h1 & 3) {
        case 1: settings.portLow = {40000, "command line"}; settings.portHigh = {40001, "command line"}; break;
        case 2: settings.portLow = {32768, "command line"}; settings.portHigh = {32768, "command line"}; break;
        case 3: settings.portLow = {1, "command line"}; settings.portHigh = {65535, "command line"}; break;
        default: break;
        }
        finishThreads = (h1 & 4) ? 2 : 1;
        now_ = (h1 & 8) ? 0 : TimeNs{1'700'000'000} * kNsPerSecond;
        rerunHazards = (h1 & 16) != 0;
        isnClass_ = h1 >> 5;
        salt_ = 0x9E3779B9u * (h2 + 1u);

        bool bulkDone = false;
        while (pos_ < n_ && out_.size() < kMaxSegments) {
            const std::uint8_t b0 = u8(), b1 = u8(), b2 = u8(), b3 = u8();
            Op op{};
            op.flow = b0;
            op.action = b1 & 15;
            op.dir = (b1 >> 4) & 1;
            op.tsMode = (b1 >> 5) & 3;
            op.optionsCut = (b1 >> 7) != 0;
            op.timeClass = b2 & 7;
            op.mag = b2 >> 3;
            op.seqMode = b3 & 7;
            op.payloadMode = (b3 >> 3) & 3;
            op.hashMode = b3 >> 5;
            if (op.action == 15 && op.dir == 1 && op.mag == 31 && h2 == kBulkSeed) {
                if (!bulkDone)
                    bulk(op);
                bulkDone = true;
                continue;
            }
            apply(op);
        }
    }

private:
    struct Dir {
        std::uint32_t isn = 0;
        std::uint32_t nxt = 0;
        std::uint32_t lastSeq = 0, lastAck = 0, lastLen = 0, lastHash = 0;
        std::uint32_t tsVal = 0;
        std::uint8_t lastFlags = 0;
        bool sent = false;
    };
    struct Flow {
        std::uint32_t generation = 0;
        Dir d[2];
    };
    struct Op {
        std::uint8_t flow, action, dir, tsMode, timeClass, mag, seqMode, payloadMode, hashMode;
        bool optionsCut;
    };

    std::uint8_t u8() { return pos_ < n_ ? p_[pos_++] : 0; }
    std::uint32_t u32() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | u8();
        return v;
    }

    Flow& flow(std::uint8_t id) {
        Flow& f = flows_[id];
        if (f.generation != 1) { // each generator owns its flows: start from nothing
            f = Flow{};
            f.generation = 1;
            f.d[0].nxt = f.d[0].isn = newIsn(id, 0);
            f.d[1].nxt = f.d[1].isn = newIsn(id, 1);
            f.d[0].tsVal = 1000 + id;
            f.d[1].tsVal = 500000 + id;
        }
        return f;
    }

    std::uint32_t newIsn(std::uint8_t id, int dir) {
        ++isnCounter_;
        const std::uint32_t k = isnCounter_ * 7919u + id * 31u + static_cast<std::uint32_t>(dir);
        switch (isnClass_) {
        case 0: case 1: case 2: return 1000u * isnCounter_ + static_cast<std::uint32_t>(dir) * 500000u;
        case 3: case 4: return 0xFFFFFFF0u + (k & 0x1F); // the sequence space wraps within a few segments
        default: return (k ^ salt_) * 0x85EBCA6Bu;
        }
    }

    static IpAddress address(bool v6, int which) {
        // which: 0-2 clients, 3-4 servers
        static constexpr std::uint32_t kV4[5] = {0x0A000001u, 0x0A000002u, 0x7F000001u, 0x0A000009u, 0x7F000001u};
        if (!v6)
            return IpAddress::fromV4(kV4[which]);
        std::uint8_t b[16] = {0x20, 0x01, 0x0d, 0xb8};
        static constexpr std::uint8_t kLast[5] = {1, 2, 1, 9, 1};
        if (which == 2 || which == 4) // ::1, the loopback (tcp_tw_reuse = 2)
            b[0] = b[1] = b[2] = b[3] = 0;
        b[15] = kLast[which];
        return IpAddress::fromV6(b);
    }

    TimeNs step(const Op& op) const {
        const TimeNs m = op.mag;
        switch (op.timeClass) {
        case 0: return 0;                                     // ties: tap copies, batched interrupts
        case 1: return (m + 1) * kNsPerUs;
        case 2: return (m + 1) * kNsPerMs;
        case 3: return (m + 1) * 100 * kNsPerMs;
        case 4: // around the TIME_WAIT length: each side of every "within TIME_WAIT" comparison
            return settings.twLength() + ((m & 1) ? (m - 16) * kNsPerMs : (m - 16));
        case 5: return (m + 1) * 10 * kNsPerSecond;         // past TIME_WAIT expiry
        case 6: return -(m + 1) * kNsPerUs;                  // clocks stepping back
        default: return m == 31 ? -70 * kNsPerSecond : -(m + 1) * 100 * kNsPerMs;
        }
    }

    std::uint32_t payload(const Op& op) {
        switch (op.payloadMode) {
        case 0: return 0;
        case 1: return 1;
        case 2: return 1448;
        default: {
            static constexpr std::uint32_t kLen[8] = {0, 1, 536, 1448, 65535, 65536, 100000, 0x7FFFFFFFu};
            return kLen[u8() & 7];
        }
        }
    }

    void advance(const Op& op) {
        const TimeNs d = step(op);
        if (d < 0)
            timeWentBack = true;
        now_ += d;
    }

    // Emits one segment from direction `dir` of flow `id` with explicit numbers.
    void pushSegment(std::uint8_t id, int dir, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len,
              const Op& op, std::uint32_t hash) {
        const bool v6 = (id & 0x40) != 0;
        const int client = (id & 3) == 3 ? 0 : (id & 3);
        const int server = 3 + ((id >> 2) & 1);
        static constexpr std::uint16_t kClientPort[4] = {40000, 40001, 32768, 60999};
        static constexpr std::uint16_t kServerPort[2] = {80, 8080};
        Segment s;
        s.ts = now_;
        s.input = secondInput ? 1 : 0;
        s.frame = ++frame_;
        const IpAddress c = address(v6, client), srv = address(v6, server);
        const std::uint16_t cp = kClientPort[(id >> 3) & 3], sp = kServerPort[(id >> 5) & 1];
        s.src = dir == 0 ? c : srv;
        s.dst = dir == 0 ? srv : c;
        s.srcPort = dir == 0 ? cp : sp;
        s.dstPort = dir == 0 ? sp : cp;
        s.vlanStack = (id & 0x80) ? (0x1000u | 5u) : 0u;
        s.ipVersion = v6 ? 6 : 4;
        s.flags = flags;
        s.seq = seq;
        s.ack = (flags & tcpflag::ACK) ? ack : 0;
        s.payloadLen = len;
        Flow& f = flows_[id];
        Dir& d = f.d[dir];
        switch (op.tsMode) {
        case 0: d.tsVal += 1; s.hasTimestamp = true; break;
        case 1: s.hasTimestamp = false; break;
        case 2: s.hasTimestamp = true; break;                          // the same tsVal again
        default: d.tsVal -= (op.mag & 1) ? 0x80000001u : 1000u; s.hasTimestamp = true; break; // PAWS
        }
        s.tsVal = s.hasTimestamp ? d.tsVal : 0;
        s.optionsTruncated = op.optionsCut;
        s.contentHash = hash;
        d.lastSeq = seq;
        d.lastAck = s.ack;
        d.lastLen = len;
        d.lastFlags = flags;
        d.lastHash = hash;
        d.sent = true;
        out_.push_back(s);
    }

    std::uint32_t hashFor(const Op& op, int dir, const Flow& f) {
        if (op.hashMode == 6 && f.d[dir].sent)
            return f.d[dir].lastHash;
        if (op.hashMode == 7 && !out_.empty())
            return out_.back().contentHash;
        return (++hashCounter_ * 0x9E3779B1u) ^ salt_;
    }

    // A segment from `dir` with seq/ack chosen by op.seqMode; advances the sender's model.
    void send(std::uint8_t id, int dir, std::uint8_t flags, std::uint32_t len, const Op& op) {
        Flow& f = flow(id);
        Dir& d = f.d[dir];
        const Dir& peer = f.d[dir ^ 1];
        std::uint32_t seq = d.nxt, ack = peer.nxt;
        switch (op.seqMode) {
        case 3: if (d.sent) ack = d.lastAck; break;                        // frozen ACK
        case 4: if (d.sent) { seq = d.lastSeq; ack = d.lastAck; } break;  // repeated
        case 5: seq = u32(); break;
        case 6: ack = u32(); break;
        case 7: seq = d.isn - 1u - u8(); break;                           // behind the ISN: an old duplicate
        default: break;
        }
        if (flags & tcpflag::SYN) {
            if (op.seqMode != 4 && op.seqMode != 5) { // a new ISN (a new incarnation, or the peer's answer)
                d.isn = newIsn(id, dir);
                seq = d.isn;
            } else if (op.seqMode == 4) {
                seq = d.isn; // the same SYN again
            }
            d.nxt = seq;
        }
        pushSegment(id, dir, flags, seq, ack, len, op, hashFor(op, dir, f));
        const std::uint32_t end = seq + len + ((flags & tcpflag::SYN) ? 1u : 0u) +
                                  ((flags & tcpflag::FIN) && !(flags & tcpflag::RST) ? 1u : 0u);
        if (!(flags & tcpflag::RST) && seqGt(end, d.nxt))
            d.nxt = end;
    }

    void apply(const Op& op) {
        const std::uint8_t id = op.flow;
        const int dir = op.dir, peer = dir ^ 1;
        Flow& f = flow(id);
        using namespace tcpflag;
        advance(op);
        Op plain = op; // the later segments of a macro: consistent numbers, 1 ms apart
        plain.seqMode = 0;
        plain.hashMode = 0;
        switch (op.action) {
        case 0: send(id, dir, SYN, 0, op); break;
        case 1: send(id, dir, SYN | ACK, 0, op); break;
        case 2: send(id, dir, ACK, 0, op); break;
        case 3: {
            const std::uint32_t len = payload(op);
            send(id, dir, PSH | ACK, len == 0 ? 100 : len, op);
            break;
        }
        case 4: send(id, dir, FIN | ACK, payload(op), op); break;
        case 5: send(id, dir, RST, 0, op); break;
        case 6: send(id, dir, RST | ACK, 0, op); break;
        case 7: {
            const Dir& d = f.d[dir];
            if (!d.sent) {
                send(id, dir, ACK, 0, op);
                break;
            }
            pushSegment(id, dir, d.lastFlags, d.lastSeq, d.lastAck, d.lastLen, op, hashFor(op, dir, f));
            break;
        }
        case 8: {
            if (out_.empty()) {
                send(id, dir, SYN, 0, op);
                break;
            }
            Segment copy = out_.back(); // byte-identical: same hash, same numbers
            copy.ts = now_;
            copy.frame = ++frame_;
            copy.input = secondInput ? 1 : 0;
            out_.push_back(copy);
            break;
        }
        case 9:
            send(id, dir, SYN, 0, op);
            now_ += kNsPerMs;
            send(id, peer, SYN | ACK, 0, plain);
            now_ += kNsPerMs;
            send(id, dir, ACK, 0, plain);
            break;
        case 10:
            send(id, dir, FIN | ACK, 0, op);
            now_ += kNsPerMs;
            send(id, peer, ACK, 0, plain);
            now_ += kNsPerMs;
            send(id, peer, FIN | ACK, 0, plain);
            now_ += kNsPerMs;
            send(id, dir, ACK, 0, plain);
            break;
        case 11: { // flags, then the payload byte: read in this order by every compiler
            const std::uint8_t flags = u8();
            send(id, dir, flags, payload(op), op);
            break;
        }
        case 12: send(id, dir, FIN, 0, op); break;
        case 13: { // both FINs leave before either is ACKed (RFC 9293 §3.10.7.4 simultaneous close)
            const std::uint32_t ackOfPeer = f.d[peer].nxt, ackOfMe = f.d[dir].nxt;
            pushSegment(id, dir, FIN | ACK, f.d[dir].nxt, ackOfPeer, 0, op, hashFor(op, dir, f));
            pushSegment(id, peer, FIN | ACK, f.d[peer].nxt, ackOfMe, 0, plain, hashFor(plain, peer, f));
            ++f.d[dir].nxt;
            ++f.d[peer].nxt;
            now_ += kNsPerMs;
            send(id, dir, ACK, 0, plain);
            send(id, peer, ACK, 0, plain);
            break;
        }
        case 14: { // two ends answering each other with the same zero-length ACK
            const int rounds = 3 + (op.mag & 3);
            const std::uint32_t s0 = f.d[dir].nxt, a0 = f.d[peer].nxt - ((op.mag & 4) ? 1u : 0u);
            const std::uint32_t s1 = f.d[peer].nxt, a1 = f.d[dir].nxt;
            for (int r = 0; r < rounds; ++r) {
                pushSegment(id, dir, ACK, s0, a0, 0, plain, hashFor(plain, dir, f));
                now_ += (op.mag & 8) ? 0 : 200 * kNsPerUs;
                pushSegment(id, peer, ACK, s1, a1, 0, plain, hashFor(plain, peer, f));
                now_ += 200 * kNsPerUs;
            }
            break;
        }
        default:
            if (!secondInput && !out_.empty()) {
                secondInput = true; // the next capture: its own frame numbers
                frame_ = 0;
            }
            send(id, dir, ACK, 0, op);
            break;
        }
    }

    // 65536 data segments on one flow: the tracker sweeps closed connections every 2^16 segments.
    void bulk(const Op& op) {
        Op plain = op;
        plain.seqMode = 0;
        plain.hashMode = 0;
        plain.tsMode = 1;
        advance(op);
        Flow& f = flow(op.flow);
        for (std::size_t i = 0; i < kBulk; ++i) {
            pushSegment(op.flow, 0, tcpflag::ACK, f.d[0].nxt, f.d[1].nxt, 10, plain, hashFor(plain, 0, f));
            f.d[0].nxt += 10;
            now_ += 50 * kNsPerUs;
        }
    }

    const std::uint8_t* p_;
    std::size_t n_;
    std::size_t pos_ = 0;
    std::vector<Segment>& out_;
    Flow flows_[256];
    TimeNs now_ = 0;
    std::uint64_t frame_ = 0;
    std::uint32_t isnCounter_ = 0;
    std::uint32_t hashCounter_ = 0;
    std::uint32_t salt_ = 0;
    unsigned isnClass_ = 0;
};

} // namespace twlens::fuzz::engine
