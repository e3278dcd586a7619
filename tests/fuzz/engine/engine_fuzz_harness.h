// SPDX-License-Identifier: GPL-3.0-or-later
// The one fuzzing step over the analysis engine behind the decoder, shared by the libFuzzer target
// (fuzz_engine.cpp) and the replay test (tst_engine_fuzz_replay.cpp): fuzz bytes -> a sequence of
// twlens::Segment over a small universe of hosts and ports (so 4-tuples are reused, incarnations
// and TIME_WAIT windows meet), fed in batches to the Reconstructor as the importers do, then the
// hazard, exhaustion and findings passes, the JSON/CSV/text writers and the presentation
// (teaching steps, ladder rows, state spans, tuple rows ...). Every promise the model makes
// (core/model/analysis.h, connection.h) is checked; a broken one prints what and where and aborts.
#pragma once
#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "core/findings/findings_pass.h"
#include "core/hazards/detect_hazards.h"
#include "core/model/analysis.h"
#include "core/model/segment.h"
#include "core/model/tcp_flags.h"
#include "core/output/csv_writer.h"
#include "core/output/json_writer.h"
#include "core/output/teardown_stats.h"
#include "core/output/text_summary.h"
#include "core/presentation/connection_filter.h"
#include "core/presentation/exhaustion_projection.h"
#include "core/presentation/figure_caption.h"
#include "core/presentation/figure_window.h"
#include "core/presentation/ladder_rows.h"
#include "core/presentation/overview_summary.h"
#include "core/presentation/state_spans.h"
#include "core/presentation/state_transitions.h"
#include "core/presentation/teaching_steps.h"
#include "core/presentation/time_wait_series.h"
#include "core/presentation/tuple_rows.h"
#include "core/reconstruct/reconstructor.h"

