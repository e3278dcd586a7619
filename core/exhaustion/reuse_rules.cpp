// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/reuse_rules.h"

#include <algorithm>

namespace twlens {

bool twReuseApplies(int twReuse, const IpAddress& local, const IpAddress& remote, bool timestampsSeen) {
    if (!timestampsSeen)
        return false;
    if (twReuse == 1)
        return true;
    if (twReuse == 2)
        return local.isLoopback() || remote.isLoopback();
    return false;
}

double portHoldSeconds(bool reuseActive, double twSeconds, int reuseDelayMs) {
    if (!reuseActive)
        return std::max(twSeconds, 0.0);
    // Reuse cannot hold a port longer than TIME_WAIT itself would.
    return std::clamp(static_cast<double>(reuseDelayMs) / 1000.0, 0.0, std::max(twSeconds, 0.0));
}

double maxSustainableRate(std::uint32_t usablePorts, double holdSeconds) {
    if (usablePorts == 0)
        return 0.0;
    return static_cast<double>(usablePorts) / std::max(holdSeconds, 0.001);
}

} // namespace twlens
