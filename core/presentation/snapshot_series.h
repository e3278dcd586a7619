// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// How many sockets one state held across the timed snapshots (ss, netstat, /proc listings, and
// the TIME_WAIT totals of ss -s and sockstat), in time order.
struct StateCountSeries {
    TcpState state = TcpState::None;
    std::vector<TimeNs> ts;
    std::vector<std::int64_t> count;
};

// One series per state that some timed snapshot reports as non-zero; a snapshot that does not
// know a state (count -1: the listing hides it, or a summary without it) adds no point.
std::vector<StateCountSeries> snapshotStateSeries(const Analysis& a);

// Index into Analysis::snapshots of the one whose TIME_WAIT rows by destination add up to the
// most sockets (the first of equals); kNoIndex when none lists TIME_WAIT rows.
std::uint32_t busiestTimeWaitSnapshot(const Analysis& a);

} // namespace twlens
