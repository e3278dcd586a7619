// SPDX-License-Identifier: GPL-3.0-or-later
// Socket snapshots as a figure: sockets per state over time (left) and, for the snapshot with the
// most TIME-WAIT sockets, which destinations they point at (right).
#include <QFileInfo>
#include <algorithm>
#include <qcustomplot.h>

#include "core/output/time_format.h"
#include "core/presentation/snapshot_series.h"
#include "gui/figures/figure_content.h"
#include "gui/figures/plot_figure.h"
#include "gui/views/plot_style.h"

namespace twlens {

namespace {

constexpr int kMaxBars = 10;
constexpr int kMinBarSlots = 6; // so one destination gets a bar, not the whole height

class SnapshotsFigure : public FigureContent {
public:
    explicit SnapshotsFigure(const FigureSetup& s) : s_(s), states_(makeFigurePlot(s)) {
        const Analysis& a = s.analysis;
        states_->xAxis->setLabel(hasCaptureTimes(a) ? QObject::tr("seconds after the first packet")
                                                    : QObject::tr("seconds after the first snapshot"));
        states_->yAxis->setLabel(QObject::tr("sockets"));
        int colorIndex = 0;
        double yMax = 1;
        for (const StateCountSeries& series : snapshotStateSeries(a)) {
            QVector<double> xs, ys;
            for (std::size_t i = 0; i < series.ts.size(); ++i) {
                xs << toSeconds(series.ts[i] - s.origin);
                ys << double(series.count[i]);
                yMax = std::max(yMax, double(series.count[i]));
            }
            QCPGraph* g = states_->addGraph();
            g->setName(QString::fromLatin1(stateRfcName(series.state)));
            const bool tw = series.state == TcpState::TimeWait;
            const QColor c = tw ? s.colors.timeWait() : seriesColor(colorIndex++, s.palette);
            g->setPen(QPen(c, tw ? 2.5 : 1.5));
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
            g->setData(xs, ys, true);
        }
        states_->xAxis->setRange(toSeconds(s.window.from - s.origin), toSeconds(s.window.to - s.origin));
        states_->yAxis->setRange(0, yMax * 1.15);
        integerTicks(states_->yAxis);

        busiest_ = busiestTimeWaitSnapshot(a);
        if (busiest_ != kNoIndex)
            makeDestinations();
    }

    void paint(QCPPainter& p, const QRectF& area) override {
        if (!destinations_) {
            paintFigurePlot(p, area, *states_);
            return;
        }
        const double split = area.width() * 0.62;
        paintFigurePlot(p, QRectF(area.left(), area.top(), split - 10, area.height()), *states_);
        paintFigurePlot(p, QRectF(area.left() + split + 10, area.top(), area.width() - split - 10, area.height()), *destinations_);
    }

private:
    void makeDestinations() {
        const Analysis& a = s_.analysis;
        const SocketSnapshot& snap = a.snapshots[busiest_];
        destinations_ = makeFigurePlot(s_);
        destinations_->legend->setVisible(false);
        auto* bars = new QCPBars(destinations_->yAxis, destinations_->xAxis); // horizontal: keys on the y axis
        bars->setPen(Qt::NoPen);
        bars->setBrush(s_.colors.timeWait());
        bars->setWidth(0.7);
        QVector<double> keys, values;
        QVector<QString> names;
        const int n = std::min<int>(kMaxBars, int(snap.timeWaitByDestination.size()));
        const int barRows = std::max(n, kMinBarSlots);
        double most = 1;
        for (int i = 0; i < n; ++i) {
            const DestinationCount& d = snap.timeWaitByDestination[std::size_t(i)];
            keys << double(barRows - i); // the largest at the top
            values << double(d.count);
            names << endpointText(d.remoteIp, d.remotePort);
            most = std::max(most, double(d.count));
        }
        bars->setData(keys, values, true);
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        ticker->addTicks(keys, names);
        destinations_->yAxis->setTicker(ticker);
        destinations_->yAxis->setRange(0.3, barRows + 0.7);
        destinations_->yAxis->grid()->setVisible(false);
        destinations_->xAxis->setRange(0, most * 1.15);
        destinations_->xAxis->setLabel(QObject::tr("TIME-WAIT sockets"));
        integerTicks(destinations_->xAxis);
        const QString file = snap.input < a.inputs.size() ? QFileInfo(QString::fromStdString(a.inputs[snap.input].path)).fileName() : QString();
        destinations_->plotLayout()->insertRow(0);
        auto* title = new QCPTextElement(destinations_.get(),
                                         QObject::tr("TIME-WAIT by destination at %1\n(%2)")
                                             .arg(relativeText(a, snap.ts), file),
                                         figureFont(11));
        title->setTextColor(s_.colors.text());
        destinations_->plotLayout()->addElement(0, 0, title);
    }

    const FigureSetup& s_;
    std::unique_ptr<QCustomPlot> states_;
    std::unique_ptr<QCustomPlot> destinations_;
    std::uint32_t busiest_ = kNoIndex;
};

} // namespace

std::unique_ptr<FigureContent> makeSnapshotsFigure(const FigureSetup& s, QString* error) {
    const Analysis& a = s.analysis;
    if (snapshotStateSeries(a).empty()) {
        if (error)
            *error = a.snapshots.empty()
                         ? QObject::tr("the snapshots figure needs socket snapshots (ss -tan, netstat -ant, /proc/net/sockstat, "
                                       "/proc/net/tcp output) among the inputs, and there are none")
                         : QObject::tr("the inputs' socket snapshots have no timed socket counts to plot");
        return nullptr;
    }
    auto f = std::make_unique<SnapshotsFigure>(s);
    f->text.title = QObject::tr("Socket states over time from the snapshots");
    // How many timed snapshots of each kind, in the order the kinds first appear.
    QStringList kinds;
    std::vector<int> counts;
    for (const SocketSnapshot& snap : a.snapshots) {
        if (snap.ts == kNoTime)
            continue;
        const QString k = QString::fromLatin1(inputKindName(snap.kind));
        const auto at = kinds.indexOf(k);
        if (at < 0) {
            kinds << k;
            counts.push_back(1);
        } else {
            ++counts[std::size_t(at)];
        }
    }
    QStringList parts;
    for (qsizetype i = 0; i < kinds.size(); ++i)
        parts << QStringLiteral("%1 ×%2").arg(kinds[i]).arg(counts[std::size_t(i)]);
    f->text.subtitle = QObject::tr("Snapshots: %1; a state is plotted when some snapshot counts it").arg(parts.join(QStringLiteral(", ")));
    f->text.caption = figureCaption(s, true);
    return f;
}

} // namespace twlens
