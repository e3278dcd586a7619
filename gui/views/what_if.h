// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

#include "core/model/analysis.h"

namespace twlens {

// The what-if knobs of the exhaustion view (facts §5): the port range, tcp_tw_reuse, the
// TIME_WAIT length and the share of new connections replaced by reused ones.
struct WhatIfParameters {
    std::uint16_t portLow = 32768;
    std::uint16_t portHigh = 60999;
    int twReuse = 2;
    double twSeconds = 60.0;
    double reuseFactor = 0.0; // 0..1
};

// A projection for one destination under other settings, computed by core (the exhaustion
// model). The view never does the arithmetic itself; without a projector it re-runs the whole
// analysis with SettingsOverrides (port range, tcp_tw_reuse, TIME_WAIT length).
using WhatIfProjector =
    std::function<std::optional<Exhaustion>(const Analysis&, std::size_t destination, const WhatIfParameters&)>;

} // namespace twlens
