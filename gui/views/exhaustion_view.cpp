// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/exhaustion_view.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "core/exhaustion/what_if.h"
#include "core/presentation/labels.h"
#include "core/presentation/state_spans.h"
#include "core/presentation/time_wait_series.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"
#include "gui/views/plot_style.h"

namespace twlens {

namespace {
constexpr int kMaxDestinations = 6;

QString destinationText(const Exhaustion& e) { return QString::fromStdString(labels::endpoint(e.remoteIp, e.remotePort)); }
} // namespace

ExhaustionView::ExhaustionView(SelectionState* selection, QWidget* parent)
    : QWidget(parent), selection_(selection), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* controls = new QHBoxLayout;
    destination_ = new QComboBox(this);
    destination_->setMinimumContentsLength(18);
    portLow_ = new QSpinBox(this);
    portHigh_ = new QSpinBox(this);
    for (QSpinBox* s : {portLow_, portHigh_})
        s->setRange(1, 65535);
    twReuse_ = new QComboBox(this);
    twReuse_->addItem(tr("0 off"), 0);
    twReuse_->addItem(tr("1 all"), 1);
    twReuse_->addItem(tr("2 loopback"), 2);
    twSeconds_ = new QDoubleSpinBox(this);
    twSeconds_->setRange(0.001, 3600);
    twSeconds_->setDecimals(3);
    twSeconds_->setSuffix(tr(" s"));
    reuseFactor_ = new QDoubleSpinBox(this);
    reuseFactor_->setRange(1, 1000);
    reuseFactor_->setDecimals(1);
    reuseFactor_->setPrefix(tr("×"));
    apply_ = new QPushButton(tr("Re-run"), this);
    apply_->setToolTip(tr("Run the analysis again with this port range, tcp_tw_reuse and TIME-WAIT length"));
    portLow_->setToolTip(HelpTexts::tooltip(QStringLiteral("whatif.port_range")));
    portHigh_->setToolTip(portLow_->toolTip());
    twReuse_->setToolTip(HelpTexts::tooltip(QStringLiteral("whatif.tw_reuse")));
    twSeconds_->setToolTip(HelpTexts::tooltip(QStringLiteral("whatif.tw_seconds")));
    reuseFactor_->setToolTip(HelpTexts::tooltip(QStringLiteral("whatif.reuse_factor")));
    controls->addWidget(destination_, 1);
    controls->addWidget(new QLabel(tr("ports"), this));
    controls->addWidget(portLow_);
    controls->addWidget(new QLabel(QStringLiteral("–"), this));
    controls->addWidget(portHigh_);
    controls->addWidget(new QLabel(tr("tw_reuse"), this));
    controls->addWidget(twReuse_);
    controls->addWidget(new QLabel(tr("TIME-WAIT"), this));
    controls->addWidget(twSeconds_);
    controls->addWidget(new QLabel(tr("requests/conn"), this));
    controls->addWidget(reuseFactor_);
    controls->addWidget(apply_);
    layout->addLayout(controls);
    layout->addWidget(plot_, 1);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    layout->addWidget(status_);

    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->axisRect()->setRangeDrag(Qt::Horizontal);
    plot_->axisRect()->setRangeZoom(Qt::Horizontal);
    plot_->xAxis->setLabel(tr("seconds since capture start"));
    plot_->yAxis->setLabel(tr("ports in use"));
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
    applyPlotPalette(plot_, palette());

    connect(selection_, &SelectionState::analysisChanged, this, &ExhaustionView::onAnalysisChanged);
    connect(selection_, &SelectionState::timeRangeChanged, this, &ExhaustionView::followTimeRange);
    connect(plot_->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& r) {
        if (following_ || !selection_->analysis())
            return;
        const TimeNs origin = captureStartOf(*selection_->analysis());
        selection_->panTo({origin + fromSeconds(r.lower), origin + fromSeconds(r.upper)});
    });
    connect(destination_, qOverload<int>(&QComboBox::currentIndexChanged), this, &ExhaustionView::project);
    connect(portLow_, qOverload<int>(&QSpinBox::valueChanged), this, &ExhaustionView::project);
    connect(portHigh_, qOverload<int>(&QSpinBox::valueChanged), this, &ExhaustionView::project);
    connect(twReuse_, qOverload<int>(&QComboBox::currentIndexChanged), this, &ExhaustionView::project);
    connect(twSeconds_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ExhaustionView::project);
    connect(reuseFactor_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ExhaustionView::project);
    connect(apply_, &QPushButton::clicked, this, [this] {
        const WhatIfParameters p = parameters();
        SettingsOverrides o;
        o.hasPortRange = true;
        o.portLow = p.portLow;
        o.portHigh = p.portHigh;
        o.hasTwReuse = true;
        o.twReuse = p.twReuse;
        o.hasTwSeconds = true;
        o.twSeconds = p.twSeconds;
        emit rerunRequested(o);
    });
    onAnalysisChanged();
}