namespace twlens::fuzz::engine {

// What one run saw, for the replay test's "the mix reaches every path" assertions.
struct RunStats {
    std::size_t segments = 0;
    std::size_t connections = 0;
    std::size_t hazards = 0;
    std::size_t timeWaits = 0;
    std::size_t reusedLinks = 0;   // connections with a previous incarnation
    std::size_t ipv6 = 0;          // connections over IPv6
    bool timeWentBack = false;
};

[[noreturn]] inline void broken(const char* what, std::uint64_t where = UINT64_MAX) {
    if (where == UINT64_MAX)
        std::fprintf(stderr, "engine fuzz: invariant broken: %s\n", what);
    else
        std::fprintf(stderr, "engine fuzz: invariant broken: %s (at %llu)\n", what,
                     static_cast<unsigned long long>(where));
    std::fflush(stderr);
    std::abort();
}
#define TWLENS_ENGINE_CHECK(cond, where)                                                                         \
    do {                                                                                                         \
        if (!(cond))                                                                                             \
            ::twlens::fuzz::engine::broken(#cond, static_cast<std::uint64_t>(where));                           \
    } while (0)

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
    TimeNs firstTs[2] = {kNoTime, kNoTime};
    TimeNs lastTs[2] = {kNoTime, kNoTime};
    std::uint64_t packets[2] = {0, 0};

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
        const int input = secondInput ? 1 : 0;
        s.input = static_cast<std::uint16_t>(input);
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
        s.window = 64240;
        Flow& f = flows_[id];
        Dir& d = f.d[dir];
        switch (op.tsMode) {
        case 0: d.tsVal += 1; s.hasTimestamp = true; break;
        case 1: s.hasTimestamp = false; break;
        case 2: s.hasTimestamp = true; break;                          // the same tsVal again
        default: d.tsVal -= (op.mag & 1) ? 0x80000001u : 1000u; s.hasTimestamp = true; break; // PAWS
        }
        s.tsVal = s.hasTimestamp ? d.tsVal : 0;
        s.tsEcr = s.hasTimestamp ? f.d[dir ^ 1].tsVal : 0;
        s.optionsTruncated = op.optionsCut;
        s.contentHash = hash;
        d.lastSeq = seq;
        d.lastAck = s.ack;
        d.lastLen = len;
        d.lastFlags = flags;
        d.lastHash = hash;
        d.sent = true;
        out_.push_back(s);
        if (firstTs[input] == kNoTime || s.ts < firstTs[input])
            firstTs[input] = s.ts;
        if (lastTs[input] == kNoTime || s.ts > lastTs[input])
            lastTs[input] = s.ts;
        ++packets[input];
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
            copy.input = static_cast<std::uint16_t>(secondInput ? 1 : 0);
            out_.push_back(copy);
            ++packets[copy.input];
            lastTs[copy.input] = std::max(lastTs[copy.input], copy.ts);
            if (firstTs[copy.input] == kNoTime || copy.ts < firstTs[copy.input])
                firstTs[copy.input] = copy.ts;
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

// ---------------------------------------------------------------------------------------------
// Diagnosis: with TWLENS_ENGINE_TRACE set, a run prints the segments it generated and the
// reconstruction (to stderr), so a reproducer can be read without a debugger.

inline bool tracing() {
    static const bool on = std::getenv("TWLENS_ENGINE_TRACE") != nullptr;
    return on;
}

inline void traceSegments(const std::vector<Segment>& segs, const Settings& st) {
    std::fprintf(stderr, "settings: tw %.9g s, rfc1337 %d, tw_reuse %d, ports %u-%u\n", st.twSeconds.value,
                 st.rfc1337.value, st.twReuse.value, st.portLow.value, st.portHigh.value);
    const TimeNs t0 = segs.empty() ? 0 : segs.front().ts;
    for (const Segment& s : segs)
        std::fprintf(stderr, "  in%u #%llu %+.9f %s:%u > %s:%u %-12s seq=%u ack=%u len=%u ts=%s%u hash=%08x%s\n",
                     s.input, static_cast<unsigned long long>(s.frame), toSeconds(s.ts - t0), s.src.toString().c_str(),
                     s.srcPort, s.dst.toString().c_str(), s.dstPort, flagsToString(s.flags).c_str(), s.seq, s.ack,
                     s.payloadLen, s.hasTimestamp ? "" : "-", s.tsVal, s.contentHash, s.optionsTruncated ? " cut" : "");
}

inline void traceAnalysis(const Analysis& a) {
    const TimeNs t0 = a.connections.empty() ? 0 : a.connections.front().start;
    for (const Connection& c : a.connections) {
        std::fprintf(stderr, "conn %u %s:%u > %s:%u vlan %u start %+.9f end %+.9f prev %d next %d closer %d close %d flags %#x\n",
                     c.id, a.clientIp(c).toString().c_str(), c.clientPort, a.serverIp(c).toString().c_str(), c.serverPort,
                     c.vlan, toSeconds(c.start - t0), toSeconds(c.end - t0), static_cast<int>(c.previousIncarnation),
                     static_cast<int>(c.nextIncarnation), static_cast<int>(c.activeCloser), static_cast<int>(c.closeKind),
                     c.flags);
        const auto segs = a.segmentsOf(c);
        for (std::size_t k = 0; k < segs.size(); ++k) {
            const ControlSegment& s = segs[k];
            std::fprintf(stderr, "   [%zu] %+.9f %s %-12s seq=%u ack=%u len=%u frame %u meta %#x\n", k, toSeconds(s.ts - t0),
                         s.from() == Side::Client ? "C>" : "<S", flagsToString(s.flags).c_str(), s.seq, s.ack, s.payload,
                         s.frame, s.meta);
        }
        for (const StateChange& s : a.statesOf(c))
            std::fprintf(stderr, "   %s %s @%s\n", s.side == Side::Client ? "client" : "server",
                         std::string(stateName(s.state)).c_str(),
                         s.segment == StateChange::kTimerSegment ? "timer" : std::to_string(s.segment).c_str());
        for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
            std::fprintf(stderr, "   TIME_WAIT %s %+.9f .. %+.9f reason %d\n",
                         c.timeWait[w].side == Side::Client ? "client" : "server", toSeconds(c.timeWait[w].start - t0),
                         toSeconds(c.timeWait[w].end - t0), static_cast<int>(c.timeWait[w].reason));
    }
}

// ---------------------------------------------------------------------------------------------
// Checks.

inline bool sameKey(const Connection& x, const Connection& y) {
    if (x.vlan != y.vlan)
        return false;
    const bool same = x.clientAddr == y.clientAddr && x.clientPort == y.clientPort && x.serverAddr == y.serverAddr &&
                      x.serverPort == y.serverPort;
    const bool swapped = x.clientAddr == y.serverAddr && x.clientPort == y.serverPort && x.serverAddr == y.clientAddr &&
                         x.serverPort == y.clientPort;
    return same || swapped;
}

// The reconstruction (core/model/analysis.h and connection.h promises).
inline void checkReconstruction(const Analysis& a, bool monotonic) {
    const std::size_t n = a.connections.size();
    std::uint64_t segRun = 0, stateRun = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const Connection& c = a.connections[i];
        TWLENS_ENGINE_CHECK(c.id == i, i);
        if (i > 0)
            TWLENS_ENGINE_CHECK(a.connections[i - 1].start <= c.start, i);
        TWLENS_ENGINE_CHECK(c.clientAddr < a.addresses.size() && c.serverAddr < a.addresses.size(), i);
        TWLENS_ENGINE_CHECK(c.vlan < a.vlanStacks.size(), i);
        // Each connection's segments and states: one contiguous run each, in connection order.
        TWLENS_ENGINE_CHECK(std::uint64_t{c.firstSegment} + c.segmentCount <= a.segments.size(), i);
        TWLENS_ENGINE_CHECK(std::uint64_t{c.firstState} + c.stateCount <= a.states.size(), i);
        TWLENS_ENGINE_CHECK(c.firstSegment == segRun, i);
        TWLENS_ENGINE_CHECK(c.firstState == stateRun, i);
        segRun += c.segmentCount;
        stateRun += c.stateCount;
        TWLENS_ENGINE_CHECK(c.start <= c.end || !monotonic, i);
        TWLENS_ENGINE_CHECK(c.segmentCount > 0, i); // a connection exists because a segment opened it
        const auto segs = a.segmentsOf(c);
        if (monotonic)
            for (std::size_t k = 0; k < segs.size(); ++k) {
                TWLENS_ENGINE_CHECK(segs[k].ts >= c.start && segs[k].ts <= c.end, i);
                TWLENS_ENGINE_CHECK(k == 0 || segs[k - 1].ts <= segs[k].ts, i);
            }
        // State entries name one of the connection's segments, or a TIME_WAIT timer of their side.
        for (const StateChange& s : a.statesOf(c)) {
            TWLENS_ENGINE_CHECK(s.state != TcpState::None, i);
            TWLENS_ENGINE_CHECK(s.side == Side::Client || s.side == Side::Server, i);
            if (s.segment == StateChange::kTimerSegment) {
                bool window = false;
                for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
                    window = window || c.timeWait[w].side == s.side;
                TWLENS_ENGINE_CHECK(window, i);
                TWLENS_ENGINE_CHECK(s.state == TcpState::Closed, i);
            } else {
                TWLENS_ENGINE_CHECK(s.segment < c.segmentCount, i);
            }
        }
        // Each side's timeline runs forward in time (stateSpans and the teaching steps read it so).
        if (monotonic)
            for (Side side : {Side::Client, Side::Server}) {
                TimeNs last = kNoTime;
                for (const StateChange& s : a.statesOf(c)) {
                    if (s.side != side)
                        continue;
                    const TimeNs t = a.stateTime(c, s);
                    TWLENS_ENGINE_CHECK(last == kNoTime || last <= t, i);
                    last = t;
                }
            }
        // TIME_WAIT windows: at most one per side, each a forward interval.
        TWLENS_ENGINE_CHECK(c.timeWaitCount <= 2, i);
        for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w) {
            const TimeWaitWindow& tw = c.timeWait[w];
            // Known reconstructor bug R2: with the capture's clock stepping back, a RST stamped before
            // the window's start cuts it there (end = the RST's time).
            TWLENS_ENGINE_CHECK(tw.end >= tw.start || (!monotonic && tw.reason == TimeWaitEnd::Rst), i);
            // Known reconstructor bug R1 (tst_engine_fuzz_replay::knownReconstructorBugs): a RST long
            // after the window expired still "cuts" it, so a Rst window may outlast the length.
            TWLENS_ENGINE_CHECK(tw.end - tw.start <= a.settings.twLength() || tw.reason == TimeWaitEnd::Rst, i);
            bool entered = false; // the side's timeline has the TIME_WAIT the window belongs to
            for (const StateChange& s : a.statesOf(c))
                entered = entered || (s.side == tw.side && s.state == TcpState::TimeWait);
            TWLENS_ENGINE_CHECK(entered, i);
        }
        if (c.timeWaitCount == 2) {
            TWLENS_ENGINE_CHECK(c.timeWait[0].side != c.timeWait[1].side, i);
            TWLENS_ENGINE_CHECK(c.timeWait[0].start <= c.timeWait[1].start, i);
        }
        // Incarnation links: symmetric, on the same 4-tuple (+ VLANs), later in start order.
        if (c.nextIncarnation != kNoIndex) {
            TWLENS_ENGINE_CHECK(c.nextIncarnation < n && c.nextIncarnation > i, i);
            const Connection& nx = a.connections[c.nextIncarnation];
            TWLENS_ENGINE_CHECK(nx.previousIncarnation == i, i);
            TWLENS_ENGINE_CHECK(sameKey(c, nx), i);
        }
        if (c.previousIncarnation != kNoIndex) {
            TWLENS_ENGINE_CHECK(c.previousIncarnation < i, i);
            TWLENS_ENGINE_CHECK(a.connections[c.previousIncarnation].nextIncarnation == i, i);
        } else {
            TWLENS_ENGINE_CHECK(c.reuseGap == kNoTime, i);
        }
        TWLENS_ENGINE_CHECK(static_cast<int>(c.activeCloser) <= static_cast<int>(Closer::Both), i);
        TWLENS_ENGINE_CHECK(static_cast<int>(c.closeKind) <= static_cast<int>(CloseKind::HalfClosed), i);
    }
    TWLENS_ENGINE_CHECK(segRun == a.segments.size(), segRun);
    TWLENS_ENGINE_CHECK(stateRun == a.states.size(), stateRun);
    // Incarnations of one key are chained: no two unlinked connections share a key while a
    // later one of that key links back (each key's chain is its connections in start order).
    for (std::size_t i = 0; i < n; ++i) {
        const Connection& c = a.connections[i];
        if (c.nextIncarnation == kNoIndex)
            continue;
        for (std::size_t j = i + 1; j < c.nextIncarnation; ++j)
            TWLENS_ENGINE_CHECK(!sameKey(c, a.connections[j]), i);
    }
}

