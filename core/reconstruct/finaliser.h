// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/model/analysis.h"
#include "core/reconstruct/segment_tracker.h"

namespace twlens::recon {

// Closes the books once the input has ended: orders the connections by start time (id = index),
// moves each connection's kept segments into one contiguous run of Analysis::segments (walking
// each connection's chain through the arrival-order log, which is freed chunk by chunk), replays each connection
// (TeardownReplay), then links the incarnations of each key and cuts TIME_WAIT windows that a
// new incarnation reopened (reason reused).
class Finaliser {
public:
    Finaliser(SegmentTracker& tracker, Analysis& out) : tracker_(tracker), out_(out) {}
    void run();

private:
    void orderConnections();
    void gatherSegments();
    void replay();
    void linkIncarnations();
    bool refusedByTimeWait(const Connection& prev, const Connection& next, const TimeWaitWindow& tw, TimeNs syn) const;

    SegmentTracker& tracker_;
    Analysis& out_;
    std::vector<std::uint8_t> clientDir_;   // by final id
    std::vector<TimeNs> closeTime_;         // by final id
    std::vector<TimeNs> firstSyn_;          // by final id
};

} // namespace twlens::recon
