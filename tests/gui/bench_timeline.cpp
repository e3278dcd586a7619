// SPDX-License-Identifier: GPL-3.0-or-later
// Timeline paint benchmark (a plain executable, not a CTest test): 530,000 synthetic connections
// painted into an offscreen 1920x1080 image, zoomed out (all rows, density per pixel) and zoomed
// in (18 px rows, a 2 s window). Targets: <= 33 ms and <= 10 ms per frame. firstPicture: how long
// the GUI thread is busy when an analysis of that size arrives (every view takes it) until the
// timeline has painted once.
//   bench_timeline [-iterations N] [other QTest options]
#include <QImage>
#include <QPainter>
#include <QTest>

#include "analysis_builder.h"
#include "core/presentation/state_spans.h"
#include "gui/state/selection_state.h"
#include "gui/views/connections_view.h"
#include "gui/views/exhaustion_view.h"
#include "gui/views/hazards_view.h"
#include "gui/views/ladder_widget.h"
#include "gui/views/overview_view.h"
#include "gui/views/snapshot_view.h"
#include "gui/views/timeline_painter.h"
#include "gui/views/timeline_widget.h"

using namespace twlens;

class BenchTimeline : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void zoomedOut();
    void zoomedIn();
    void firstPicture();

private:
    void frame(const TimeMapping& tm, const RowMapping& rm);
    std::shared_ptr<const Analysis> a_;
    std::unique_ptr<TupleRows> rows_;
    QImage image_{1920, 1080, QImage::Format_ARGB32_Premultiplied};
    TimelinePainter painter_;
};

void BenchTimeline::initTestCase() {
    a_ = testing::syntheticAnalysis(530'000);
    rows_ = std::make_unique<TupleRows>(*a_);
    QCOMPARE(a_->connections.size(), std::size_t(530'000));
}

void BenchTimeline::frame(const TimeMapping& tm, const RowMapping& rm) {
    image_.fill(Qt::white);
    QPainter p(&image_);
    const StateColors colors{QPalette()};
    const TimelineScene scene{a_.get(), rows_.get(), captureEndOf(*a_), 12345};
    TimelinePainter::paintAxis(p, QRectF(0, 0, 1920, 26), tm, captureStartOf(*a_), true, colors);
    painter_.paint(p, QRectF(0, 26, 1920, 1054), scene, tm, rm, colors);
}

void BenchTimeline::zoomedOut() {
    TimeNs end = 0;
    for (const Connection& c : a_->connections)
        end = std::max(end, visibleEndOf(c));
    const TimeMapping tm(captureStartOf(*a_), end, 0, 1920);
    const RowMapping rm(0, 1054.0 / double(rows_->rowCount()), 26, rows_->rowCount());
    QBENCHMARK { frame(tm, rm); }
}

void BenchTimeline::zoomedIn() {
    // Rows around the middle, a 2 s window: 58 rows of 18 px.
    const TimeNs t0 = a_->connections[265'000].start - kNsPerSecond;
    const TimeMapping tm(t0, t0 + 2 * kNsPerSecond, 0, 1920);
    const RowMapping rm(265'000 - 20, 18, 26, rows_->rowCount());
    QBENCHMARK { frame(tm, rm); }
}

void BenchTimeline::firstPicture() {
    SelectionState selection;
    ConnectionsView table(&selection);
    TimelineWidget timeline(&selection);
    LadderView ladder(&selection);
    HazardsView hazards(&selection);
    OverviewView overview(&selection);
    ExhaustionView exhaustion(&selection);
    SnapshotView snapshots(&selection);
    timeline.resize(1920, 1080);
    QBENCHMARK_ONCE {
        selection.setAnalysis(a_);
        selection.selectConnection(265'000);
        (void)timeline.grab();
    }
}

QTEST_MAIN(BenchTimeline)
#include "bench_timeline.moc"