// The hazard pass (core/hazards/detect_hazards.h): sorted by connection then time, ranges right.
// Whether a text states a negative amount ("-930.000 s", "(-2 ms"): a time told backwards.
inline bool negativeAmount(const std::string& text) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
        if (text[i] == '-' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '(') && text[i + 1] >= '0' && text[i + 1] <= '9')
            return true;
    return false;
}

inline void checkHazards(const Analysis& a, bool monotonic) {
    const std::size_t n = a.connections.size();
    for (std::size_t h = 0; h < a.hazards.size(); ++h) {
        const Hazard& z = a.hazards[h];
        if (monotonic && negativeAmount(z.summary)) {
            std::fprintf(stderr, "engine fuzz: hazard %zu: %s\n", h, z.summary.c_str());
            broken("a hazard's summary states no negative time on a forward-running capture", h);
        }
        TWLENS_ENGINE_CHECK(z.connection < n, h);
        TWLENS_ENGINE_CHECK(!z.kind.empty() && !z.summary.empty() && !z.reference.empty(), h);
        TWLENS_ENGINE_CHECK(static_cast<int>(z.severity) <= static_cast<int>(Severity::Critical), h);
        // The evidence is packets of this connection or of its neighbouring incarnations (a
        // TIME_WAIT socket's answer may be filed with the previous one).
        for (std::uint32_t frame : z.evidenceFrames) {
            bool found = false;
            for (std::uint32_t id : {z.connection, a.connections[z.connection].previousIncarnation,
                                     a.connections[z.connection].nextIncarnation}) {
                if (id >= n)
                    continue;
                for (const ControlSegment& seg : a.segmentsOf(a.connections[id]))
                    found = found || seg.frame == frame;
            }
            TWLENS_ENGINE_CHECK(found, h);
        }
        if (h > 0) {
            const Hazard& y = a.hazards[h - 1];
            TWLENS_ENGINE_CHECK(y.connection < z.connection || (y.connection == z.connection && y.ts <= z.ts), h);
        }
    }
    std::uint64_t covered = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const Connection& c = a.connections[i];
        if (c.hazardCount == 0)
            continue;
        TWLENS_ENGINE_CHECK(std::uint64_t{c.firstHazard} + c.hazardCount <= a.hazards.size(), i);
        for (std::uint32_t h = c.firstHazard; h < c.firstHazard + c.hazardCount; ++h)
            TWLENS_ENGINE_CHECK(a.hazards[h].connection == i, i);
        TWLENS_ENGINE_CHECK(c.firstHazard == 0 || a.hazards[c.firstHazard - 1].connection != i, i);
        TWLENS_ENGINE_CHECK(c.firstHazard + c.hazardCount == a.hazards.size() ||
                                a.hazards[c.firstHazard + c.hazardCount].connection != i, i);
        covered += c.hazardCount;
    }
    TWLENS_ENGINE_CHECK(covered == a.hazards.size(), covered);
}

