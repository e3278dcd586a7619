// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "core/model/analysis.h"
#include "core/reconstruct/segment_tracker.h"

namespace twlens::recon {

// Closes the books once the input has ended: orders the connections by start time (id = index;
// made from the stored ones batch by batch when they were created in start order, all first and
// then sorted when the input's clock went back), gathers each connection's kept segments (walking its chain through the arrival-order log,
// which is freed chunk by chunk), replays them (TeardownReplay) and codes them into
// Analysis::segments, then links the incarnations of each key and cuts TIME_WAIT windows that a
// new incarnation reopened (reason reused).
//
// With two threads, the second sorts the incarnations by key and then joins the first in
// finishing batches of connections: the same result as with one.
class Finaliser {
public:
    Finaliser(SegmentTracker& tracker, Analysis& out, unsigned threads = 1)
        : tracker_(tracker), out_(out), threads_(threads) {}
    void run();
    // About how many whole blocks the arrays of an analysis of `connections` with `keptSegments`
    // kept segments in all take from the tracker's BlockPool (BlockPool::expect, so that it keeps
    // no more freed blocks than they will take). An estimate: the count of states and the coded
    // size of the segments are known only once they are made.
    static std::size_t blocksWritten(std::size_t connections, std::size_t keptSegments);

private:
    void putInStartOrder();
    void convertUpTo(std::size_t to);
    void finishBatches();
    static constexpr std::size_t kLanes = 8;
    void gather(std::size_t first, std::size_t lanes, std::array<std::vector<ControlSegment>, kLanes>& kept);
    void prefetchChains(std::size_t from, std::size_t to) const;
    BlockVector<std::uint64_t> sortByKeyHash();
    void orderSameHashRuns(BlockVector<std::uint64_t>& byKey) const;
    void linkIncarnations(const BlockVector<std::uint64_t>& byKey);
    bool refusedByTimeWait(const Connection& prev, const Connection& next, const TimeWaitWindow& tw, TimeNs syn) const;

    SegmentTracker& tracker_;
    Analysis& out_;
    unsigned threads_;
    std::size_t n_ = 0;                     // connections
    bool lazy_ = false;                     // Connections made batch by batch (see run)
    std::mutex convertMutex_;
    std::size_t converted_ = 0;             // Connections made so far (under convertMutex_)
    std::atomic<std::size_t> hashed_{0};    // stored connections the key sort has read
    std::vector<std::uint8_t> clientDir_;   // by final id
    BlockVector<TimeNs> closeTime_;         // by final id
    BlockVector<TimeNs> firstSyn_;          // by final id
    std::atomic<std::size_t> nextBatch_{0};
    std::mutex appendMutex_;                // batches take turns appending to the analysis
};

} // namespace twlens::recon
