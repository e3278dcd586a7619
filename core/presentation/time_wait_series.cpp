// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/time_wait_series.h"

#include <algorithm>
#include <utility>

namespace twlens {

std::vector<CountPoint> timeWaitConcurrency(const Analysis& a) {
    std::vector<std::pair<TimeNs, int>> events;
    for (const Connection& c : a.connections)
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
            events.emplace_back(c.timeWait[i].start, +1);
            events.emplace_back(c.timeWait[i].end, -1);
        }
    // Ends before starts at the same instant: a window closing as another opens is not overlap.
    std::sort(events.begin(), events.end());
    std::vector<CountPoint> out;
    out.reserve(events.size());
    std::int64_t open = 0;
    for (const auto& [ts, delta] : events) {
        open += delta;
        const auto count = static_cast<std::uint32_t>(std::max<std::int64_t>(open, 0));
        if (!out.empty() && out.back().ts == ts)
            out.back().count = count;
        else
            out.push_back({ts, count});
    }
    return out;
}

CountPeak peakOf(const std::vector<CountPoint>& series) {
    CountPeak p;
    for (const CountPoint& pt : series)
        if (pt.count > p.count) {
            p.count = pt.count;
            p.at = pt.ts;
        }
    return p;
}

std::vector<CountPoint> thinForPlot(const std::vector<CountPoint>& series, std::size_t budget) {
    if (series.size() <= budget || budget < 2)
        return series;
    const TimeNs t0 = series.front().ts;
    const TimeNs span = std::max<TimeNs>(series.back().ts - t0, 1);
    std::vector<CountPoint> out;
    out.reserve(budget + 1);
    std::size_t bucket = SIZE_MAX;
    for (const CountPoint& pt : series) {
        const auto b = static_cast<std::size_t>(static_cast<double>(pt.ts - t0) / static_cast<double>(span) *
                                                static_cast<double>(budget - 1));
        if (b != bucket) {
            out.push_back(pt);
            bucket = b;
        } else if (pt.count > out.back().count) {
            out.back().count = pt.count;
        }
    }
    // Keep the final level so the step ends where the data ends.
    if (out.back().ts != series.back().ts)
        out.push_back(series.back());
    return out;
}

} // namespace twlens
