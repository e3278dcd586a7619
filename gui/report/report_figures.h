// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QString>
#include <cstdint>
#include <vector>

#include "core/model/analysis.h"
#include "core/output/teardown_stats.h"

namespace twlens {

// A figure of the report, drawn by gui/figures (renderFigure) as PNG. When it cannot be drawn the
// report still goes out, with `error` in the figure's place.
struct ReportFigure {
    QString id;        // "timeline", "exhaustion", "ladder-7": unique, used as the PDF resource name
    QString caption;
    QByteArray png;    // empty when not drawn
    QString error;
    std::uint32_t hazard = UINT32_MAX; // ladders: the hazard (index into Analysis::hazards) shown
};

struct ReportFigures {
    ReportFigure timeline;
    ReportFigure exhaustion;           // error set when there is no destination to plot
    std::vector<ReportFigure> ladders; // the worst examples, one per hazard kind, most severe first
};

// At most this many ladders: the worst example of each of the most severe hazard kinds.
inline constexpr std::size_t kMaxReportLadders = 3;

// The hazards whose ladders the report shows: the first example of each hazard group (groups and
// examples are most severe first in TeardownStats), one per connection.
std::vector<std::uint32_t> worstHazardExamples(const Analysis& a, const TeardownStats& s);

ReportFigures renderReportFigures(const Analysis& a, const TeardownStats& s);

} // namespace twlens
