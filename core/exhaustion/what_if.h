// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <optional>

#include "core/model/exhaustion.h"
#include "core/model/settings.h"

namespace twlens {

// "What if": the same measured load under other settings. The GUI drives it with sliders and
// twlens-cli with --port-range, --tw-reuse, --tw-seconds and --reuse-factor. Every member left
// empty keeps the analysis' own Settings value.
struct WhatIf {
    std::optional<std::uint16_t> portLow;   // another net.ipv4.ip_local_port_range (both or neither)
    std::optional<std::uint16_t> portHigh;
    std::optional<int> twReuse;             // net.ipv4.tcp_tw_reuse: 0 off, 1 all, 2 loopback only
    std::optional<double> twSeconds;        // TIME_WAIT length (Linux: a fixed 60 s; a what-if only)
    // Connection reuse (keep-alive, pools): N requests share one connection, so the same request
    // load opens N times fewer connections. Values below 1 count as 1.
    double reuseFactor = 1.0;

    bool neutral() const { return !portLow && !portHigh && !twReuse && !twSeconds && reuseFactor <= 1.0; }
};

// Projects one measured destination (an Analysis::exhaustion entry) under `settings` changed by
// `whatIf`. Cheap: no input is read again and nothing is allocated beyond the copy, so a slider
// may call it on every move. Always start from the measured entry, never from a projection.
//
// Recomputed:
//  - portLow/portHigh and usablePorts: the range minus the reserved ports of `settings` inside it;
//  - twReuseActive: tcp_tw_reuse toward this destination (1 all, 2 loopback only, and only with
//    the timestamps measured.timestampsSeen says its connections carried; tcp_twsk_unique);
//  - maxSustainableRatePerSecond: usable ports / TIME_WAIT length, or / tcp_tw_reuse_delay when
//    reuse is active;
//  - newConnectionsPerSecondPeak(1s) and portsGrowthPerSecond: divided by the reuse factor;
//  - projectedExhaustionAt: kNoTime when the peak rate is at or below the sustainable rate (ports
//    in use then level off at rate x hold time, below the range); otherwise from a capture, the
//    start of the peak window + usable ports / rate (the range fills before any port comes back);
//    from a snapshot series, the time its trend line (divided by the reuse factor) reaches the
//    usable ports.
// Kept as measured: the series, peaks, exhaustedAt, connections and span. They say what
// happened; the projection says what would. Taken by value: a caller done with the measured one
// moves it in, and its series is not copied.
Exhaustion project(Exhaustion measured, const Settings& settings, const WhatIf& whatIf = {});

} // namespace twlens
