// SPDX-License-Identifier: GPL-3.0-or-later
// Ephemeral ports in use per destination as a figure: its own QCustomPlot (the view's is a live
// widget with what-if controls), styled by plot_style, drawn with QCustomPlot::toPainter so text
// stays text in SVG and PDF. As measured: what-if projections are the view's.
#include <QLocale>
#include <algorithm>
#include <qcustomplot.h>

#include "core/output/time_format.h"
#include "core/presentation/exhaustion_projection.h"
#include "core/presentation/time_wait_series.h"
#include "gui/figures/figure_content.h"
#include "gui/figures/plot_figure.h"
#include "gui/views/plot_style.h"

namespace twlens {

namespace {

constexpr int kMaxDestinations = 6;
constexpr std::size_t kPointBudget = 4000;
// Above this many times the peak the usable-port limit would flatten the series to the axis:
// the limit is then stated instead of drawn to scale.
constexpr double kLimitOffScale = 4.0;

QString destinationText(const Exhaustion& e) { return endpointText(e.remoteIp, e.remotePort); }

double seconds(const FigureSetup& s, TimeNs t) { return toSeconds(t - s.origin); }

void addTimeWaitLoad(const FigureSetup& s, QCustomPlot& plot, FigureText& text) {
    const auto series = thinForPlot(timeWaitConcurrency(s.analysis), kPointBudget);
    QCPGraph* g = plot.addGraph();
    g->setName(QObject::tr("TIME-WAIT windows open (all connections)"));
    g->setLineStyle(QCPGraph::lsStepLeft);
    g->setPen(QPen(s.colors.timeWait(), 2));
    QVector<double> xs, ys;
    double yMax = 1;
    for (const CountPoint& p : series) {
        xs << seconds(s, p.ts);
        ys << p.count;
        yMax = std::max(yMax, double(p.count));
    }
    g->setData(xs, ys, true);
    plot.yAxis->setLabel(QObject::tr("TIME-WAIT windows open"));
    plot.yAxis->setRange(0, yMax * 1.15);
    integerTicks(plot.yAxis);
    const CountPeak peak = peakOf(timeWaitConcurrency(s.analysis));
    text.title = QObject::tr("TIME-WAIT windows open over time");
    text.subtitle = QObject::tr("No per-destination port figures in this analysis; peak %L1 open at once").arg(peak.count);
    if (peak.at != kNoTime)
        text.subtitle += QObject::tr(" at %1").arg(relativeText(s.analysis, peak.at));
}

void addDestinations(const FigureSetup& s, QCustomPlot& plot, FigureText& text) {
    const Analysis& a = s.analysis;
    // The busiest destination first: it is the one the verdict is about.
    std::vector<std::size_t> order(a.exhaustion.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return a.exhaustion[x].peakPortsInUse > a.exhaustion[y].peakPortsInUse;
    });
    if (order.size() > std::size_t(kMaxDestinations))
        order.resize(std::size_t(kMaxDestinations));
    const Exhaustion& top = a.exhaustion[order.front()];
    double peak = 1;
    for (std::size_t k = 0; k < order.size(); ++k) {
        const Exhaustion& e = a.exhaustion[order[k]];
        const QColor col = seriesColor(int(k), s.palette);
        QVector<double> xs, ys, tws;
        for (const ExhaustionSeriesPoint& p : e.series) {
            xs << seconds(s, p.ts);
            ys << p.portsInUse;
            tws << p.timeWait;
        }
        QCPGraph* g = plot.addGraph();
        g->setName(QObject::tr("%1 ports in use").arg(destinationText(e)));
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(col, k == 0 ? 2.5 : 1.5));
        g->setData(xs, ys, true);
        QCPGraph* t = plot.addGraph();
        t->setName(QObject::tr("%1 of them in TIME-WAIT").arg(destinationText(e)));
        t->setLineStyle(QCPGraph::lsStepLeft);
        t->setPen(QPen(col, 1.2, Qt::DashLine));
        t->setData(xs, tws, true);
        peak = std::max(peak, double(e.peakPortsInUse));
    }
    const bool toScale = double(top.usablePorts) <= peak * kLimitOffScale;
    const double yMax = toScale ? double(top.usablePorts) * 1.1 : peak * 1.3;
    auto* limitText = new QCPItemText(&plot);
    limitText->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
    limitText->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    limitText->setColor(s.colors.severity(Severity::Critical));
    limitText->setFont(figureFont(12));
    if (toScale) {
        auto* limit = new QCPItemStraightLine(&plot);
        limit->point1->setCoords(0, top.usablePorts);
        limit->point2->setCoords(1, top.usablePorts);
        limit->setPen(QPen(s.colors.severity(Severity::Critical), 1.5, Qt::DashDotLine));
        limitText->position->setCoords(0.99, top.usablePorts);
        limitText->setText(QObject::tr("usable ports toward %1: %L2").arg(destinationText(top)).arg(top.usablePorts));
    } else {
        limitText->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        limitText->position->setCoords(0.99, 0.02);
        limitText->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        limitText->setText(QObject::tr("usable-port limit %L1 is far above this scale (peak %L2 = %3 %)")
                               .arg(top.usablePorts)
                               .arg(top.peakPortsInUse)
                               .arg(100.0 * top.peakPortsInUse / std::max(1u, top.usablePorts), 0, 'f', 2));
    }
    if (const auto line = projectionLine(top); line && toScale) {
        QCPGraph* proj = plot.addGraph();
        proj->setName(QObject::tr("%1 projection at the peak rate").arg(destinationText(top)));
        proj->setPen(QPen(seriesColor(3, s.palette), 2, Qt::DotLine));
        proj->setData(QVector<double>{seconds(s, line->from), seconds(s, line->to)},
                      QVector<double>{double(line->fromPorts), double(line->toPorts)}, true);
    }
    plot.yAxis->setLabel(QObject::tr("ports in use"));
    plot.yAxis->setRange(0, yMax);
    integerTicks(plot.yAxis);

