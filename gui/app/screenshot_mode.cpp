// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/app/screenshot_mode.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QTimer>
#include <cstdio>
#include <qcustomplot.h>

#include "core/presentation/state_spans.h"
#include "gui/app/main_window.h"
#include "gui/import/import_job.h"
#include "gui/state/selection_state.h"
#include "gui/views/timeline_widget.h"
#include "gui/views/connections_view.h"
#include "gui/views/exhaustion_view.h"
#include "gui/views/snapshot_view.h"

namespace twlens {

namespace {

void save(QWidget* w, const QDir& dir, const QString& name) {
    const QString path = dir.filePath(name + QStringLiteral(".png"));
    if (!w->grab().save(path))
        std::fprintf(stderr, "twlens: could not write %s\n", qPrintable(path));
    else
        std::printf("%s\n", qPrintable(path));
}

void grabAll(MainWindow* window, const QDir& dir) {
    window->exhaustion()->plot()->replot();
    window->snapshots()->plot()->replot();
    save(window, dir, QStringLiteral("workspace"));
    // Each dock on its own, shown at a readable size (tabbed docks are floated one at a time).
    for (QDockWidget* d : window->docks()) {
        const bool floating = d->isFloating();
        d->setFloating(true);
        d->resize(d->objectName() == QLatin1String("ladderDock") ? QSize(900, 760) : QSize(1100, 560));
        d->show();
        d->raise();
        QApplication::processEvents();
        window->exhaustion()->plot()->replot();
        window->snapshots()->plot()->replot();
        QString name = d->objectName();
        name.chop(4); // "Dock"
        save(d->widget(), dir, name);
        d->setFloating(floating);
    }
    // The timeline with the whole window to itself: fitted (TIME_WAIT windows run past the
    // capture's end), then zoomed to the capture itself.
    for (QDockWidget* d : window->docks())
        d->hide();
    QApplication::processEvents();
    window->timeline()->fit();
    QApplication::processEvents();
    save(window->centralWidget(), dir, QStringLiteral("timeline"));
    const auto& a = window->selection()->analysis();
    if (a) {
        const TimeNs from = captureStartOf(*a), to = captureEndOf(*a);
        window->selection()->zoomTo({from - (to - from) / 50, to + (to - from) / 10});
        QApplication::processEvents();
        save(window->centralWidget(), dir, QStringLiteral("timeline-capture"));
    }
    // The connections with a hazard, as the table's filter box keeps them: the table lists only
    // those, the timeline fades the rest.
    window->timeline()->fit();
    window->selection()->setFilterText(QStringLiteral("hazard:any"));
    QApplication::processEvents();
    save(window->centralWidget(), dir, QStringLiteral("timeline-filtered"));
    for (QDockWidget* d : window->docks())
        if (d->objectName() != QLatin1String("snapshotsDock") && d->objectName() != QLatin1String("exhaustionDock") &&
            d->objectName() != QLatin1String("messagesDock"))
            d->show();
    window->findChild<QDockWidget*>(QStringLiteral("connectionsDock"))->raise();
    QApplication::processEvents();
    save(window, dir, QStringLiteral("workspace-filtered"));
    window->selection()->setFilterText(QString());
}

} // namespace

void installScreenshotMode(MainWindow* window, const QString& dirPath) {
    QDir().mkpath(dirPath);
    const QDir dir(dirPath);
    QObject::connect(window, &MainWindow::analysisShown, window, [window, dir] {
        // Let layouts, queued replots and the first paints settle before grabbing.
        QTimer::singleShot(600, window, [window, dir] {
            grabAll(window, dir);
            QApplication::quit();
        });
    });
    auto fail = [](quint64, const QString& message) {
        std::fprintf(stderr, "twlens: %s\n", qPrintable(message));
        QApplication::exit(1);
    };
    QObject::connect(window->importJob(), &ImportJob::failed, window, fail);
}

} // namespace twlens
