// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/connection_rate.h"

#include <algorithm>

namespace twlens {

RatePeak peakRate(std::span<const TimeNs> t, TimeNs window) {
    RatePeak peak;
    if (t.empty() || window <= 0)
        return peak;
    const TimeNs span = t.back() - t.front();
    const TimeNs w = std::min(window, std::max(span, kNsPerSecond));
    std::size_t j = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
        j = std::max(j, i);
        while (j < t.size() && t[j] < t[i] + w)
            ++j;
        const auto n = static_cast<std::uint32_t>(j - i);
        if (n > peak.count) {
            peak.count = n;
            peak.windowStart = t[i];
        }
    }
    peak.window = w;
    peak.perSecond = static_cast<double>(peak.count) / toSeconds(w);
    return peak;
}

} // namespace twlens
