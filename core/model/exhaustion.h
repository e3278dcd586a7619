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

    // Added by the exhaustion pass (core/exhaustion); what the what-if projection starts from.
    enum Source : std::uint8_t { FromCapture = 0x01, FromSnapshots = 0x02 };
    std::uint8_t sources = 0;                   // Source bits: which inputs saw this destination
    bool timestampsSeen = false;                // TCP timestamps on its connections (tcp_tw_reuse needs them)
    bool twReuseActive = false;                 // tcp_tw_reuse lets connect() take its TIME_WAIT ports
    std::uint32_t connections = 0;              // connections toward it in the captures
    double newConnectionsPerSecondPeak1s = 0.0; // burst: most SYNs within any 1 s
    TimeNs peakRateStart = kNoTime;             // where the window of newConnectionsPerSecondPeak starts
    double portsGrowthPerSecond = 0.0;          // linear trend of ports in use (snapshot series)
    TimeNs trendAt = kNoTime;                   // the trend's last point (time, fitted ports in use)
    double trendPorts = 0.0;
    TimeNs firstSeen = kNoTime;                 // span the figures cover
    TimeNs lastSeen = kNoTime;
    std::uint32_t firstInput = UINT32_MAX;      // the input that first showed it (findings cite it)
};

} // namespace twlens
