// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-gen-capture: writes a deterministic synthetic capture of many short TCP connections
// (handshake, request/response, FIN or RST teardown) interleaved in time order, and a JSON
// sidecar with what it put in (RST closes, lost final ACKs, reused 4-tuples ...), so a test can
// check the analyzer finds exactly that. See run_capture_benchmark.sh for the benchmark.
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <string>
#include <vector>

#include "capture_rng.h"
#include "connection_plan.h"
#include "frame_writer.h"

namespace twlens::bench {
namespace {

struct Options {
    std::uint64_t connections = 500'000;
    std::uint32_t packetsPerConn = 20;
    std::uint64_t seed = 1;
    double rate = 2500.0;            // new connections per second
    std::uint32_t clients = 2000;
    int snaplen = 65535;
    bool nanosecond = false;
    std::uint64_t stopAfter = 0;     // packets; 0 = all
    double rstFraction = 0.05;
    double lostAckFraction = 0.01;
    double reuseFraction = 0.02;
    double timestampFraction = 0.9;
    std::string output;
    std::string sidecar;             // default: OUTPUT.json
};

// What went into the capture, counted when a connection's first packet is written.
struct Tally {
    std::uint64_t connections = 0, packets = 0;
    std::uint64_t finClosed = 0, clientFirst = 0, serverFirst = 0;
    std::uint64_t rstClosed = 0, refused = 0, clientAborts = 0, serverAborts = 0;
    std::uint64_t lostFinalAck = 0, lostFinalAckSeen = 0, finRetransmissions = 0;
    std::uint64_t reused = 0, reusedWithin60s = 0, reusedAfter60s = 0;
    std::uint64_t reusedInTimeWait = 0;  // reopened within 60 s of a FIN close: ends a TIME_WAIT early
    std::uint64_t withTimestamps = 0, seqWraps = 0;
    std::uint64_t maxConcurrent = 0;
    TimeNs firstTs = 0, lastTs = 0;
};

// A connection waiting to start: a fresh arrival or a reopened 4-tuple.
struct Pending {
    ConnectionSpec spec;
    std::uint64_t order = 0;   // tie-break: keeps the output identical for a given seed
    TimeNs reuseGap = -1;      // >= 0 when this reopens an earlier connection's 4-tuple
    bool previousFinClosed = false;
    bool operator>(const Pending& o) const {
        return spec.start != o.spec.start ? spec.start > o.spec.start : order > o.order;
    }
};

// A connection being written: its planned packets and the next one to go out.
struct Active {
    ConnectionSpec spec;
    PlanSummary summary;
    std::vector<PlannedPacket> packets;
    std::size_t next = 0;
    TimeNs reuseGap = -1;
    bool previousFinClosed = false;
};

constexpr TimeNs kEpoch = 1'700'000'000LL * kNsPerSecond;
constexpr std::uint32_t kServerIps[] = {0x0A00000A, 0x0A00000B, 0x0A00000C, 0x0A00000D};  // 10.0.0.10-13
constexpr std::uint16_t kServerPorts[] = {80, 443, 8080, 5432};
constexpr std::uint16_t kPortLow = 32768, kPortCount = 28232;  // Linux default ip_local_port_range

class Generator {
public:
    explicit Generator(const Options& o) : opt_(o), rng_(o.seed), clientPortNext_(o.clients) {
        for (auto& p : clientPortNext_) p = static_cast<std::uint16_t>(rng_.below(kPortCount));
        clientRtt_.resize(o.clients);
        for (auto& r : clientRtt_) r = rng_.between(300'000, 60'000'000);
    }

    bool run(FrameWriter& out) {
        TimeNs t = kEpoch;
        std::uint64_t planned = 0;
        bool freshPending = false;
        Pending fresh;
        auto nextFresh = [&] {
            if (planned >= opt_.connections) return;
            t += static_cast<TimeNs>(-std::log(1.0 - rng_.unit()) / opt_.rate * 1e9);
            fresh = makeFresh(t, order_++);
            freshPending = true;
            ++planned;
        };
        nextFresh();
        using Key = std::pair<TimeNs, std::uint64_t>;  // next packet time, serial
        std::priority_queue<std::pair<Key, std::size_t>, std::vector<std::pair<Key, std::size_t>>, std::greater<>> live;
        std::vector<Active> slots;
        std::vector<std::size_t> freeSlots;
        std::uint64_t serial = 0;

        for (;;) {
            const Pending* start = nullptr;
            if (freshPending) start = &fresh;
            if (!reopens_.empty() && (!start || *start > reopens_.top())) start = &reopens_.top();
            const bool haveLive = !live.empty();
            if (!start && !haveLive) break;
            if (start && (!haveLive || start->spec.start <= live.top().first.first)) {
                std::size_t slot;
                if (freeSlots.empty()) {
                    slot = slots.size();
                    slots.emplace_back();
                } else {
                    slot = freeSlots.back();
                    freeSlots.pop_back();
                }
                Active& a = slots[slot];
                a.spec = start->spec;
                a.reuseGap = start->reuseGap;
                a.previousFinClosed = start->previousFinClosed;
                a.next = 0;
                if (start == &fresh) {
                    freshPending = false;
                    nextFresh();
                } else {
                    reopens_.pop();
                }
                a.summary = planConnection(a.spec, rng_, a.packets);
                if (planned < opt_.connections && rng_.chance(opt_.reuseFraction)) {
                    scheduleReopen(a);
                    ++planned;
                }
                live.push({{a.packets.front().ts, serial++}, slot});
                continue;
            }
            const std::size_t slot = live.top().second;
            live.pop();
            Active& a = slots[slot];
            if (a.next == 0) count(a, live.size() + 1);
            out.write(a.spec, a.packets[a.next]);
            tally_.lastTs = a.packets[a.next].ts;
            if (++tally_.packets == opt_.stopAfter) return true;
            if (++a.next < a.packets.size())
                live.push({{a.packets[a.next].ts, serial++}, slot});
            else
                freeSlots.push_back(slot);
        }
        return true;
    }

    const Tally& tally() const { return tally_; }

private:
    Pending makeFresh(TimeNs t, std::uint64_t order) {
        Pending p;
        p.order = order;
        ConnectionSpec& s = p.spec;
        const std::uint32_t client = rng_.below(opt_.clients);
        const std::uint32_t server = rng_.below(4);
        s.clientIp = 0x0A010001 + client;  // 10.1.0.1 upwards
        s.serverIp = kServerIps[server];
        s.serverPort = kServerPorts[server];
        // connect() hands out the client's ports in turn; every fresh connection gets a 4-tuple
        // of its own, so only scheduleReopen() makes reuse.
        s.clientPort = static_cast<std::uint16_t>(kPortLow + clientPortNext_[client]);
        clientPortNext_[client] = static_cast<std::uint16_t>((clientPortNext_[client] + 1) % kPortCount);
        s.start = t;
        s.rtt = clientRtt_[client];
        // About 1% of each side's sequence numbers cross 2^32 during the connection.
        s.clientIsn = rng_.chance(0.01) ? 0xFFFFFFFFu - rng_.below(150) : rng_.u32();
        s.serverIsn = rng_.chance(0.01) ? 0xFFFFFFFFu - rng_.below(1500) : rng_.u32();
        s.clientTsOffset = hashPair(s.clientIp, s.serverIp);
        s.serverTsOffset = hashPair(s.serverIp, s.clientIp);
        s.packets = opt_.packetsPerConn;
        s.timestamps = rng_.chance(opt_.timestampFraction);
        chooseTeardown(s);
        return p;
    }

    void chooseTeardown(ConnectionSpec& s) {
        const double u = rng_.unit();
        s.lostFinalAck = false;
        if (u < opt_.rstFraction) {
            const std::uint32_t v = rng_.below(10);
            s.teardown = v < 2 ? Teardown::Refused : v < 6 ? Teardown::ClientAbort : Teardown::ServerAbort;
        } else {
            s.teardown = rng_.chance(0.5) ? Teardown::ClientFin : Teardown::ServerFin;
            s.lostFinalAck = u < opt_.rstFraction + opt_.lostAckFraction;
        }
    }

    // The same client port to the same server again, half of them while the old 4-tuple may
    // still be in TIME_WAIT (1-55 s after the close), half after the 60 s (65-180 s). The new
    // SYN's sequence number lies beyond the old one and its timestamp is newer, so a Linux peer
    // in TIME_WAIT accepts it (tcp_timewait_state_process).
    void scheduleReopen(const Active& prev) {
        Pending p;
        p.order = order_++;
        p.spec = prev.spec;
        p.previousFinClosed = !isRst(prev.spec.teardown);
        ConnectionSpec& s = p.spec;
        const bool within = rng_.chance(0.5);
        p.reuseGap = within ? rng_.between(1'000'000'000, 55'000'000'000) : rng_.between(65'000'000'000, 180'000'000'000);
        s.start = prev.summary.lastTs + p.reuseGap;
        s.clientIsn = prev.summary.clientSeqEnd + 100'000 + rng_.below(1'000'000);
        s.serverIsn = rng_.u32();
        s.timestamps = rng_.chance(opt_.timestampFraction);
        chooseTeardown(s);
        reopens_.push(p);
    }

    void count(const Active& a, std::size_t open) {
        Tally& t = tally_;
        if (t.connections++ == 0) t.firstTs = a.packets.front().ts;
        t.maxConcurrent = std::max<std::uint64_t>(t.maxConcurrent, open);
        const ConnectionSpec& s = a.spec;
        switch (s.teardown) {
        case Teardown::ClientFin: ++t.finClosed; ++t.clientFirst; break;
        case Teardown::ServerFin: ++t.finClosed; ++t.serverFirst; break;
        case Teardown::ClientAbort: ++t.rstClosed; ++t.clientAborts; break;
        case Teardown::ServerAbort: ++t.rstClosed; ++t.serverAborts; break;
        case Teardown::Refused: ++t.rstClosed; ++t.refused; break;
        }
        if (s.lostFinalAck) {
            ++t.lostFinalAck;
            if (a.summary.finalAckSeen) ++t.lostFinalAckSeen;
        }
        t.finRetransmissions += a.summary.finRetransmissions;
        if (a.reuseGap >= 0) {
            ++t.reused;
            const bool within = a.reuseGap < 60 * kNsPerSecond;
            ++(within ? t.reusedWithin60s : t.reusedAfter60s);
            if (within && a.previousFinClosed) ++t.reusedInTimeWait;
        }
        if (s.timestamps) ++t.withTimestamps;
        if (a.summary.seqWraps) ++t.seqWraps;
    }

    static std::uint32_t hashPair(std::uint32_t a, std::uint32_t b) {
        std::uint64_t x = (static_cast<std::uint64_t>(a) << 32 | b) * 0x9E3779B97F4A7C15ULL;
        return static_cast<std::uint32_t>(x >> 32);
    }

    const Options& opt_;
    Rng rng_;
    std::vector<std::uint16_t> clientPortNext_;
    std::vector<TimeNs> clientRtt_;
    std::priority_queue<Pending, std::vector<Pending>, std::greater<>> reopens_;
    std::uint64_t order_ = 0;
    Tally tally_;
};

bool writeSidecar(const Options& o, const Tally& t, std::uint64_t fileBytes) {
    std::FILE* f = o.sidecar == "-" ? stdout : std::fopen(o.sidecar.c_str(), "w");
    if (!f) {
        std::fprintf(stderr, "twlens-gen-capture: %s: %s\n", o.sidecar.c_str(), std::strerror(errno));
        return false;
    }
    const auto sec = [](TimeNs ns) { return static_cast<double>(ns) / 1e9; };
    std::fprintf(f,
                 "{\n  \"generator\": \"twlens-gen-capture\",\n  \"capture\": \"%s\",\n  \"seed\": %" PRIu64 ",\n"
                 "  \"truncated\": %s,\n  \"file_bytes\": %" PRIu64 ",\n  \"clients\": %u,\n  \"servers\": 4,\n"
                 "  \"packets_per_connection\": %u,\n  \"packets\": %" PRIu64 ",\n  \"connections\": %" PRIu64 ",\n"
                 "  \"fin_closed\": %" PRIu64 ",\n  \"client_first_close\": %" PRIu64 ",\n  \"server_first_close\": %" PRIu64 ",\n"
                 "  \"rst_closed\": %" PRIu64 ",\n  \"refused\": %" PRIu64 ",\n  \"client_aborts\": %" PRIu64 ",\n"
                 "  \"server_aborts\": %" PRIu64 ",\n  \"lost_final_ack\": %" PRIu64 ",\n  \"lost_final_ack_ack_seen\": %" PRIu64 ",\n"
                 "  \"fin_retransmissions\": %" PRIu64 ",\n  \"reused\": %" PRIu64 ",\n  \"reused_within_60s\": %" PRIu64 ",\n"
                 "  \"reused_after_60s\": %" PRIu64 ",\n  \"reused_in_time_wait\": %" PRIu64 ",\n  \"with_timestamps\": %" PRIu64 ",\n  \"seq_wraps\": %" PRIu64 ",\n"
                 "  \"max_concurrent\": %" PRIu64 ",\n  \"first_ts\": %.9f,\n  \"last_ts\": %.9f\n}\n",
                 o.output.c_str(), o.seed, o.stopAfter && t.packets == o.stopAfter ? "true" : "false", fileBytes,
                 o.clients, o.packetsPerConn, t.packets, t.connections, t.finClosed, t.clientFirst, t.serverFirst,
                 t.rstClosed, t.refused, t.clientAborts, t.serverAborts, t.lostFinalAck, t.lostFinalAckSeen,
                 t.finRetransmissions, t.reused, t.reusedWithin60s, t.reusedAfter60s, t.reusedInTimeWait, t.withTimestamps, t.seqWraps,
                 t.maxConcurrent, sec(t.firstTs), sec(t.lastTs));
    const bool ok = !std::ferror(f);
    if (f != stdout) std::fclose(f);
    return ok;
}

void usage(std::FILE* f) {
    std::fprintf(f,
                 "usage: twlens-gen-capture -o FILE [options]\n"
                 "  --connections N        connections in the capture [500000]\n"
                 "  --packets-per-conn N   packets of a FIN-closed connection, >= 8 [20]\n"
                 "  --seed N               random seed; same seed, same bytes [1]\n"
                 "  --rate R               new connections per second [2500]\n"
                 "  --clients N            client addresses 10.1.0.1... [2000]\n"
                 "  --snaplen N            bytes captured per frame [65535]\n"
                 "  --nanosecond           nanosecond-resolution pcap\n"
                 "  --rst F --lost-ack F --reuse F --timestamps F   fractions [0.05 0.01 0.02 0.9]\n"
                 "  --stop-after N         stop after N packets (the sidecar then says truncated)\n"
                 "  --sidecar FILE|-       what was generated, as JSON [FILE.json]\n");
}

bool parse(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        const char* v = nullptr;
        if (a == "-h" || a == "--help") { usage(stdout); std::exit(0); }
        if (a == "--nanosecond") { o.nanosecond = true; continue; }
        if (!(v = value())) return false;
        char* end = nullptr;
        const unsigned long long n = std::strtoull(v, &end, 10);
        const double d = std::strtod(v, nullptr);
        if (a == "-o" || a == "--output") o.output = v;
        else if (a == "--sidecar") o.sidecar = v;
        else if (a == "--connections") o.connections = n;
        else if (a == "--packets-per-conn") o.packetsPerConn = static_cast<std::uint32_t>(n);
        else if (a == "--seed") o.seed = n;
        else if (a == "--rate") o.rate = d;
        else if (a == "--clients") o.clients = static_cast<std::uint32_t>(n);
        else if (a == "--snaplen") o.snaplen = static_cast<int>(n);
        else if (a == "--stop-after") o.stopAfter = n;
        else if (a == "--rst") o.rstFraction = d;
        else if (a == "--lost-ack") o.lostAckFraction = d;
        else if (a == "--reuse") o.reuseFraction = d;
        else if (a == "--timestamps") o.timestampFraction = d;
        else return false;
    }
    if (o.output.empty() || o.connections == 0 || o.packetsPerConn < 8 || o.packetsPerConn > 2000 || o.rate <= 0 ||
        o.clients == 0 || o.snaplen < 54)
        return false;
    // Fresh 4-tuples come from each client's port range; keep well inside it.
    if (o.connections / o.clients > kPortCount / 2) o.clients = static_cast<std::uint32_t>(o.connections / (kPortCount / 2) + 1);
    if (o.sidecar.empty()) o.sidecar = o.output + ".json";
    return true;
}

} // namespace
} // namespace twlens::bench

int main(int argc, char** argv) {
    using namespace twlens::bench;
    Options opt;
    if (!parse(argc, argv, opt)) {
        usage(stderr);
        return 2;
    }
    FrameWriter writer;
    std::string error;
    if (!writer.open(opt.output, opt.snaplen, opt.nanosecond, error)) {
        std::fprintf(stderr, "twlens-gen-capture: cannot write %s\n", error.c_str());
        return 2;
    }
    Generator gen(opt);
    gen.run(writer);
    const std::uint64_t bytes = writer.bytesWritten();
    if (!writer.close()) {
        std::fprintf(stderr, "twlens-gen-capture: writing %s failed\n", opt.output.c_str());
        return 1;
    }
    return writeSidecar(opt, gen.tally(), bytes) ? 0 : 1;
}
