// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

#include "core/model/ip_address.h"
#include "core/model/time.h"

namespace twlens {

// Ports held toward one destination over time, and how long until the range runs out (facts §5).
struct ExhaustionSeriesPoint {
    TimeNs ts = 0;
    std::uint32_t portsInUse = 0;
    std::uint32_t timeWait = 0;
};

struct Exhaustion {
    IpAddress localIp;
    IpAddress remoteIp;
    std::uint16_t remotePort = 0;
    std::uint16_t portLow = 32768, portHigh = 60999;
    std::uint32_t usablePorts = 0;
    std::uint32_t peakPortsInUse = 0;
    TimeNs peakTime = 0;
    std::uint32_t peakTimeWait = 0;
    double newConnectionsPerSecondPeak = 0.0;
    double maxSustainableRatePerSecond = 0.0;   // usable ports / TIME_WAIT length (or / reuse delay)
    TimeNs projectedExhaustionAt = kNoTime;     // kNoTime: the trend never gets there
    TimeNs exhaustedAt = kNoTime;               // when the range was actually full, if it was
    std::vector<ExhaustionSeriesPoint> series;  // for plots, bounded in size
};

} // namespace twlens
