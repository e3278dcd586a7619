// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/what_if.h"

#include <algorithm>
#include <cmath>

#include "core/exhaustion/port_budget.h"
#include "core/exhaustion/reuse_rules.h"

namespace twlens {

namespace {

TimeNs after(TimeNs from, double seconds) {
    return from + fromSeconds(std::max(seconds, 0.0));
}

} // namespace

Exhaustion project(Exhaustion e, const Settings& settings, const WhatIf& whatIf) {
    e.portLow = whatIf.portLow.value_or(settings.portLow.value);
    e.portHigh = whatIf.portHigh.value_or(settings.portHigh.value);
    e.usablePorts = portBudget(e.portLow, e.portHigh, settings.reservedPorts.value).usable;

    const int twReuse = whatIf.twReuse.value_or(settings.twReuse.value);
    const double twSeconds = whatIf.twSeconds.value_or(settings.twSeconds.value);
    e.twReuseActive = twReuseApplies(twReuse, e.localIp, e.remoteIp, e.timestampsSeen);
    const double hold = portHoldSeconds(e.twReuseActive, twSeconds, settings.twReuseDelayMs.value);
    e.maxSustainableRatePerSecond = maxSustainableRate(e.usablePorts, hold);

    const double n = std::max(whatIf.reuseFactor, 1.0);
    e.newConnectionsPerSecondPeak /= n;
    e.newConnectionsPerSecondPeak1s /= n;
    e.portsGrowthPerSecond /= n;
    e.trendPorts /= n;

    e.projectedExhaustionAt = kNoTime;
    const double rate = e.newConnectionsPerSecondPeak;
    const double usable = e.usablePorts;
    if (e.usablePorts == 0) {
        e.projectedExhaustionAt = e.firstSeen; // no port to give: the first connect() fails
    } else if (rate > e.maxSustainableRatePerSecond) {
        if ((e.sources & Exhaustion::FromCapture) && e.peakRateStart != kNoTime) {
            e.projectedExhaustionAt = after(e.peakRateStart, usable / rate);
        } else if (e.trendAt != kNoTime) {
            const double slope = e.portsGrowthPerSecond > 0.0 ? e.portsGrowthPerSecond : rate;
            e.projectedExhaustionAt = after(e.trendAt, (usable - e.trendPorts) / slope);
        }
    }
    return e;
}

} // namespace twlens
