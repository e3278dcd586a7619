// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline as a figure: the 4-tuple rows of the window drawn by the view's own TimelinePainter,
// each row named at the left, the time axis in seconds after the first packet.
#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <array>
#include <qcustomplot.h>

#include "core/presentation/state_spans.h"
#include "core/presentation/tuple_rows.h"
#include "gui/figures/figure_content.h"
#include "gui/views/timeline_painter.h"

namespace twlens {

namespace {

constexpr double kAxisHeight = 26;
constexpr double kMaxRowHeight = 36;
constexpr double kLabelRowHeight = 11; // below this the rows are too thin to name

class TimelineFigure : public FigureContent {
public:
    explicit TimelineFigure(const FigureSetup& s) : s_(s), rows_(s.analysis) { captureEnd_ = captureEndOf(s.analysis); }
    std::size_t rowCount() const { return rows_.rowCount(); }

    void paint(QCPPainter& p, const QRectF& area) override {
        const Analysis& a = s_.analysis;
        const std::size_t count = rows_.rowCount();
        const double avail = area.height() - kAxisHeight;
        double rowH = std::min(kMaxRowHeight, avail / double(std::max<std::size_t>(count, 1)));
        // Between one and kDetailRowHeight pixels a row, the density painter would leave pixel rows
        // empty (it paints one pixel row per row): paint one pixel per row and stretch that.
        double stretch = 1;
        if (rowH > 1 && rowH < TimelinePainter::kDetailRowHeight) {
            stretch = rowH;
            rowH = 1;
        }
        const bool named = rowH >= kLabelRowHeight;
        const QFont labelFont = figureFont(std::clamp(rowH * 0.5, 9.0, 12.0));
        const QFontMetricsF labelMetrics(labelFont);
        QStringList labels; // measured for the gutter, then drawn
        double gutter = 0;
        if (named) {
            for (std::size_t r = 0; r < count; ++r) {
                labels << rowLabel(r);
                gutter = std::max(gutter, labelMetrics.horizontalAdvance(labels.back()));
            }
            gutter = std::min(gutter + 10, area.width() * 0.35);
        } else {
            gutter = 28; // the vertical "4-tuples" label
        }
        const QRectF plot(area.left() + gutter, area.top() + kAxisHeight, area.width() - gutter,
                          std::min(avail, rowH * stretch * double(count)));
        const TimeMapping tm(s_.window.from, s_.window.to, plot.left(), plot.width());
        const RowMapping rm(0, rowH * stretch, plot.top(), count);
        TimelinePainter::paintAxis(p, QRectF(plot.left(), area.top(), plot.width(), kAxisHeight), tm, s_.origin, true, s_.colors);
        p.setPen(QPen(s_.colors.grid(), 1));
        p.drawRect(plot);
        const std::uint32_t selected = s_.request.connection ? *s_.request.connection : kNoIndex;
        TimelineScene scene{&a, &rows_, captureEnd_, selected};
        TimelinePainter painter;
        p.save();
        p.translate(0, plot.top());
        p.scale(1, stretch);
        painter.paint(p, QRectF(plot.left(), 0, plot.width(), plot.height() / stretch), scene, tm, RowMapping(0, rowH, 0, count),
                      s_.colors);
        p.restore();

        // The capture's end: TIME_WAIT past it is computed, not seen.
        const double xe = tm.toX(captureEnd_);
        if (xe > plot.left() && xe < plot.right()) {
            p.setPen(QPen(s_.colors.mutedText(), 1, Qt::DashLine));
            p.drawLine(QPointF(xe, plot.top()), QPointF(xe, plot.bottom()));
        }

        p.setPen(s_.colors.text());
        if (named) {
            p.setFont(labelFont);
            for (std::size_t r = 0; r < count; ++r)
                p.drawText(QRectF(area.left(), rm.toY(double(r)), gutter - 8, rowH), Qt::AlignRight | Qt::AlignVCenter,
                           labelMetrics.elidedText(labels[qsizetype(r)], Qt::ElideLeft, gutter - 8));
        } else {
            p.save();
            p.translate(area.left() + 14, plot.center().y());
            p.rotate(-90);
            p.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignCenter,
                       QObject::tr("%L1 4-tuples, top to bottom by start").arg(count));
            p.restore();
        }
    }

private:
    QString rowLabel(std::size_t row) const {
        const auto inc = rows_.incarnations(row);
        const Analysis& a = s_.analysis;
        QString label = connectionLabel(a, a.connections[inc.front()]);
        if (inc.size() > 1)
            label = QObject::tr("%1 (×%2)").arg(label).arg(inc.size());
        return label;
    }

    const FigureSetup& s_;
    TupleRows rows_;
    TimeNs captureEnd_ = 0;
};

} // namespace

std::unique_ptr<FigureContent> makeTimelineFigure(const FigureSetup& s, QString* error) {
    const Analysis& a = s.analysis;
    if (a.connections.empty()) {
        if (error)
            *error = QObject::tr("the timeline needs TCP connections and the inputs have none");
        return nullptr;
    }
    auto f = std::make_unique<TimelineFigure>(s);
    std::size_t inWindow = 0;
    for (const Connection& c : a.connections)
        inWindow += overlaps(c, s.window) ? 1 : 0;
    f->text.title = QObject::tr("Connection timeline: states of both ends over time");
    f->text.subtitle = QObject::tr("%L1 of %L2 connections in the window; one row per 4-tuple, its incarnations side by side; "
                                   "upper half client, lower half server")
                           .arg(inWindow)
                           .arg(a.connections.size());
    if (s.request.connection)
        f->text.subtitle += QObject::tr("; connection #%1 outlined").arg(*s.request.connection);
    // Too many rows for the page to draw each (the frame leaves about the height less 230 units):
    // the painter sums rows per pixel. Say how to read that.
    if (double(f->rowCount()) * TimelinePainter::kDetailRowHeight > s.request.size.height() - 230)
        f->text.subtitle = QObject::tr("%L1 connections on %L2 4-tuples, too many to draw one by one: each pixel row sums "
                                       "several, coloured ESTABLISHED where most are open and TIME-WAIT where most wait, "
                                       "darker for more")
                               .arg(a.connections.size())
                               .arg(f->rowCount());
    using M = LegendEntry::Mark;
    f->text.legend = stateLegend(s.colors);
    f->text.legend.push_back({M::Hatch, s.colors.timeWait(), QObject::tr("TIME-WAIT after the capture ended (computed)")});
    f->text.legend.push_back({M::Line, s.colors.reuseLink(), QObject::tr("4-tuple reused"), Qt::SolidLine, 2});
    // A hazard key per severity the window shows.
    std::array<bool, 3> severities{};
    for (const Hazard& h : a.hazards)
        if (h.connection < a.connections.size() && overlaps(a.connections[h.connection], s.window))
            severities[std::size_t(h.severity)] = true;
    for (Severity sev : {Severity::Critical, Severity::Warning, Severity::Info})
        if (severities[std::size_t(sev)])
            f->text.legend.push_back({M::Triangle, s.colors.severity(sev),
                                      QObject::tr("hazard (%1)").arg(QString::fromLatin1(severityName(sev)))});
    f->text.legend.push_back({M::Line, s.colors.mutedText(), QObject::tr("end of the capture"), Qt::DashLine, 1});
    f->text.caption = figureCaption(s, true);
    return f;
}

} // namespace twlens