inline bool sameHazards(const std::vector<Hazard>& x, const std::vector<Hazard>& y) {
    if (x.size() != y.size())
        return false;
    for (std::size_t i = 0; i < x.size(); ++i)
        if (x[i].kind != y[i].kind || x[i].connection != y[i].connection || x[i].ts != y[i].ts ||
            x[i].severity != y[i].severity || x[i].summary != y[i].summary || x[i].evidenceFrames != y[i].evidenceFrames)
            return false;
    return true;
}

// RFC 4180 records of the CSV: every record has the header's field count; one per connection.
inline void checkCsv(const std::string& csv, std::size_t connections) {
    std::size_t records = 0, fields = 1, headerFields = 0;
    bool quoted = false;
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char ch = csv[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < csv.size() && csv[i + 1] == '"')
                    ++i;
                else
                    quoted = false;
            }
            continue;
        }
        if (ch == '"')
            quoted = true;
        else if (ch == ',')
            ++fields;
        else if (ch == '\r') {
            TWLENS_ENGINE_CHECK(i + 1 < csv.size() && csv[i + 1] == '\n', i);
            ++i;
            if (records == 0)
                headerFields = fields;
            else
                TWLENS_ENGINE_CHECK(fields == headerFields, records);
            ++records;
            fields = 1;
        } else {
            TWLENS_ENGINE_CHECK(ch != '\n', i); // a bare LF outside quotes
        }
    }
    TWLENS_ENGINE_CHECK(!quoted, csv.size());
    TWLENS_ENGINE_CHECK(records == connections + 1, records);
}