WhatIfParameters ExhaustionView::parameters() const {
    WhatIfParameters p;
    p.portLow = std::uint16_t(portLow_->value());
    p.portHigh = std::uint16_t(portHigh_->value());
    p.twReuse = twReuse_->currentData().toInt();
    p.twSeconds = twSeconds_->value();
    p.reuseFactor = reuseFactor_->value();
    return p;
}

void ExhaustionView::setParameters(const WhatIfParameters& p) {
    portLow_->setValue(p.portLow);
    portHigh_->setValue(p.portHigh);
    twReuse_->setCurrentIndex(std::clamp(p.twReuse, 0, 2));
    twSeconds_->setValue(p.twSeconds);
    reuseFactor_->setValue(p.reuseFactor);
}

QString ExhaustionView::statusText() const { return status_->text(); }

void ExhaustionView::onAnalysisChanged() {
    const auto& a = selection_->analysis();
    const QSignalBlocker b1(destination_), b2(portLow_), b3(portHigh_), b4(twReuse_), b5(twSeconds_), b6(reuseFactor_);
    projection_.reset();
    destination_->clear();
    if (a) {
        // One insertion for all (item i is Analysis::exhaustion[i]): thousands of destinations
        // added one by one would signal the list once per item.
        QStringList names;
        names.reserve(qsizetype(a->exhaustion.size()));
        for (const Exhaustion& e : a->exhaustion)
            names << tr("%1 from %2").arg(destinationText(e), QString::fromStdString(e.localIp.toString()));
        destination_->addItems(names);
        portLow_->setValue(a->settings.portLow.value);
        portHigh_->setValue(a->settings.portHigh.value);
        twReuse_->setCurrentIndex(std::clamp(a->settings.twReuse.value, 0, 2));
        twSeconds_->setValue(a->settings.twSeconds.value);
        reuseFactor_->setValue(1.0);
    }
    destination_->setEnabled(destination_->count() > 0);
    replot();
}