    text.title = QObject::tr("Ephemeral ports in use toward each destination");
    QString sub = QObject::tr("%1 from %2: peak %L3 of %L4 usable ports at %5; new connections peaked at %L6/s against a "
                              "sustainable %L7/s")
                      .arg(destinationText(top), QString::fromStdString(top.localIp.toString()))
                      .arg(top.peakPortsInUse)
                      .arg(top.usablePorts)
                      .arg(relativeText(s.analysis, top.peakTime))
                      .arg(top.newConnectionsPerSecondPeak, 0, 'f', 1)
                      .arg(top.maxSustainableRatePerSecond, 0, 'f', 1);
    if (top.exhaustedAt != kNoTime)
        sub += QObject::tr("; the range was full at %1").arg(relativeText(s.analysis, top.exhaustedAt));
    else if (top.projectedExhaustionAt != kNoTime)
        sub += QObject::tr("; projected full at %1").arg(relativeText(s.analysis, top.projectedExhaustionAt));
    else
        sub += QObject::tr("; the trend does not reach the limit");
    if (a.exhaustion.size() > order.size())
        sub += QObject::tr(" (the %1 busiest of %2 destinations shown)").arg(order.size()).arg(a.exhaustion.size());
    text.subtitle = sub;
}

class ExhaustionFigure : public FigureContent {
public:
    explicit ExhaustionFigure(const FigureSetup& s) : plot_(makeFigurePlot(s)) {
        plot_->xAxis->setLabel(QObject::tr("seconds after the first packet"));
        if (s.analysis.exhaustion.empty())
            addTimeWaitLoad(s, *plot_, text);
        else
            addDestinations(s, *plot_, text);
        plot_->xAxis->setRange(seconds(s, s.window.from), seconds(s, s.window.to));
        text.caption = figureCaption(s, true);
    }
    void paint(QCPPainter& p, const QRectF& area) override { paintFigurePlot(p, area, *plot_); }

private:
    std::unique_ptr<QCustomPlot> plot_;
};

} // namespace

std::unique_ptr<FigureContent> makeExhaustionFigure(const FigureSetup& s, QString* error) {
    if (s.analysis.exhaustion.empty() && s.analysis.connections.empty()) {
        if (error)
            *error = QObject::tr("the exhaustion plot needs TCP connections or socket snapshots with ports, and the inputs have neither");
        return nullptr;
    }
    return std::make_unique<ExhaustionFigure>(s);
}

} // namespace twlens