inline void checkJson(const Analysis& a, const std::string& json) {
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(json.data(), static_cast<qsizetype>(json.size())), &err);
    if (err.error != QJsonParseError::NoError) {
        std::fprintf(stderr, "engine fuzz: JSON does not parse at %d: %s\n", err.offset,
                     err.errorString().toLocal8Bit().constData());
        broken("JSON parses");
    }
    TWLENS_ENGINE_CHECK(doc.isObject(), 0);
    const QJsonObject root = doc.object();
    TWLENS_ENGINE_CHECK(root.value(QStringLiteral("schema")).toString() == QLatin1String(kJsonSchema.data(), static_cast<qsizetype>(kJsonSchema.size())), 0);
    const QJsonArray conns = root.value(QStringLiteral("connections")).toArray();
    TWLENS_ENGINE_CHECK(static_cast<std::size_t>(conns.size()) == a.connections.size(), static_cast<std::uint64_t>(conns.size()));
    const QJsonArray hazards = root.value(QStringLiteral("hazards")).toArray();
    TWLENS_ENGINE_CHECK(static_cast<std::size_t>(hazards.size()) == a.hazards.size(), static_cast<std::uint64_t>(hazards.size()));
    // Each connection's entry says what the model says (times to the microsecond: doubles).
    const auto near = [](const QJsonValue& v, TimeNs t) {
        return t == kNoTime ? v.isNull() : v.isDouble() && std::abs(v.toDouble() - toSeconds(t)) < 1e-6;
    };
    for (qsizetype i = 0; i < conns.size(); ++i) {
        const Connection& c = a.connections[static_cast<std::size_t>(i)];
        const QJsonObject o = conns[i].toObject();
        TWLENS_ENGINE_CHECK(o.value(QStringLiteral("id")).toInteger(-1) == i, i);
        TWLENS_ENGINE_CHECK(near(o.value(QStringLiteral("start")), c.start) && near(o.value(QStringLiteral("end")), c.end), i);
        TWLENS_ENGINE_CHECK(static_cast<std::size_t>(o.value(QStringLiteral("hazards")).toArray().size()) == c.hazardCount, i);
        const QJsonArray tw = o.value(QStringLiteral("time_wait")).toArray();
        TWLENS_ENGINE_CHECK(tw.size() == c.timeWaitCount, i);
        for (qsizetype w = 0; w < tw.size() && w < 2; ++w) {
            const QJsonObject x = tw[w].toObject();
            TWLENS_ENGINE_CHECK(near(x.value(QStringLiteral("start")), c.timeWait[static_cast<std::size_t>(w)].start) &&
                                    near(x.value(QStringLiteral("end")), c.timeWait[static_cast<std::size_t>(w)].end), i);
        }
        const QJsonObject states = o.value(QStringLiteral("states")).toObject();
        std::size_t client = 0, server = 0;
        for (const StateChange& sc : a.statesOf(c))
            (sc.side == Side::Client ? client : server) += 1;
        TWLENS_ENGINE_CHECK(static_cast<std::size_t>(states.value(QStringLiteral("client")).toArray().size()) == client &&
                                static_cast<std::size_t>(states.value(QStringLiteral("server")).toArray().size()) == server, i);
        const QJsonValue prev = o.value(QStringLiteral("previous_incarnation"));
        TWLENS_ENGINE_CHECK(c.previousIncarnation == kNoIndex ? prev.isNull() : prev.toInteger(-1) == c.previousIncarnation, i);
    }
}

