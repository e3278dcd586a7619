// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// A step function: from `ts` on (until the next point) `count` windows are open.
struct CountPoint {
    TimeNs ts = 0;
    std::uint32_t count = 0;
};

// How many TIME_WAIT windows (either side, every connection) are open over time. Each window
// counts from TimeWaitWindow::start (the last ACK of the peer's FIN, which restarts the timer:
// tcp_timewait_state_process) to TimeWaitWindow::end. Points are sorted; equal times merged.
std::vector<CountPoint> timeWaitConcurrency(const Analysis& a);

// The highest count and the first time it is reached; {0, kNoTime} when nothing was in TIME_WAIT.
struct CountPeak {
    std::uint32_t count = 0;
    TimeNs at = kNoTime;
};
CountPeak peakOf(const std::vector<CountPoint>& series);

// At most `budget` points for a plot (heaptrack MAX_CHART_DATAPOINTS style): each bucket of the
// time range keeps its maximum, so peaks survive the thinning.
std::vector<CountPoint> thinForPlot(const std::vector<CountPoint>& series, std::size_t budget);

} // namespace twlens
