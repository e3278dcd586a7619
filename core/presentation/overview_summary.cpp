// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/overview_summary.h"

#include <algorithm>
#include <map>

#include "core/presentation/state_spans.h"

namespace twlens {

std::vector<HazardGroup> groupHazards(const Analysis& a) {
    std::map<std::string, HazardGroup, std::less<>> byKind;
    for (std::uint32_t i = 0; i < a.hazards.size(); ++i) {
        const Hazard& h = a.hazards[i];
        HazardGroup& g = byKind[h.kind];
        if (g.hazards.empty()) {
            g.kind = h.kind;
            g.worst = h.severity;
        }
        g.worst = std::max(g.worst, h.severity);
        g.hazards.push_back(i);
    }
    std::vector<HazardGroup> out;
    out.reserve(byKind.size());
    for (auto& [kind, g] : byKind)
        out.push_back(std::move(g));
    std::stable_sort(out.begin(), out.end(), [](const HazardGroup& x, const HazardGroup& y) { return x.worst > y.worst; });
    return out;
}

OverviewSummary summarize(const Analysis& a) {
    OverviewSummary s;
    s.stats = teardownStats(a);
    s.hazardGroups = groupHazards(a);
    for (std::uint32_t i = 0; i < a.exhaustion.size(); ++i) {
        const Exhaustion& e = a.exhaustion[i];
        DestinationHeadroom d;
        d.exhaustion = i;
        d.usable = e.usablePorts;
        d.peak = e.peakPortsInUse;
        d.headroom = e.usablePorts > e.peakPortsInUse ? e.usablePorts - e.peakPortsInUse : 0;
        d.peakFraction = e.usablePorts ? static_cast<double>(e.peakPortsInUse) / e.usablePorts : 0.0;
        s.headroom.push_back(d);
    }
    std::stable_sort(s.headroom.begin(), s.headroom.end(),
                     [](const DestinationHeadroom& x, const DestinationHeadroom& y) { return x.peakFraction > y.peakFraction; });
    s.captureStart = captureStartOf(a);
    s.captureEnd = captureEndOf(a);
    for (const InputInfo& in : a.inputs)
        s.packets += in.packets;
    return s;
}

} // namespace twlens
