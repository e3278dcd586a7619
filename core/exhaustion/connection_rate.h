// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <span>

#include "core/model/time.h"

namespace twlens {

// The busiest stretch of new connections (SYNs) toward one destination.
struct RatePeak {
    double perSecond = 0.0;
    std::uint32_t count = 0;          // SYNs in the busiest window
    TimeNs windowStart = kNoTime;     // where it starts (a SYN time)
    TimeNs window = 0;                // the window length actually used
};

// Sliding-window peak over sorted SYN times: the most SYNs in any half-open window
// [t, t + W) that starts at a SYN, divided by W. When all SYNs fit in less than `window`, W
// shrinks to their span (but not below 1 s) so a short capture is not diluted by time it did not
// cover: n SYNs spaced d apart then give (n - 1) / ((n - 1) d) = 1/d, their actual pace.
RatePeak peakRate(std::span<const TimeNs> sortedTimes, TimeNs window);

} // namespace twlens
