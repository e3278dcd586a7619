// SPDX-License-Identifier: GPL-3.0-or-later
// Snapshot parsing speed (issue 4, "Performance": >= 100 MB/s of ss text). Generates an
// `ss -tano` listing of N sockets (default 1,000,000; IPv4 and bracketed IPv6, every state,
// timers on most rows) and parses it twice: from memory (the parsing core) and from a
// temporary file through the importer's read() (what the analysis does). Prints MB/s.
//   twlens-bench-snapshot [--sockets N] [--min-mbps X]   (exit 1 when below X)
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "importers/snapshot/line_source.h"
#include "importers/snapshot/ss_sockets_importer.h"

using namespace twlens;

namespace {

std::string generate(std::size_t sockets) {
    static const char* kStates[] = {"ESTAB", "TIME-WAIT", "TIME-WAIT", "TIME-WAIT", "FIN-WAIT-2",
                                    "CLOSE-WAIT", "SYN-SENT", "LAST-ACK"};
    std::string s;
    s.reserve(sockets * 130 + 200);
    s += "1763788800.123456789\n";
    s += "State      Recv-Q Send-Q                 Local Address:Port                  Peer Address:Port Process\n";
    char line[256];
    std::uint64_t x = 88172645463325252ULL;
    for (std::size_t i = 0; i < sockets; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; // xorshift: varied but reproducible
        const char* st = kStates[x % 8];
        const unsigned port = 32768 + static_cast<unsigned>(i % 28232);
        const unsigned dst = static_cast<unsigned>((x >> 8) % 200);
        int n;
        if (i % 10 == 9)
            n = std::snprintf(line, sizeof line, "%-10s 0      0        [2001:db8::%x]:%u        [2001:db8:1::%x]:443",
                              st, static_cast<unsigned>(i % 0xffff), port, dst);
        else
            n = std::snprintf(line, sizeof line, "%-10s 0      0                10.1.%u.%u:%u              192.0.2.%u:443",
                              st, static_cast<unsigned>((i >> 8) % 256), static_cast<unsigned>(i % 256), port, dst);
        s.append(line, static_cast<std::size_t>(n));
        if (std::strcmp(st, "TIME-WAIT") == 0)
            n = std::snprintf(line, sizeof line, " timer:(timewait,%usec,0)\n", static_cast<unsigned>(1 + x % 59));
        else if (std::strcmp(st, "ESTAB") == 0)
            n = std::snprintf(line, sizeof line, " timer:(keepalive,%umin%usec,0)\n", static_cast<unsigned>(x % 120),
                              static_cast<unsigned>(x % 60));
        else
            n = std::snprintf(line, sizeof line, "\n");
        s.append(line, static_cast<std::size_t>(n));
    }
    return s;
}

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Run {
    double seconds = 0;
    double cpu = 0; // on a loaded machine the CPU time says more than the wall time
    std::size_t rows = 0;
    std::size_t warnings = 0;
};

template <typename F>
Run timed(F&& parse) {
    std::vector<SocketSnapshot> snaps;
    InputInfo info;
    ImportContext ctx;
    ctx.snapshots = &snaps;
    ctx.info = &info;
    const double c0 = cpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    parse(ctx);
    const auto t1 = std::chrono::steady_clock::now();
    Run r;
    r.cpu = cpuSeconds() - c0;
    r.seconds = std::chrono::duration<double>(t1 - t0).count();
    r.rows = snaps.empty() ? 0 : snaps[0].sockets.size();
    r.warnings = info.warnings.size();
    return r;
}

} // namespace

int main(int argc, char** argv) {
    std::size_t sockets = 1'000'000;
    double minMbps = 0;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--sockets") && i + 1 < argc)
            sockets = std::strtoull(argv[++i], nullptr, 10);
        else if (!std::strcmp(argv[i], "--min-mbps") && i + 1 < argc)
            minMbps = std::strtod(argv[++i], nullptr);
        else {
            std::fprintf(stderr, "usage: %s [--sockets N] [--min-mbps X]\n", argv[0]);
            return 2;
        }
    }
    const std::string text = generate(sockets);
    const double mb = static_cast<double>(text.size()) / 1e6;
    const SsSocketsImporter importer;

    const Run mem = timed([&](ImportContext& ctx) {
        MemoryLineSource lines(text);
        importer.readLines(lines, ctx, {});
    });

    const auto path = std::filesystem::temp_directory_path() / ("twlens-bench-ss-" + std::to_string(::getpid()) + ".txt");
    std::ofstream(path, std::ios::binary).write(text.data(), static_cast<std::streamsize>(text.size()));
    const Run file = timed([&](ImportContext& ctx) { importer.read(path.string(), ctx); });
    std::filesystem::remove(path);

    std::printf("ss -tano text: %zu sockets, %.1f MB\n", sockets, mb);
    std::printf("memory: %zu rows in %.3f s = %.0f MB/s (CPU %.3f s = %.0f MB/s)\n", mem.rows, mem.seconds,
                mb / mem.seconds, mem.cpu, mb / mem.cpu);
    std::printf("file:   %zu rows in %.3f s = %.0f MB/s (CPU %.3f s = %.0f MB/s)\n", file.rows, file.seconds,
                mb / file.seconds, file.cpu, mb / file.cpu);
    if (mem.rows != sockets || file.rows != sockets || mem.warnings || file.warnings) {
        std::fprintf(stderr, "parsed %zu/%zu rows with %zu/%zu warnings, expected %zu and none\n", mem.rows, file.rows,
                     mem.warnings, file.warnings, sockets);
        return 1;
    }
    if (minMbps > 0 && mb / file.seconds < minMbps) {
        std::fprintf(stderr, "below %.0f MB/s\n", minMbps);
        return 1;
    }
    return 0;
}
