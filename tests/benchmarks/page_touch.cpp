// SPDX-License-Identifier: GPL-3.0-or-later
// twlens-bench-page-touch: what writing freshly mapped memory costs on this machine, printed by
// run_capture_benchmark.sh beside its figures. An analysis writes a few hundred MB it has just
// mapped (the segment log and stores while reading), which the bare libpcap loop does not, so
// this cost moves the ratio: on one virtual machine the first write of populated pages took
// ~1.3 ms per MB, 20-25 times the second.
//
// Maps MB megabytes (default 64, rounded up to whole 2 MiB blocks) on a block boundary, populates them as the analysis does
// (prefaultForWrite), times the first and the second write of every byte, then moves the written
// blocks to a new mapping as the Finaliser does (BlockPool::prepare) and times a write there: the
// premise of BlockPool is that this costs what the second write does, not what the first does.
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/support/block_pool.h"
#include "core/support/prefault.h"

int main(int argc, char** argv) {
    long mb = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 64;
    if (mb <= 0 || mb > 4096) {
        std::fprintf(stderr, "usage: twlens-bench-page-touch [MB, 1..4096]\n");
        return 2;
    }
    mb += mb % 2; // whole 2 MiB blocks
    static_assert(twlens::BlockPool::kBlock == std::size_t{2} << 20);
    const std::size_t bytes = static_cast<std::size_t>(mb) << 20;
    using twlens::BlockPool;
    void* map = BlockPool::mapBlocks(bytes);
    void* moved = BlockPool::mapBlocks(bytes);
    if (!map || !moved) {
        std::perror("twlens-bench-page-touch: mmap");
        return 1;
    }
    auto* p = static_cast<unsigned char*>(map);
    auto* q = static_cast<unsigned char*>(moved);
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
    {
        BlockPool pool;
        for (std::size_t at = 0; at < bytes; at += BlockPool::kBlock)
            pool.give(p + at); // any aligned 2 MiB of a mapping is a block
        pool.prepare(moved, bytes, q + bytes);
    }
    const Clock::time_point t4 = Clock::now();
    std::memset(q, 3, bytes);
    const Clock::time_point t5 = Clock::now();
    // Read bytes back, so that the writes cannot be dropped as dead; the first mapping's pages
    // are all in the second now.
    const int check = q[bytes / 2];
    BlockPool::unmapBlocks(map, bytes);
    BlockPool::unmapBlocks(moved, bytes);
    std::printf("populate %.3f ms/MB%s, first write %.3f ms/MB, second write %.3f ms/MB, write after a block move %.3f ms/MB (%ld MB)\n",
                populated ? msPerMb(t0, t1) : 0.0, populated ? "" : " (not supported)", msPerMb(t1, t2),
                msPerMb(t2, t3), msPerMb(t4, t5), mb);
    return check == 3 ? 0 : 1;
}
