// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/report/report_figures.h"

#include <algorithm>

#include "core/presentation/state_spans.h"
#include "gui/figures/figure.h"

namespace twlens {

namespace {

// Wide enough to read when scaled to an A4 text column, drawn at 2x so it stays sharp in print.
constexpr double kFigureScale = 2.0;

ReportFigure draw(const Analysis& a, const FigureRequest& r, QString id, QString caption) {
    ReportFigure f;
    f.id = std::move(id);
    f.caption = std::move(caption);
    QString error;
    if (auto png = renderFigure(a, r, FigureFormat::Png, &error); png && !png->isEmpty())
        f.png = std::move(*png);
    else
        f.error = error.isEmpty() ? QStringLiteral("the figure could not be drawn") : error;
    return f;
}

} // namespace

std::vector<std::uint32_t> worstHazardExamples(const Analysis& a, const TeardownStats& s) {
    std::vector<std::uint32_t> picked; // hazard indices, each on a connection not picked yet
    const auto alreadyPicked = [&](std::uint32_t connection) {
        return std::any_of(picked.begin(), picked.end(), [&](std::uint32_t p) { return a.hazards[p].connection == connection; });
    };
    for (const TeardownStats::HazardGroup& g : s.hazards) {
        for (std::uint32_t i : g.examples) {
            const Hazard& h = a.hazards[i];
            if (h.connection == kNoIndex || h.connection >= a.connections.size() || alreadyPicked(h.connection))
                continue;
            picked.push_back(i);
            break;
        }
        if (picked.size() == kMaxReportLadders)
            break;
    }
    return picked;
}

ReportFigures renderReportFigures(const Analysis& a, const TeardownStats& s) {
    ReportFigures out;
    FigureRequest timeline;
    timeline.view = FigureView::Timeline;
    // The span the inputs cover, not the TIME_WAIT windows running on after them: that is where
    // the incident is. A little room on the right shows the windows going on past the end.
    const TimeNs first = captureStartOf(a), last = captureEndOf(a);
    if (last > first) {
        timeline.from = first;
        timeline.to = last + (last - first) / 10;
    }
    timeline.size = QSizeF(1000, 560);
    timeline.scale = kFigureScale;
    out.timeline = draw(a, timeline, QStringLiteral("timeline"),
                        QStringLiteral("Every connection over the time the inputs cover: when it was open, closing, and holding TIME_WAIT."));

    if (a.exhaustion.empty()) {
        out.exhaustion.id = QStringLiteral("exhaustion");
        out.exhaustion.error = QStringLiteral("no outgoing connections toward a destination were seen, so there is nothing to plot");
    } else {
        FigureRequest ports;
        ports.view = FigureView::Exhaustion;
        ports.size = QSizeF(1000, 500);
        ports.scale = kFigureScale;
        out.exhaustion = draw(a, ports, QStringLiteral("exhaustion"),
                              QStringLiteral("Ports in use toward the destination most at risk, against the ports available."));
    }

    for (std::uint32_t i : worstHazardExamples(a, s)) {
        const Hazard& h = a.hazards[i];
        FigureRequest ladder;
        ladder.view = FigureView::Ladder;
        ladder.connection = h.connection;
        ladder.size = QSizeF(1000, 700);
        ladder.scale = kFigureScale;
        ReportFigure f = draw(a, ladder, QStringLiteral("ladder-%1").arg(h.connection),
                              QStringLiteral("Connection #%1, %2: the packets of its handshake and teardown between the two ends, in time order.")
                                  .arg(h.connection)
                                  .arg(QString::fromStdString(h.kind)));
        f.hazard = i;
        out.ladders.push_back(std::move(f));
    }
    return out;
}

} // namespace twlens
