// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/port_sweep.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>

namespace twlens {

PortSweep sweepPortHolds(std::span<const PortHold> holds, std::uint32_t usablePorts) {
    // Sorted time arrays instead of one array of tagged events. A hold's TIME_WAIT ends when the
    // hold does, so the releases carry a flag for "and its TIME_WAIT" instead of a fourth array of
    // the same times sorted again; the takes come in start order from the connections (checked,
    // sorted only if not). Two sorts instead of four: the exhaustion pass, the longer of the
    // analysis' two last passes, spent most of its sweep time sorting.
    std::size_t timeWaits = 0;
    for (const PortHold& h : holds)
        timeWaits += h.timeWaitStart != kNoTime && h.timeWaitStart < std::max(h.end, h.start) ? 1 : 0;
    struct Release {
        TimeNs ts;
        bool endsTimeWait;
        bool operator<(const Release& o) const { return ts < o.ts; }
    };
    std::vector<TimeNs> takes, twStarts;
    std::vector<Release> frees;
    takes.reserve(holds.size());
    frees.reserve(holds.size());
    twStarts.reserve(timeWaits);
    for (const PortHold& h : holds) {
        const TimeNs end = std::max(h.end, h.start);
        const bool timeWait = h.timeWaitStart != kNoTime && h.timeWaitStart < end;
        takes.push_back(h.start);
        frees.push_back({end, timeWait});
        if (timeWait)
            twStarts.push_back(std::max(h.timeWaitStart, h.start));
    }
    if (!std::is_sorted(takes.begin(), takes.end()))
        std::sort(takes.begin(), takes.end());
    std::sort(frees.begin(), frees.end()); // equal times in any order: they are applied together
    std::sort(twStarts.begin(), twStarts.end());

    // Walks the distinct event times in order; step(ts, inUseDelta, timeWaitDelta) sees each once.
    auto walk = [&](auto&& step) {
        std::size_t it = 0, ifr = 0, its = 0;
        static constexpr TimeNs kDone = INT64_MAX;
        while (it < takes.size() || ifr < frees.size() || its < twStarts.size()) {
            const TimeNs ts = std::min({it < takes.size() ? takes[it] : kDone, ifr < frees.size() ? frees[ifr].ts : kDone,
                                        its < twStarts.size() ? twStarts[its] : kDone});
            std::int64_t use = 0, tw = 0;
            for (; it < takes.size() && takes[it] == ts; ++it)
                ++use;
            for (; ifr < frees.size() && frees[ifr].ts == ts; ++ifr) {
                --use;
                tw -= frees[ifr].endsTimeWait ? 1 : 0;
            }
            for (; its < twStarts.size() && twStarts[its] == ts; ++its)
                ++tw;
            step(ts, use, tw);
        }
    };
    std::size_t points = 0;
    walk([&](TimeNs, std::int64_t, std::int64_t) { ++points; });

    PortSweep out;
    out.series.reserve(points);
    std::int64_t inUse = 0, timeWait = 0;
    walk([&](TimeNs ts, std::int64_t use, std::int64_t tw) {
        inUse += use;
        timeWait += tw;
        const auto used = static_cast<std::uint32_t>(std::max<std::int64_t>(inUse, 0));
        const auto level = static_cast<std::uint32_t>(std::max<std::int64_t>(timeWait, 0));
        out.series.push_back({ts, used, level});
        if (used > out.peakPortsInUse) {
            out.peakPortsInUse = used;
            out.peakTime = ts;
        }
        out.peakTimeWait = std::max(out.peakTimeWait, level);
        if (usablePorts > 0 && used >= usablePorts && out.exhaustedAt == kNoTime)
            out.exhaustedAt = ts;
    });
    return out;
}

ExhaustionSeriesPoint levelAt(std::span<const ExhaustionSeriesPoint> series, TimeNs t) {
    const auto it = std::upper_bound(series.begin(), series.end(), t,
                                     [](TimeNs v, const ExhaustionSeriesPoint& p) { return v < p.ts; });
    if (it == series.begin())
        return {t, 0, 0};
    ExhaustionSeriesPoint p = *std::prev(it);
    p.ts = t;
    return p;
}

std::vector<ExhaustionSeriesPoint> thinSeries(std::vector<ExhaustionSeriesPoint>&& series, std::size_t budget) {
    if (series.size() <= budget || budget < 2)
        return std::move(series);
    return thinSeries(std::span<const ExhaustionSeriesPoint>(series), budget);
}

std::vector<ExhaustionSeriesPoint> thinSeries(std::span<const ExhaustionSeriesPoint> series, std::size_t budget) {
    if (series.size() <= budget || budget < 2)
        return {series.begin(), series.end()};
    const TimeNs t0 = series.front().ts;
    const double span = static_cast<double>(std::max<TimeNs>(series.back().ts - t0, 1));
    std::vector<ExhaustionSeriesPoint> out;
    out.reserve(budget + 1);
    std::size_t bucket = SIZE_MAX;
    for (const ExhaustionSeriesPoint& p : series) {
        const auto b = static_cast<std::size_t>(static_cast<double>(p.ts - t0) / span * static_cast<double>(budget - 1));
        if (b != bucket) {
            out.push_back(p);
            bucket = b;
        } else {
            out.back().portsInUse = std::max(out.back().portsInUse, p.portsInUse);
            out.back().timeWait = std::max(out.back().timeWait, p.timeWait);
        }
    }
    if (out.back().ts != series.back().ts)
        out.push_back(series.back());
    return out;
}

} // namespace twlens
