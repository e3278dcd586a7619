// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <optional>

#include "core/model/exhaustion.h"

namespace twlens {

// The projection an exhaustion plot draws for one destination: a straight line from the start of
// the peak-rate window (or the peak) at the ports in use then, to the usable-port limit at the
// projected exhaustion time. Nothing when the trend never reaches the limit.
struct ProjectionLine {
    TimeNs from = 0;
    std::uint32_t fromPorts = 0;
    TimeNs to = 0;
    std::uint32_t toPorts = 0;
};
std::optional<ProjectionLine> projectionLine(const Exhaustion& e);

// The ports the text summary and the report state for a destination ("all N ports held", "peak
// P of N"): its usable ports, or the whole local port range when usablePorts is 0 (not counted).
std::uint32_t usablePortsOf(const Exhaustion& e);

// The destinations the text summary and the report name as at risk: the ports ran out
// (exhaustedAt), or the peak-rate trend runs them out (projectedExhaustionAt). Narrower than the
// findings' atRisk (core/findings/exhaustion_verdicts.h), which also counts a half-full range.
bool exhaustedOrProjected(const Exhaustion& e);

} // namespace twlens