void ExhaustionView::replot() {
    plot_->clearGraphs();
    plot_->clearItems();
    const auto& a = selection_->analysis();
    if (!a) {
        status_->setText(tr("No analysis loaded"));
        plot_->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const TimeNs origin = captureStartOf(*a);
    const QPalette pal = palette();
    if (a->exhaustion.empty()) {
        // No per-destination figures: show the TIME_WAIT load itself.
        const auto& series = selection_->viewData().timeWaitLoad;
        QCPGraph* g = plot_->addGraph();
        g->setName(tr("TIME-WAIT windows open (all connections)"));
        g->setLineStyle(QCPGraph::lsStepLeft);
        g->setPen(QPen(seriesColor(1, pal), 2));
        QVector<double> xs, ys;
        for (const CountPoint& p : series) {
            xs << toSeconds(p.ts - origin);
            ys << p.count;
        }
        g->setData(xs, ys, true);
        plot_->yAxis->setLabel(tr("TIME-WAIT windows"));
        double yMax = 1.0;
        for (double y : ys)
            yMax = std::max(yMax, y);
        plot_->yAxis->setRange(0, yMax * 1.15);
        status_->setText(tr("No per-destination port figures in this analysis; the plot shows TIME-WAIT windows open "
                            "over time instead."));
    } else {
        plot_->yAxis->setLabel(tr("ports in use"));
        const int selected = std::max(0, destination_->currentIndex());
        double yMax = 1;
        for (int i = 0; i < int(a->exhaustion.size()) && i < kMaxDestinations; ++i) {
            const Exhaustion& e = a->exhaustion[std::size_t(i)];
            const QColor col = seriesColor(i, pal);
            QVector<double> xs, ys, tws;
            for (const ExhaustionSeriesPoint& p : e.series) {
                xs << toSeconds(p.ts - origin);
                ys << p.portsInUse;
                tws << p.timeWait;
            }
            QCPGraph* g = plot_->addGraph();
            g->setName(destinationText(e));
            g->setLineStyle(QCPGraph::lsStepLeft);
            g->setPen(QPen(col, i == selected ? 2.5 : 1.2));
            g->setData(xs, ys, true);
            QCPGraph* t = plot_->addGraph();
            t->setName(tr("%1 in TIME-WAIT").arg(destinationText(e)));
            t->setLineStyle(QCPGraph::lsStepLeft);
            t->setPen(QPen(col, 1, Qt::DashLine));
            t->setData(xs, tws, true);
            yMax = std::max(yMax, double(e.peakPortsInUse));
            if (i == selected)
                yMax = std::max(yMax, double(e.usablePorts));
        }
        // The selected destination as measured, or as core projects it under the what-if values.
        const Exhaustion& e = projection_ ? *projection_ : a->exhaustion[std::size_t(selected)];
        yMax = std::max(yMax, double(e.usablePorts));
        auto* limit = new QCPItemStraightLine(plot_);
        limit->point1->setCoords(0, e.usablePorts);
        limit->point2->setCoords(1, e.usablePorts);
        limit->setPen(QPen(seriesColor(1, pal), 1.5, Qt::DashDotLine));
        auto* limitText = new QCPItemText(plot_);
        limitText->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
        limitText->position->setCoords(0.99, e.usablePorts);
        limitText->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        limitText->setText(tr("usable ports: %L1").arg(e.usablePorts));
        limitText->setColor(pal.color(QPalette::WindowText));
        if (e.projectedExhaustionAt != kNoTime) {
            // From the start of the peak-rate window (or the peak) to the projected full range.
            const TimeNs from = e.peakRateStart != kNoTime ? e.peakRateStart : e.peakTime;
            std::uint32_t fromPorts = 0;
            for (const ExhaustionSeriesPoint& pt : e.series)
                if (pt.ts <= from)
                    fromPorts = pt.portsInUse;
            QCPGraph* proj = plot_->addGraph();
            proj->setName(projection_ ? tr("what-if projection") : tr("projection"));
            proj->setPen(QPen(seriesColor(3, pal), 2, Qt::DotLine));
            proj->setData(QVector<double>{toSeconds(from - origin), toSeconds(e.projectedExhaustionAt - origin)},
                          QVector<double>{double(fromPorts), double(e.usablePorts)}, true);
        }
        plot_->yAxis->setRange(0, yMax * 1.1);
        QString status = (projection_ ? tr("What-if · ") : QString()) + tr("%1: peak %L2 of %L3 usable ports at +%4 s; max sustainable rate %5/s; peak rate %6/s")
                             .arg(destinationText(e))
                             .arg(e.peakPortsInUse)
                             .arg(e.usablePorts)
                             .arg(toSeconds(e.peakTime - origin), 0, 'f', 3)
                             .arg(e.maxSustainableRatePerSecond, 0, 'f', 1)
                             .arg(e.newConnectionsPerSecondPeak, 0, 'f', 1);
        if (e.exhaustedAt != kNoTime)
            status += tr("; the range was full at +%1 s").arg(toSeconds(e.exhaustedAt - origin), 0, 'f', 3);
        else if (e.projectedExhaustionAt != kNoTime)
            status += tr("; projected full at +%1 s").arg(toSeconds(e.projectedExhaustionAt - origin), 0, 'f', 3);
        else
            status += tr("; the trend does not reach the limit");
        status_->setText(status);
    }
    followTimeRange();
}

void ExhaustionView::project() {
    const auto& a = selection_->analysis();
    const int d = destination_->currentIndex();
    projection_.reset();
    if (a && d >= 0 && std::size_t(d) < a->exhaustion.size()) {
        const WhatIfParameters p = parameters();
        WhatIf w;
        if (p.portLow != a->settings.portLow.value || p.portHigh != a->settings.portHigh.value) {
            w.portLow = std::min(p.portLow, p.portHigh);
            w.portHigh = std::max(p.portLow, p.portHigh);
        }
        if (p.twReuse != a->settings.twReuse.value)
            w.twReuse = p.twReuse;
        if (p.twSeconds != a->settings.twSeconds.value)
            w.twSeconds = p.twSeconds;
        w.reuseFactor = p.reuseFactor;
        if (!w.neutral())
            projection_ = twlens::project(a->exhaustion[std::size_t(d)], a->settings, w);
    }
    replot();
}

void ExhaustionView::followTimeRange() {
    const auto& a = selection_->analysis();
    if (!a)
        return;
    const TimeNs origin = captureStartOf(*a);
    const TimeRange r = selection_->timeRange();
    following_ = true;
    plot_->xAxis->setRange(toSeconds(r.from - origin), toSeconds(r.to - origin));
    following_ = false;
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ExhaustionView::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange) {
        applyPlotPalette(plot_, palette());
        replot();
    }
    QWidget::changeEvent(e);
}

} // namespace twlens
