// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model/analysis.h"
#include "core/output/teardown_stats.h"

namespace twlens {

// Hazards of one kind, for the overview and the hazards panel.
struct HazardGroup {
    std::string kind;
    Severity worst = Severity::Info;
    std::vector<std::uint32_t> hazards; // indices into Analysis::hazards, in model order
};

// How close one destination came to running out of ephemeral ports (from Analysis::exhaustion).
struct DestinationHeadroom {
    std::uint32_t exhaustion = 0;   // index into Analysis::exhaustion
    std::uint32_t usable = 0;
    std::uint32_t peak = 0;
    std::uint32_t headroom = 0;     // usable - peak (0 when the range was full)
    double peakFraction = 0.0;      // peak / usable
};

// The verdict the overview shows first. The teardown counts are core/output's TeardownStats (the
// same figures the CLI's text summary prints); the hazard groups hold every hazard (for the
// panel), the headroom comes from Analysis::exhaustion.
struct OverviewSummary {
    TeardownStats stats;
    std::vector<HazardGroup> hazardGroups;    // by kind, worst severity first, then kind name
    std::vector<DestinationHeadroom> headroom; // least headroom first
    TimeNs captureStart = 0;
    TimeNs captureEnd = 0;
    std::uint64_t packets = 0;
};

OverviewSummary summarize(const Analysis& a);
std::vector<HazardGroup> groupHazards(const Analysis& a);

} // namespace twlens