// The presentation of one connection: teaching steps and ladder rows name real segments and
// hazards, TIME_WAIT brackets sit on real rows, state spans run forward.
inline void checkPresentation(const Analysis& a, std::uint32_t id, bool monotonic, std::vector<StateSpan>& spans) {
    if (id >= a.connections.size())
        return;
    const Connection& c = a.connections[id];
    const Ladder L = buildLadder(a, id);
    TWLENS_ENGINE_CHECK(L.connection == id, id);
    std::size_t segmentRows = 0;
    std::vector<std::uint32_t> annotated;
    for (std::size_t r = 0; r < L.rows.size(); ++r) {
        const LadderRow& row = L.rows[r];
        if (row.kind != LadderRow::Kind::TimerExpiry)
            TWLENS_ENGINE_CHECK(row.segment < c.segmentCount, id);
        if (row.kind == LadderRow::Kind::Segment)
            ++segmentRows;
        if (monotonic && r > 0)
            TWLENS_ENGINE_CHECK(L.rows[r - 1].ts <= row.ts, id);
        for (std::uint32_t h : row.hazards) {
            TWLENS_ENGINE_CHECK(h >= c.firstHazard && h < c.firstHazard + c.hazardCount, id);
            annotated.push_back(h);
        }
        (void)describeRow(row);
    }
    TWLENS_ENGINE_CHECK(segmentRows == c.segmentCount, id);
    TWLENS_ENGINE_CHECK(annotated.size() == c.hazardCount, id); // every hazard on exactly one row
    TWLENS_ENGINE_CHECK(L.timeWaits.size() == c.timeWaitCount, id);
    for (const LadderTimeWait& tw : L.timeWaits)
        TWLENS_ENGINE_CHECK(tw.firstRow <= tw.lastRow && tw.lastRow < L.rows.size(), id);

    const std::vector<TeachingStep> steps = buildTeachingSteps(a, id);
    // One step for each kept segment and for each TIME_WAIT timer that fired.
    std::size_t segmentSteps = 0, timerSteps = 0, timers = 0;
    for (const TeachingStep& st : steps)
        (st.kind == TeachingStep::Kind::Segment ? segmentSteps : timerSteps) += 1;
    for (const StateChange& sc : a.statesOf(c))
        timers += sc.segment == StateChange::kTimerSegment;
    TWLENS_ENGINE_CHECK(segmentSteps == c.segmentCount, id);
    TWLENS_ENGINE_CHECK(timerSteps == timers, id);
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const TeachingStep& st = steps[k];
        if (st.kind == TeachingStep::Kind::Segment) {
            TWLENS_ENGINE_CHECK(st.segment < c.segmentCount, id);
            TWLENS_ENGINE_CHECK(stepSegment(a, id, st) != nullptr, id);
        } else {
            TWLENS_ENGINE_CHECK(stepSegment(a, id, st) == nullptr, id);
        }
        // Topics may be empty (a FIN the peer does not process teaches nothing); none twice.
        for (std::size_t t = 0; t < st.topics.size(); ++t)
            TWLENS_ENGINE_CHECK(std::count(st.topics.begin(), st.topics.end(), st.topics[t]) == 1, id);
        for (std::uint32_t h : st.hazards)
            TWLENS_ENGINE_CHECK(h < a.hazards.size() && a.hazards[h].connection == id, id);
        if (monotonic && k > 0)
            TWLENS_ENGINE_CHECK(steps[k - 1].ts <= st.ts, id);
        for (TeachingTopic t : st.topics)
            TWLENS_ENGINE_CHECK(!teachingTopicName(t).empty(), id);
    }
    (void)statePaths(a, id);
    (void)connectionTransitions(a, id);
    const TimeNs end = captureEndOf(a);
    bool backwardWindow = false; // known reconstructor bug R2: a window ending before it starts
    for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
        backwardWindow = backwardWindow || c.timeWait[w].end < c.timeWait[w].start;
    for (Side side : {Side::Client, Side::Server}) {
        stateSpans(a, c, side, end, spans);
        for (const StateSpan& s : spans)
            TWLENS_ENGINE_CHECK(s.from <= s.to || backwardWindow, id);
    }
}

