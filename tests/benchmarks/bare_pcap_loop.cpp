// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-bench-pcap-loop: the benchmark's floor. Reads a capture with pcap_open_offline +
// pcap_next_ex and touches each packet as little as possible (counts packets, sums caplen), so
// "twlens time / this time" is what analysis costs on top of reading the file with libpcap.
//
// --map adds the naive reference the issue quotes: decode Ethernet/IPv4/TCP and keep a
// std::unordered_map from 4-tuple to a small record, i.e. what a straightforward per-connection
// table costs before any TCP logic.
//
// --buffer BYTES opens the FILE ourselves with a stdio buffer of that size (setvbuf) and hands it
// to pcap_fopen_offline, to see whether libpcap's default FILE buffer (st_blksize, 4 KiB per
// read()) is what bounds the loop. (On the machine of the first measurements it was not: 1 MiB
// and 256 KiB buffers ran within the run-to-run noise of the default.)
#include <pcap/pcap.h>

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

namespace {

struct FlowKey {
    std::uint32_t a = 0, b = 0;
    std::uint16_t pa = 0, pb = 0;
    bool operator==(const FlowKey&) const = default;
};
struct FlowKeyHash {
    std::size_t operator()(const FlowKey& k) const noexcept {
        std::uint64_t x = (static_cast<std::uint64_t>(k.a) << 32 | k.b) * 0x9E3779B97F4A7C15ULL;
        x ^= (static_cast<std::uint64_t>(k.pa) << 16 | k.pb) * 0xC2B2AE3D27D4EB4FULL;
        return static_cast<std::size_t>(x ^ (x >> 29));
    }
};
struct FlowRecord {
    std::int64_t first = 0, last = 0;
    std::uint32_t packets = 0, bytes = 0;
    std::uint8_t flagsSeen = 0;
};

std::uint32_t rd32(const u_char* p) {
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
           static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

void usage() { std::fprintf(stderr, "usage: twlens-bench-pcap-loop FILE [--map] [--buffer BYTES] [--stop-after PACKETS]\n"); }

} // namespace

int main(int argc, char** argv) {
    std::string path;
    bool map = false;
    std::uint64_t stopAfter = 0;
    std::size_t buffer = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--map") map = true;
        else if (a == "--stop-after" && i + 1 < argc) stopAfter = std::strtoull(argv[++i], nullptr, 10);
        else if (a == "--buffer" && i + 1 < argc) buffer = std::strtoull(argv[++i], nullptr, 10);
        else if (path.empty() && a[0] != '-') path = a;
        else { usage(); return 2; }
    }
    if (path.empty()) { usage(); return 2; }

    const auto t0 = std::chrono::steady_clock::now();
    char err[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = nullptr;
    if (buffer == 0) {
        p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, err);
    } else if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::setvbuf(f, nullptr, _IOFBF, buffer);
        p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
        if (!p) std::fclose(f);
    } else {
        std::snprintf(err, sizeof err, "%s", std::strerror(errno));
    }
    if (!p) {
        std::fprintf(stderr, "twlens-bench-pcap-loop: %s: %s\n", path.c_str(), err);
        return 2;
    }
    const bool ethernet = pcap_datalink(p) == DLT_EN10MB;
    std::unordered_map<FlowKey, FlowRecord, FlowKeyHash> flows;
    std::uint64_t packets = 0, bytes = 0;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        ++packets;
        bytes += h->caplen;
        if (map && ethernet && h->caplen >= 54 && data[12] == 0x08 && data[13] == 0x00 && data[23] == 6) {
            const u_char* ip = data + 14;
            const u_char* tcp = ip + (ip[0] & 0x0F) * 4;
            if (tcp + 20 <= data + h->caplen) {
                FlowKey k{rd32(ip + 12), rd32(ip + 16), static_cast<std::uint16_t>(tcp[0] << 8 | tcp[1]),
                          static_cast<std::uint16_t>(tcp[2] << 8 | tcp[3])};
                if (k.a > k.b || (k.a == k.b && k.pa > k.pb)) {  // one key for both directions
                    std::swap(k.a, k.b);
                    std::swap(k.pa, k.pb);
                }
                FlowRecord& r = flows[k];
                const std::int64_t ts = static_cast<std::int64_t>(h->ts.tv_sec) * 1'000'000'000 + h->ts.tv_usec;
                if (r.packets++ == 0) r.first = ts;
                r.last = ts;
                r.bytes += h->len;
                r.flagsSeen |= tcp[13];
            }
        }
        if (packets == stopAfter) break;
    }
    if (rc == PCAP_ERROR) std::fprintf(stderr, "twlens-bench-pcap-loop: %s: %s\n", path.c_str(), pcap_geterr(p));
    pcap_close(p);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("packets %" PRIu64 " caplen_bytes %" PRIu64 " seconds %.3f ns_per_packet %.1f", packets, bytes, s,
                packets ? s * 1e9 / static_cast<double>(packets) : 0.0);
    if (map) std::printf(" flows %zu", flows.size());
    std::printf("\n");
    return rc == PCAP_ERROR ? 1 : 0;
}
