// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-bench-page-touch: what writing freshly mapped memory costs on this machine, printed by
// run_capture_benchmark.sh beside its figures. An analysis writes several hundred MB it has just
// mapped (the segment log and stores while reading, then the Connections, states and coded
// segments), which the bare libpcap loop does not, so this cost moves the ratio: on one virtual
// machine the first write of populated pages took ~1.4 ms per MB, 25 times the second.
//
// Maps MB megabytes (default 64), populates them as the analysis does (prefaultForWrite), then
// times the first and the second write of every byte.
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/support/prefault.h"

int main(int argc, char** argv) {
    const long mb = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 64;
    if (mb <= 0 || mb > 4096) {
        std::fprintf(stderr, "usage: twlens-bench-page-touch [MB, 1..4096]\n");
        return 2;
    }
    const std::size_t bytes = static_cast<std::size_t>(mb) << 20;
    void* map = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        std::perror("twlens-bench-page-touch: mmap");
        return 1;
    }
    auto* p = static_cast<unsigned char*>(map);
    using Clock = std::chrono::steady_clock;
    const auto msPerMb = [mb](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count() / static_cast<double>(mb);
    };
    const Clock::time_point t0 = Clock::now();
    const bool populated = twlens::prefaultForWrite(map, bytes);
    const Clock::time_point t1 = Clock::now();
    std::memset(p, 1, bytes);
    const Clock::time_point t2 = Clock::now();
    std::memset(p, 2, bytes);
    const Clock::time_point t3 = Clock::now();
    // Read a byte back, so that the writes cannot be dropped as dead.
    const int check = p[bytes / 2];
    ::munmap(map, bytes);
    std::printf("populate %.3f ms/MB%s, first write %.3f ms/MB, second write %.3f ms/MB (%ld MB)\n",
                populated ? msPerMb(t0, t1) : 0.0, populated ? "" : " (not supported)", msPerMb(t1, t2),
                msPerMb(t2, t3), mb);
    return check == 2 ? 0 : 1;
}