inline void checkConcurrency(const Analysis& a) {
    const std::vector<CountPoint> series = timeWaitConcurrency(a);
    std::size_t windows = 0;
    for (const Connection& c : a.connections)
        windows += c.timeWaitCount;
    for (std::size_t k = 0; k < series.size(); ++k) {
        TWLENS_ENGINE_CHECK(series[k].count <= windows, k);
        if (k > 0)
            TWLENS_ENGINE_CHECK(series[k - 1].ts < series[k].ts, k);
    }
    if (!series.empty())
        TWLENS_ENGINE_CHECK(series.back().count == 0, series.size()); // every window closes
    const CountPeak peak = peakOf(series);
    const TeardownStats stats = teardownStats(a);
    TWLENS_ENGINE_CHECK(stats.connections == a.connections.size(), stats.connections);
    TWLENS_ENGINE_CHECK(stats.timeWaitWindows == windows, stats.timeWaitWindows);
    TWLENS_ENGINE_CHECK(stats.peak.count <= windows, stats.peak.count);
    // The text summary's peak (core/output) and the plot's series (core/presentation) count the
    // same half-open windows: the same peak, first reached at the same time. (Not with a
    // backwards window, R2, which the two skip differently.)
    bool backwardWindow = false;
    for (const Connection& c : a.connections)
        for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
            backwardWindow = backwardWindow || c.timeWait[w].end < c.timeWait[w].start;
    if (!backwardWindow) {
        TWLENS_ENGINE_CHECK(stats.peak.count == peak.count, stats.peak.count);
        TWLENS_ENGINE_CHECK(stats.peak.at == peak.at, stats.peak.count);
    }
    (void)thinForPlot(series, 64);
}

// ---------------------------------------------------------------------------------------------
// The step.

// The generated segments through the Reconstructor, in the input's batches, as the importers
// feed it (importers/analyze_files.cpp: settings first, one InputInfo per capture, finish()).
// `monotonic` tells whether the generated capture time never went back.
inline Analysis reconstructInput(const std::uint8_t* data, std::size_t size, bool& monotonic, bool& rerunHazards,
                                 std::size_t& segmentCount) {
    static thread_local std::vector<Segment> segments = [] {
        std::vector<Segment> v;
        v.reserve(SegmentGenerator::kMaxSegments + SegmentGenerator::kBulk + 64);
        return v;
    }();
    SegmentGenerator gen(data, size, segments);
    gen.generate();
    if (tracing())
        traceSegments(segments, gen.settings);
    Analysis a;
    a.settings = gen.settings;
    for (int input = 0; input < (gen.secondInput ? 2 : 1); ++input) {
        InputInfo info;
        info.path = input == 0 ? "fuzz-a.pcap" : "fuzz-b.pcapng";
        info.kind = input == 0 ? InputKind::Pcap : InputKind::Pcapng;
        info.packets = info.tcpPackets = gen.packets[input];
        info.firstTs = gen.firstTs[input];
        info.lastTs = gen.lastTs[input];
        info.linkType = 1;
        a.inputs.push_back(std::move(info));
    }
    {
        Reconstructor r(a);
        const std::span<const Segment> all(segments);
        const std::size_t step = gen.batch == 0 ? std::max<std::size_t>(all.size(), 1) : gen.batch;
        for (std::size_t from = 0; from < all.size(); from += step)
            r.segments(all.subspan(from, std::min(step, all.size() - from)));
        TWLENS_ENGINE_CHECK(r.connectionCount() <= all.size(), r.connectionCount());
        r.finish(gen.finishThreads);
    }
    if (tracing())
        traceAnalysis(a);
    monotonic = !gen.timeWentBack;
    rerunHazards = gen.rerunHazards;
    segmentCount = segments.size();
    return a;
}

