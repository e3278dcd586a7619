// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// The most TIME_WAIT windows open at one moment, and when that was first reached.
struct TimeWaitPeak {
    std::uint64_t count = 0;
    TimeNs at = kNoTime;     // first moment the peak was reached
    TimeNs until = kNoTime;  // when the count first dropped below the peak again
};

// Windows are half-open [start, end): a window that ends at the instant another starts does not
// overlap it. A sweep over the sorted starts and ends, O(n log n).
TimeWaitPeak timeWaitPeak(const Analysis& a);

// The counts a summary or report states about the teardowns, computed once from the model so
// every front end prints the same figures.
struct TeardownStats {
    static constexpr std::size_t kExamples = 5;

    std::uint64_t connections = 0;
    std::uint64_t synSeen = 0;
    std::uint64_t rolesInferred = 0;
    std::uint64_t oneSided = 0;
    std::uint64_t midStream = 0;
    std::array<std::uint64_t, 4> closers{};     // indexed by Closer
    std::array<std::uint64_t, 5> closeKinds{};  // indexed by CloseKind

    std::uint64_t timeWaitWindows = 0;
    std::array<std::uint64_t, 2> timeWaitBySide{}; // indexed by Side
    std::array<std::uint64_t, 3> timeWaitByEnd{};  // indexed by TimeWaitEnd
    TimeWaitPeak peak;
    struct Holder {
        std::uint32_t address = 0;  // index into Analysis::addresses
        std::uint64_t windows = 0;
    };
    std::vector<Holder> timeWaitHolders;        // hosts that held TIME_WAIT, most windows first

    std::uint64_t lostFinalAck = 0;
    std::vector<std::uint32_t> lostFinalAckExamples;   // connection ids, first ones
    std::uint64_t finRetransmissions = 0;

    std::uint64_t reused = 0;                   // connections that reopened an earlier 4-tuple
    std::uint64_t reusedWithinTimeWait = 0;     // ... less than the TIME_WAIT length after its close
    TimeNs minReuseGap = kNoTime;
    TimeNs maxReuseGap = kNoTime;
    std::vector<std::uint32_t> reuseExamples;   // connection ids, shortest gaps first

    struct HazardGroup {
        std::string kind;
        std::uint64_t count = 0;
        Severity worst = Severity::Info;
        std::vector<std::uint32_t> examples;    // indices into Analysis::hazards, most severe first
    };
    std::vector<HazardGroup> hazards;           // most severe kind first, then most frequent

    // Socket snapshots: how many, and the most TIME_WAIT sockets any of them showed.
    std::uint64_t snapshots = 0;
    TimeNs firstSnapshot = kNoTime, lastSnapshot = kNoTime;
    std::int64_t snapshotTimeWaitMax = -1;      // -1: no snapshot told the TIME_WAIT count
    std::uint32_t snapshotTimeWaitMaxAt = kNoIndex; // index into Analysis::snapshots

    std::uint64_t warnings = 0;                 // over all inputs
};

TeardownStats teardownStats(const Analysis& a);

} // namespace twlens
