// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/snapshot_view.h"

#include <QComboBox>
#include <QEvent>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "core/output/time_format.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"
#include "gui/views/plot_style.h"
#include "gui/views/state_colors.h"

namespace twlens {

SnapshotView::SnapshotView(SelectionState* selection, QWidget* parent)
    : QWidget(parent), selection_(selection), plot_(new QCustomPlot) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    layout->addWidget(stack_);
    empty_ = new QLabel(stack_);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    empty_->setTextFormat(Qt::RichText);

    auto* split = new QSplitter(Qt::Horizontal, stack_);
    plot_->setParent(split);
    plot_->legend->setVisible(true);
    plot_->xAxis->setLabel(tr("seconds since first snapshot"));
    plot_->yAxis->setLabel(tr("sockets"));
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    applyPlotPalette(plot_, palette());
    auto* side = new QWidget(split);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    snapshot_ = new QComboBox(side);
    destinations_ = new QTreeWidget(side);
    destinations_->setHeaderLabels({tr("TIME-WAIT to"), tr("sockets")});
    destinations_->setRootIsDecorated(false);
    destinations_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    findings_ = new QTreeWidget(side);
    findings_->setHeaderLabels({tr("Finding"), tr("Severity"), tr("Evidence")});
    findings_->setRootIsDecorated(false);
    findings_->setWordWrap(true);
    findings_->setColumnWidth(0, 320);
    findings_->setColumnWidth(1, 70);
    sideLayout->addWidget(snapshot_);
    sideLayout->addWidget(destinations_, 1);
    sideLayout->addWidget(new QLabel(tr("Findings"), side));
    sideLayout->addWidget(findings_, 1);
    split->addWidget(plot_);
    split->addWidget(side);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    stack_->addWidget(split);
    stack_->addWidget(empty_);

    connect(snapshot_, qOverload<int>(&QComboBox::currentIndexChanged), this, &SnapshotView::showSnapshot);
    connect(selection_, &SelectionState::analysisChanged, this, &SnapshotView::onAnalysisChanged);
    onAnalysisChanged();
}

void SnapshotView::onAnalysisChanged() {
    const auto& a = selection_->analysis();
    plot_->clearGraphs();
    findings_->clear();
    {
        const QSignalBlocker block(snapshot_);
        snapshot_->clear();
    }
    if (a) {
        const StateColors colors(palette());
        for (const Finding& f : a->findings) {
            auto* item = new QTreeWidgetItem(findings_, {QString::fromStdString(f.summary), QString::fromLatin1(severityName(f.severity)),
                                                         QString::fromStdString(f.evidence)});
            item->setForeground(1, colors.severity(f.severity));
            item->setToolTip(0, QString::fromStdString(f.summary));
            item->setToolTip(2, QString::fromStdString(f.evidence));
        }
    }
    if (!a || a->snapshots.empty()) {
        empty_->setText(tr("<p><b>No socket snapshots in this analysis.</b></p>"
                           "<p>Open <tt>ss -tan</tt>, <tt>netstat -ant</tt>, <tt>/proc/net/sockstat</tt>, <tt>/proc/net/tcp</tt> "
                           "or <tt>sysctl -a</tt> output (or a collector bundle) together with the capture to see socket states "
                           "over time and the sysctl findings.</p>"
                           "<p><small>Note: without -a or a state filter, <tt>ss -tn</tt> hides TIME-WAIT sockets; "
                           "use <tt>ss -tan</tt>.</small></p>") +
                        (a && !a->findings.empty() ? tr("<p>%1 finding(s) are listed in the overview.</p>").arg(a->findings.size())
                                                   : QString()));
        stack_->setCurrentWidget(empty_);
        plot_->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    stack_->setCurrentIndex(0);
    const TimeNs origin = a->snapshots.front().ts == kNoTime ? 0 : a->snapshots.front().ts;
    // One series per state that any snapshot reports as non-zero.
    const QPalette pal = palette();
    int colorIndex = 0;
    double yMax = 1;
    for (int st = 1; st < kTcpStateCount; ++st) {
        QVector<double> xs, ys;
        bool any = false;
        for (const SocketSnapshot& s : a->snapshots) {
            const std::int64_t n = s.stateCounts[std::size_t(st)];
            if (n < 0 || s.ts == kNoTime)
                continue;
            xs << toSeconds(s.ts - origin);
            ys << double(n);
            any |= n > 0;
            yMax = std::max(yMax, double(n));
        }
        if (!any)
            continue;
        QCPGraph* g = plot_->addGraph();
        g->setName(QString::fromLatin1(stateName(TcpState(st))));
        const QColor c = TcpState(st) == TcpState::TimeWait ? StateColors(pal).timeWait() : seriesColor(colorIndex++, pal);
        g->setPen(QPen(c, TcpState(st) == TcpState::TimeWait ? 2.5 : 1.5));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        g->setData(xs, ys, true);
    }
    plot_->rescaleAxes();
    plot_->yAxis->setRange(0, yMax * 1.1);
    plot_->replot(QCustomPlot::rpQueuedReplot);
    for (const SocketSnapshot& s : a->snapshots) {
        const QString file = s.input < a->inputs.size() ? QFileInfo(QString::fromStdString(a->inputs[s.input].path)).fileName() : QString();
        snapshot_->addItem(s.ts == kNoTime ? file : QStringLiteral("%1 · %2").arg(QString::fromStdString(utcText(s.ts)), file));
    }
    showSnapshot(snapshot_->count() - 1);
    snapshot_->setCurrentIndex(snapshot_->count() - 1);
}

void SnapshotView::showSnapshot(int index) {
    destinations_->clear();
    const auto& a = selection_->analysis();
    if (!a || index < 0 || index >= int(a->snapshots.size()))
        return;
    for (const DestinationCount& d : a->snapshots[std::size_t(index)].timeWaitByDestination) {
        const std::string ip = d.remoteIp.isV4() ? d.remoteIp.toString() : "[" + d.remoteIp.toString() + "]";
        auto* item = new QTreeWidgetItem(destinations_, {QStringLiteral("%1:%2").arg(QString::fromStdString(ip)).arg(d.remotePort),
                                                         QString::number(d.count)});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    if (destinations_->topLevelItemCount() == 0)
        new QTreeWidgetItem(destinations_, {tr("(no TIME-WAIT rows in this snapshot)"), QString()});
}

void SnapshotView::changeEvent(QEvent* e) {
    if (e->type() == QEvent::PaletteChange) {
        applyPlotPalette(plot_, palette());
        onAnalysisChanged();
    }
    QWidget::changeEvent(e);
}

} // namespace twlens
