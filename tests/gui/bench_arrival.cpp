// SPDX-License-Identifier: GPL-3.0-or-later
// Arrival benchmark (a plain executable, not a CTest test): how long the GUI thread stalls when a
// big analysis arrives in the real MainWindow (issue 5: the event loop never blocks more than
// 100 ms; first picture <= 3 s after the import finishes).
//   bench_arrival [connections]        (default 530000; QT_QPA_PLATFORM=offscreen works)
// It builds a synthetic analysis (analysis_builder), shows a 1920x1080 MainWindow, then hands the
// analysis over the way the import job does: the worker-side preparation on a std::thread, the
// result through a queued call to ImportJob::finished. A 10 ms QTimer heartbeat records every
// gap of the event loop from the moment the worker finishes until the timeline has painted.
// It then times each view's own share of an arrival (one view per SelectionState) to show where
// the time goes.
#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "analysis_builder.h"
#include "gui/app/main_window.h"
#include "gui/import/import_job.h"
#include "gui/state/selection_state.h"
#include "gui/views/connections_view.h"
#include "gui/views/exhaustion_view.h"
#include "gui/views/hazards_view.h"
#include "gui/views/ladder_widget.h"
#include "gui/views/overview_view.h"
#include "gui/views/snapshot_view.h"
#include "gui/views/timeline_widget.h"

using namespace twlens;

namespace {

// Marks the first paint of the watched widget after arm().
class PaintWatch : public QObject {
public:
    bool armed = false;
    qint64 paintedAt = -1;
    QElapsedTimer* clock = nullptr;
    bool eventFilter(QObject* o, QEvent* e) override {
        if (armed && e->type() == QEvent::Paint) {
            // Let the widget paint now, then note the time: the frame is done.
            armed = false;
            static_cast<QWidget*>(o)->removeEventFilter(this);
            QApplication::sendEvent(o, e);
            paintedAt = clock->nsecsElapsed();
            return true;
        }
        return false;
    }
};

// One view's share of the GUI thread's work on arrival (the data prepared beforehand, as the
// worker does), then the selection of the first hazard as MainWindow makes it.
template <typename View>
double viewShare(const std::shared_ptr<const ViewData>& data) {
    SelectionState selection;
    View view(&selection);
    view.resize(1920, 400);
    QElapsedTimer t;
    t.start();
    selection.setViewData(data);
    selection.selectHazard(0);
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // leave the user's QSettings alone
    QCoreApplication::setOrganizationName(QStringLiteral("twlens-bench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_arrival"));
    const std::size_t n = argc > 1 ? std::size_t(std::stoull(argv[1])) : 530'000;

    QElapsedTimer build;
    build.start();
    const std::shared_ptr<const Analysis> analysis = testing::syntheticAnalysis(n);
    std::printf("synthetic analysis: %zu connections, %zu hazards (built in %.0f ms)\n", analysis->connections.size(),
                analysis->hazards.size(), double(build.elapsed()));

    MainWindow window;
    window.resize(1920, 1080);
    window.show();
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < 300)
        QApplication::processEvents(QEventLoop::AllEvents, 50);

    QElapsedTimer clock;
    clock.start();
    std::vector<qint64> ticks;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(10);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] { ticks.push_back(clock.nsecsElapsed()); });
    heartbeat.start();

    PaintWatch watch;
    watch.clock = &clock;
    window.timeline()->installEventFilter(&watch);

    qint64 workerStart = 0, workerDone = 0, shownAt = -1;
    QObject::connect(&window, &MainWindow::analysisShown, [&] {
        shownAt = clock.nsecsElapsed();
        watch.armed = true;
        window.timeline()->update();
    });
    ImportJob* job = window.importJob();
    std::thread worker;
    QTimer::singleShot(50, [&] {
        workerStart = clock.nsecsElapsed();
        worker = std::thread([&] {
            // What the import job's worker does after analyzeFiles(): prepare, then post.
            auto prepared = ImportJob::prepare(analysis);
            workerDone = clock.nsecsElapsed();
            QMetaObject::invokeMethod(job, [job, prepared] { emit job->finished(job->currentJob(), prepared->analysis, prepared); },
                                      Qt::QueuedConnection);
        });
    });
    while (watch.paintedAt < 0 && clock.elapsed() < 120'000)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    // One more heartbeat after the frame closes the last gap.
    const std::size_t before = ticks.size();
    while (ticks.size() == before)
        QApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
    worker.join();

    qint64 maxGap = 0, prev = workerDone;
    for (qint64 t : ticks) {
        if (t < workerDone)
            continue;
        maxGap = std::max(maxGap, t - prev);
        prev = t;
    }
    auto ms = [](qint64 ns) { return double(ns) / 1e6; };
    std::printf("worker preparation (off the GUI thread): %.1f ms\n", ms(workerDone - workerStart));
    std::printf("result posted -> analysisShown: %.1f ms\n", ms(shownAt - workerDone));
    std::printf("result posted -> first timeline frame painted: %.1f ms\n", ms(watch.paintedAt - workerDone));
    std::printf("worker start -> first frame (first picture after the import): %.1f ms\n", ms(watch.paintedAt - workerStart));
    std::printf("longest event-loop stall (10 ms heartbeat) from the result to the frame: %.1f ms\n", ms(maxGap));

    const auto data = ImportJob::prepare(analysis);
    // bench_arrival N R: R more arrivals of the prepared data into the window (for a profiler).
    const int repeat = argc > 2 ? std::atoi(argv[2]) : 0;
    for (int i = 0; i < repeat; ++i) {
        QElapsedTimer t;
        t.start();
        emit job->finished(job->currentJob(), analysis, data);
        (void)window.grab();
        std::printf("arrival %d into the window, painted: %.1f ms\n", i + 1, double(t.nsecsElapsed()) / 1e6);
    }
    // A filter typed in the table: evaluated once in the SelectionState, then table and timeline.
    for (const char* text : {"hazard:any", "10.1.7.1", ""}) {
        QElapsedTimer t;
        t.start();
        window.selection()->setFilterText(QString::fromLatin1(text));
        const double evaluated = double(t.nsecsElapsed()) / 1e6;
        (void)window.grab();
        std::printf("filter \"%s\": %zu pass; evaluated and shown in table and timeline: %.1f ms, painted: %.1f ms\n", text,
                    window.selection()->passingCount(), evaluated, double(t.nsecsElapsed()) / 1e6);
    }
    std::printf("each view's share of an arrival (ms): table %.1f, timeline %.1f, overview %.1f, hazards %.1f, "
                "exhaustion %.1f, snapshots %.1f, ladder %.1f\n",
                viewShare<ConnectionsView>(data), viewShare<TimelineWidget>(data), viewShare<OverviewView>(data),
                viewShare<HazardsView>(data), viewShare<ExhaustionView>(data), viewShare<SnapshotView>(data),
                viewShare<LadderView>(data));
    return 0;
}
