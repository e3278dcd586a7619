// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/exhaustion_pass.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <unordered_set>

#include "core/exhaustion/capture_ports.h"
#include "core/exhaustion/connection_rate.h"
#include "core/exhaustion/linear_trend.h"
#include "core/exhaustion/port_budget.h"
#include "core/exhaustion/port_sweep.h"
#include "core/exhaustion/snapshot_ports.h"
#include "core/exhaustion/what_if.h"

namespace twlens {

namespace {

void fromCapture(Exhaustion& e, const CapturePorts& d, std::uint32_t usable) {
    PortSweep sweep = sweepPortHolds(d.holds, usable);
    e.sources |= Exhaustion::FromCapture;
    e.connections = d.connections;
    e.timestampsSeen = d.connections > 0 && d.withTimestamps == d.connections;
    const RatePeak ten = peakRate(d.synTimes, 10 * kNsPerSecond);
    const RatePeak one = peakRate(d.synTimes, kNsPerSecond);
    e.newConnectionsPerSecondPeak = ten.perSecond;
    e.peakRateStart = ten.windowStart;
    e.newConnectionsPerSecondPeak1s = one.perSecond;
    e.peakPortsInUse = sweep.peakPortsInUse;
    e.peakTime = sweep.peakTime;
    e.peakTimeWait = sweep.peakTimeWait;
    e.exhaustedAt = sweep.exhaustedAt;
    e.series = thinSeries(std::move(sweep.series));
    e.firstSeen = d.first;
    e.lastSeen = d.last;
    e.firstInput = d.firstInput;
}

void fromSnapshots(Exhaustion& e, const SnapshotPorts& p, std::uint32_t usable, const Settings& s) {
    if (p.points.empty())
        return;
    const bool captured = (e.sources & Exhaustion::FromCapture) != 0;
    e.sources |= Exhaustion::FromSnapshots;
    for (const ExhaustionSeriesPoint& pt : p.points) {
        if (pt.portsInUse > e.peakPortsInUse || e.peakTime == kNoTime) {
            e.peakPortsInUse = pt.portsInUse;
            e.peakTime = pt.ts;
        }
        if (usable > 0 && pt.portsInUse >= usable && (e.exhaustedAt == kNoTime || pt.ts < e.exhaustedAt))
            e.exhaustedAt = pt.ts;
    }
    e.peakTimeWait = std::max(e.peakTimeWait, p.peakTimeWait);
    const LinearTrend trend = fitTrend(p.points, s.twLength());
    e.portsGrowthPerSecond = trend.perSecond;
    e.trendAt = trend.at;
    e.trendPorts = trend.value;
    if (captured)
        return;
    // Every TIME_WAIT socket closed within the last TIME_WAIT length, so count / length is the
    // close rate over that stretch; while the range fills (no port back yet) the growth is the
    // new-connection rate itself. The larger is the better lower bound.
    const double twRate = s.twSeconds.value > 0 ? p.peakTimeWait / s.twSeconds.value : 0.0;
    e.newConnectionsPerSecondPeak = std::max(trend.perSecond, twRate);
    e.newConnectionsPerSecondPeak1s = e.newConnectionsPerSecondPeak;
    e.timestampsSeen = s.timestamps.value != 0; // a listing does not show options: trust the sysctl
    e.series = thinSeries(p.points);
    e.firstSeen = p.points.front().ts;
    e.lastSeen = p.points.back().ts;
    e.firstInput = p.firstInput;
}

double fill(const Exhaustion& e) {
    return e.usablePorts ? static_cast<double>(e.peakPortsInUse) / e.usablePorts : 1.0;
}

} // namespace

bool moreAtRisk(const Exhaustion& x, const Exhaustion& y) {
    // kNoTime is the smallest TimeNs: map it past every real time so "never" sorts last.
    auto key = [](TimeNs t) { return t == kNoTime ? INT64_MAX : t; };
    const auto kx = std::make_tuple(key(x.exhaustedAt), key(x.projectedExhaustionAt), -fill(x));
    const auto ky = std::make_tuple(key(y.exhaustedAt), key(y.projectedExhaustionAt), -fill(y));
    if (kx != ky)
        return kx < ky;
    return std::tie(x.localIp, x.remoteIp, x.remotePort) < std::tie(y.localIp, y.remoteIp, y.remotePort);
}

void computeExhaustion(Analysis& a) {
    const Settings& s = a.settings;
    const std::uint32_t usable = portBudget(s.portLow.value, s.portHigh.value, s.reservedPorts.value).usable;
    const auto listed = snapshotPortsByDestination(a, s.portLow.value, s.portHigh.value);

    a.exhaustion.clear();
    auto add = [&](const Destination& d, const CapturePorts* c, const SnapshotPorts* l) {
        Exhaustion e;
        e.localIp = d.local;
        e.remoteIp = d.remote;
        e.remotePort = d.remotePort;
        if (c)
            fromCapture(e, *c, usable);
        if (l)
            fromSnapshots(e, *l, usable, s);
        a.exhaustion.push_back(project(std::move(e), s));
    };
    std::unordered_set<Destination, DestinationHash> captured; // snapshot destinations the captures also showed
    forEachCaptureDestination(a, [&](const Destination& d, const CapturePorts& c) {
        const auto it = listed.find(d);
        add(d, &c, it == listed.end() ? nullptr : &it->second);
        if (it != listed.end())
            captured.insert(d);
    });
    for (const auto& [d, l] : listed)
        if (!captured.contains(d))
            add(d, nullptr, &l);
    std::sort(a.exhaustion.begin(), a.exhaustion.end(), moreAtRisk);
}

} // namespace twlens
