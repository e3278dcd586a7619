// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/exhaustion.h"
#include "core/model/time.h"

namespace twlens {

// One local port held toward one destination: taken at `start` (the SYN), free again at `end`
// (the connecting side reached CLOSED: its TIME_WAIT window ended, or the close/RST, or the end
// of the capture). From `timeWaitStart` on (when set) the port is held by TIME_WAIT.
struct PortHold {
    TimeNs start = 0;
    TimeNs end = 0;
    TimeNs timeWaitStart = kNoTime;
};

// The step function of ports in use and of TIME_WAIT among them, from a sweep over the holds'
// start and end events. At one instant every release is applied before any new hold, so a port
// freed and taken again at the same nanosecond is not counted twice.
struct PortSweep {
    std::vector<ExhaustionSeriesPoint> series; // one point a distinct event time, the level from then on
    std::uint32_t peakPortsInUse = 0;
    TimeNs peakTime = kNoTime;                 // first time the peak is reached
    std::uint32_t peakTimeWait = 0;            // most ports in TIME_WAIT at any time
    TimeNs exhaustedAt = kNoTime;              // first time ports in use reached usablePorts (> 0)
};
PortSweep sweepPortHolds(std::span<const PortHold> holds, std::uint32_t usablePorts);

// The level of a step series at time t (the last point at or before t); zeros before the first.
ExhaustionSeriesPoint levelAt(std::span<const ExhaustionSeriesPoint> series, TimeNs t);

// At most about `budget` points for a plot (heaptrack MAX_CHART_DATAPOINTS style): the time span
// is cut into budget buckets and each keeps its first time with the maximum of each count, so
// peaks survive; the last point is kept so the step ends where the data ends.
inline constexpr std::size_t kSeriesBudget = 2000;
std::vector<ExhaustionSeriesPoint> thinSeries(std::span<const ExhaustionSeriesPoint> series,
                                              std::size_t budget = kSeriesBudget);
// The same, from a series the caller is done with: within the budget it is returned as it is.
std::vector<ExhaustionSeriesPoint> thinSeries(std::vector<ExhaustionSeriesPoint>&& series,
                                              std::size_t budget = kSeriesBudget);

} // namespace twlens
