// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>

namespace twlens {

// The what-if knobs of the exhaustion view (facts §5): the port range, tcp_tw_reuse, the
// TIME_WAIT length and connection reuse (N requests per connection). The arithmetic is core's
// project() (core/exhaustion/what_if.h); the view only collects these and plots the result.
struct WhatIfParameters {
    std::uint16_t portLow = 32768;
    std::uint16_t portHigh = 60999;
    int twReuse = 2;
    double twSeconds = 60.0;
    double reuseFactor = 1.0; // requests per connection, >= 1
};

} // namespace twlens
