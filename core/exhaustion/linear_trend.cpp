// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/linear_trend.h"

namespace twlens {

LinearTrend fitTrend(std::span<const ExhaustionSeriesPoint> points, TimeNs lookback) {
    LinearTrend trend;
    if (points.size() < 2)
        return trend;
    const TimeNs last = points.back().ts;
    std::size_t first = points.size() - 2;
    while (first > 0 && points[first - 1].ts >= last - lookback)
        --first;
    const std::span<const ExhaustionSeriesPoint> used = points.subspan(first);
    // Centre times on the last point: epoch nanoseconds squared would lose precision in a double.
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (const ExhaustionSeriesPoint& p : used) {
        const double x = toSeconds(p.ts - last);
        const double y = p.portsInUse;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    const double n = static_cast<double>(used.size());
    const double den = n * sxx - sx * sx;
    if (den <= 1e-12)
        return trend; // every point at the same time
    trend.perSecond = (n * sxy - sx * sy) / den;
    trend.value = (sy - trend.perSecond * sx) / n; // intercept at x = 0, the last point
    trend.at = last;
    trend.points = used.size();
    return trend;
}

} // namespace twlens