inline RunStats runEngine(const std::uint8_t* data, std::size_t size) {
    static thread_local std::ostringstream text;
    bool monotonic = true, rerunHazards = false;
    std::size_t segmentCount = 0;
    Analysis a = reconstructInput(data, size, monotonic, rerunHazards, segmentCount);
    checkReconstruction(a, monotonic);

    detectHazards(a);
    checkHazards(a, monotonic);
    if (rerunHazards) { // "may run again": the same hazards, the same ranges
        const std::vector<Hazard> first = a.hazards;
        detectHazards(a);
        TWLENS_ENGINE_CHECK(sameHazards(first, a.hazards), first.size());
        checkHazards(a, monotonic);
    }
    computeExhaustionAndFindings(a);
    for (const Exhaustion& e : a.exhaustion)
        TWLENS_ENGINE_CHECK(e.usablePorts <= 65535u && e.series.size() <= 100000u, e.usablePorts);

    text.str(std::string());
    text.clear();
    TWLENS_ENGINE_CHECK(writeJson(a, text, 1), 0);
    checkJson(a, text.str());
    text.str(std::string());
    TWLENS_ENGINE_CHECK(writeCsv(a, text), 0);
    checkCsv(text.str(), a.connections.size());
    text.str(std::string());
    writeTextSummary(a, text);
    TWLENS_ENGINE_CHECK(!text.str().empty(), 0);


    (void)summarize(a);
    checkConcurrency(a);
    const TupleRows rows(a);
    std::size_t inRows = 0;
    for (std::size_t r = 0; r < rows.rowCount(); ++r)
        inRows += rows.incarnations(r).size();
    TWLENS_ENGINE_CHECK(inRows == a.connections.size(), inRows);
    const FigureWindow whole = fullWindow(a);
    TWLENS_ENGINE_CHECK(whole.from < whole.to, 0);
    (void)stateTransitions(a, whole);
    // Every connection overlaps the whole analysis' window (it is built to hold them all).
    for (const Connection& c : a.connections)
        TWLENS_ENGINE_CHECK(overlaps(c, whole), c.id);
    TWLENS_ENGINE_CHECK(!windowCaption(a, whole).empty() && !settingsCaption(a.settings).empty() &&
                            !inputsCaption(a).empty() && !relativeSecondsText(a, whole.to).empty(), 0);
    for (const Exhaustion& e : a.exhaustion) {
        (void)projectionLine(e);
        TWLENS_ENGINE_CHECK(usablePortsOf(e) <= 65535u, usablePortsOf(e));
    }
    // The connection filter over every connection: "any hazard" is exactly the connections with one.
    {
        const ConnectionMatcher matcher(a);
        const ConnectionFilter anyHazard = parseConnectionFilter("hazard:any");
        const ConnectionFilter mixed = parseConnectionFilter("port:80 is:time-wait closer:client close:fin 10.0.0");
        TWLENS_ENGINE_CHECK(anyHazard.errors.empty() && mixed.errors.empty(), 0);
        for (const Connection& c : a.connections) {
            TWLENS_ENGINE_CHECK(matcher.matches(c, anyHazard) == (c.hazardCount > 0), c.id);
            (void)matcher.matches(c, mixed);
        }
    }

    std::vector<StateSpan> spans;
    if (!a.connections.empty()) {
        const auto n = static_cast<std::uint32_t>(a.connections.size());
        const std::uint32_t main = mainConnectionOf(a);
        TWLENS_ENGINE_CHECK(main < n, main);
        checkPresentation(a, main, monotonic, spans);
        checkPresentation(a, 0, monotonic, spans);
        checkPresentation(a, n - 1, monotonic, spans);
        if (!a.hazards.empty())
            checkPresentation(a, a.hazards.back().connection, monotonic, spans);
        TWLENS_ENGINE_CHECK(buildTeachingSteps(a, n).empty() && buildLadder(a, n).rows.empty(), n);
    }

    RunStats st;
    st.segments = segmentCount;
    st.connections = a.connections.size();
    st.hazards = a.hazards.size();
    st.timeWentBack = !monotonic;
    for (const Connection& c : a.connections) {
        st.timeWaits += c.timeWaitCount;
        st.reusedLinks += c.previousIncarnation != kNoIndex;
        st.ipv6 += !a.clientIp(c).isV4();
    }
    return st;
}

} // namespace twlens::fuzz::engine
