// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <atomic>

#include "core/model/analysis.h"
#include "core/reconstruct/segment_tracker.h"

namespace twlens::recon {

// Closes the books once the input has ended: orders the connections by start time (id = index),
// moves each connection's kept segments into one contiguous run of Analysis::segments (walking
// each connection's chain through the arrival-order log, which is freed chunk by chunk), replays each connection
// (TeardownReplay), then links the incarnations of each key and cuts TIME_WAIT windows that a
// new incarnation reopened (reason reused).
//
// With two threads, the second sorts the incarnations by key and then replays the first part of
// the connections as soon as their segments are gathered, while the first gathers the rest and
// then replays the remainder: the same result as with one.
class Finaliser {
public:
    Finaliser(SegmentTracker& tracker, Analysis& out, unsigned threads = 1)
        : tracker_(tracker), out_(out), threads_(threads) {}
    void run();

private:
    void orderConnections();
    // Publishes in `gathered` (when given) how many connections have their segments in place.
    void gatherSegments(std::atomic<std::size_t>* gathered);
    std::vector<std::uint64_t> sortByKey() const;
    // Replays connections [from, to), appending their states; with `gathered`, waits for each
    // connection's segments to be in place first.
    void replay(std::size_t from, std::size_t to, std::vector<StateChange>& states, const std::atomic<std::size_t>* gathered);
    void linkIncarnations(const std::vector<std::uint64_t>& byKey);
    bool refusedByTimeWait(const Connection& prev, const Connection& next, const TimeWaitWindow& tw, TimeNs syn) const;

    SegmentTracker& tracker_;
    Analysis& out_;
    unsigned threads_;
    ControlSegment* segmentsBase_ = nullptr; // Analysis::segments' storage once reserved (it does not move)
    std::size_t segmentTotal_ = 0;          // kept segments of all connections (counted while ordering)
    std::vector<std::uint8_t> clientDir_;   // by final id
    std::vector<TimeNs> closeTime_;         // by final id
    std::vector<TimeNs> firstSyn_;          // by final id
};

} // namespace twlens::recon
