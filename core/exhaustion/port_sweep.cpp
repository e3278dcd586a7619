// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/port_sweep.h"

#include <algorithm>
#include <tuple>

namespace twlens {

namespace {

struct Event {
    TimeNs ts;
    int inUse;    // +1 port taken, -1 port free
    int timeWait; // +1 entered TIME_WAIT, -1 left it
    // Releases sort before takes at the same instant (see PortSweep).
    bool operator<(const Event& o) const {
        return std::tie(ts, inUse, timeWait) < std::tie(o.ts, o.inUse, o.timeWait);
    }
};

} // namespace

PortSweep sweepPortHolds(std::span<const PortHold> holds, std::uint32_t usablePorts) {
    std::vector<Event> events;
    events.reserve(holds.size() * 3);
    for (const PortHold& h : holds) {
        const TimeNs end = std::max(h.end, h.start);
        events.push_back({h.start, +1, 0});
        events.push_back({end, -1, 0});
        if (h.timeWaitStart != kNoTime && h.timeWaitStart < end) {
            events.push_back({std::max(h.timeWaitStart, h.start), 0, +1});
            events.push_back({end, 0, -1});
        }
    }
    std::sort(events.begin(), events.end());

    PortSweep out;
    out.series.reserve(events.size());
    std::int64_t inUse = 0, timeWait = 0;
    for (std::size_t i = 0; i < events.size();) {
        const TimeNs ts = events[i].ts;
        for (; i < events.size() && events[i].ts == ts; ++i) {
            inUse += events[i].inUse;
            timeWait += events[i].timeWait;
        }
        const auto used = static_cast<std::uint32_t>(std::max<std::int64_t>(inUse, 0));
        const auto tw = static_cast<std::uint32_t>(std::max<std::int64_t>(timeWait, 0));
        out.series.push_back({ts, used, tw});
        if (used > out.peakPortsInUse) {
            out.peakPortsInUse = used;
            out.peakTime = ts;
        }
        out.peakTimeWait = std::max(out.peakTimeWait, tw);
        if (usablePorts > 0 && used >= usablePorts && out.exhaustedAt == kNoTime)
            out.exhaustedAt = ts;
    }
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
