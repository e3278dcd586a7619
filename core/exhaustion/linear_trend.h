// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <span>

#include "core/model/exhaustion.h"
#include "core/model/time.h"

namespace twlens {

// Least-squares line through (time, ports in use) points.
struct LinearTrend {
    double perSecond = 0.0;   // slope: ports gained per second (negative when shrinking)
    TimeNs at = kNoTime;      // the last point's time
    double value = 0.0;       // the line's value there
    std::size_t points = 0;   // points the fit used (0: fewer than 2 distinct times, no trend)
};

// Fits the points at or after (last time - lookback): ports in use only reflect the connections
// of the last TIME_WAIT length, so older points describe another load. At least the last two
// points are used when the lookback holds fewer.
LinearTrend fitTrend(std::span<const ExhaustionSeriesPoint> points, TimeNs lookback);

} // namespace twlens
