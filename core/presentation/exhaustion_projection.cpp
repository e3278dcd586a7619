// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/exhaustion_projection.h"

namespace twlens {

std::optional<ProjectionLine> projectionLine(const Exhaustion& e) {
    if (e.projectedExhaustionAt == kNoTime)
        return std::nullopt;
    ProjectionLine line;
    line.from = e.peakRateStart != kNoTime ? e.peakRateStart : e.peakTime;
    for (const ExhaustionSeriesPoint& p : e.series) // sorted by time: the count in force at `from`
        if (p.ts <= line.from)
            line.fromPorts = p.portsInUse;
    line.to = e.projectedExhaustionAt;
    line.toPorts = e.usablePorts;
    return line;
}

std::uint32_t usablePortsOf(const Exhaustion& e) {
    return e.usablePorts ? e.usablePorts : static_cast<std::uint32_t>(e.portHigh - e.portLow + 1u);
}

bool exhaustedOrProjected(const Exhaustion& e) { return e.exhaustedAt != kNoTime || e.projectedExhaustionAt != kNoTime; }

} // namespace twlens
