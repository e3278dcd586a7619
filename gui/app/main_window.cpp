// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/app/main_window.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <algorithm>
#include <qcustomplot.h>

#include "core/presentation/teaching_steps.h"
#include "gui/app/recent_files.h"
#include "gui/app/sample_files.h"
#include "gui/figures/export_actions.h"
#include "gui/import/import_job.h"
#include "gui/import/progress_panel.h"
#include "gui/state/selection_state.h"
#include "gui/teaching/scenario_menu.h"
#include "gui/teaching/teaching_view.h"
#include "gui/views/connections_view.h"
#include "gui/views/exhaustion_view.h"
#include "gui/views/hazards_view.h"
#include "gui/views/ladder_widget.h"
#include "gui/views/message_panel.h"
#include "gui/views/overview_view.h"
#include "gui/views/snapshot_view.h"
#include "gui/views/timeline_widget.h"

namespace twlens {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), selection_(new SelectionState(this)), job_(new ImportJob(this)), progress_(new ProgressPanel(this)),
      statusInfo_(new QLabel(this)) {
    setWindowTitle(QStringLiteral("twlens"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/twlens.svg")));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    timeline_ = new TimelineWidget(selection_, this);
    timeline_->setObjectName(QStringLiteral("timeline"));
    setCentralWidget(timeline_);
    createDocks();
    createMenus();
    statusInfo_->setObjectName(QStringLiteral("statusInfo"));
    statusBar()->addWidget(statusInfo_, 1);
    statusBar()->addPermanentWidget(progress_);

    connect(progress_, &ProgressPanel::cancelRequested, job_, &ImportJob::cancel);
    connect(job_, &ImportJob::progress, this, [this](quint64, const ImportProgress& p) { progress_->update(p); });
    connect(job_, &ImportJob::warning, this, [this](quint64, const QString& file, const QString& text) {
        messages_->add(MessagePanel::Level::Warning, file, text);
    });
    connect(job_, &ImportJob::finished, this, [this](quint64, std::shared_ptr<const ViewData> view) { onFinished(std::move(view)); });
    connect(job_, &ImportJob::failed, this, [this](quint64, const QString& message) {
        progress_->end();
        messages_->add(MessagePanel::Level::Error, QString(), message);
        messagesDock_->raise();
        statusInfo_->setText(tr("Could not analyse: %1").arg(message));
    });
    connect(job_, &ImportJob::cancelled, this, [this](quint64) {
        progress_->end();
        statusInfo_->setText(tr("Import cancelled; the previous analysis stays on screen."));
    });
    connect(messages_, &MessagePanel::countsChanged, this, [this](int errors, int warnings) {
        messagesDock_->setWindowTitle(errors + warnings ? tr("Messages (%1)").arg(errors + warnings) : tr("Messages"));
    });
    connect(exhaustion_, &ExhaustionView::rerunRequested, this, [this](const SettingsOverrides& o) {
        setOverrides(o);
        rerun();
    });

    QSettings settings;
    resize(1500, 950);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    timeline_->setRelativeTime(settings.value(QStringLiteral("timeline/relative"), true).toBool());
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::dock(QWidget* view, const QString& title, const QString& objectName, Qt::DockWidgetArea area) {
    auto* d = new QDockWidget(title, this);
    d->setObjectName(objectName);
    d->setWidget(view);
    addDockWidget(area, d);
    docks_ << d;
    return d;
}

void MainWindow::createDocks() {
    overview_ = new OverviewView(selection_, this);
    connections_ = new ConnectionsView(selection_, this);
    ladder_ = new LadderView(selection_, this);
    hazards_ = new HazardsView(selection_, this);
    exhaustion_ = new ExhaustionView(selection_, this);
    snapshots_ = new SnapshotView(selection_, this);
    messages_ = new MessagePanel(this);

    QDockWidget* ov = dock(overview_, tr("Overview"), QStringLiteral("overviewDock"), Qt::LeftDockWidgetArea);
    QDockWidget* hz = dock(hazards_, tr("Hazards"), QStringLiteral("hazardsDock"), Qt::LeftDockWidgetArea);
    QDockWidget* ld = dock(ladder_, tr("Ladder"), QStringLiteral("ladderDock"), Qt::RightDockWidgetArea);
    QDockWidget* cn = dock(connections_, tr("Connections"), QStringLiteral("connectionsDock"), Qt::BottomDockWidgetArea);
    QDockWidget* ex = dock(exhaustion_, tr("Port exhaustion"), QStringLiteral("exhaustionDock"), Qt::BottomDockWidgetArea);
    QDockWidget* sn = dock(snapshots_, tr("Snapshots"), QStringLiteral("snapshotsDock"), Qt::BottomDockWidgetArea);
    messagesDock_ = dock(messages_, tr("Messages"), QStringLiteral("messagesDock"), Qt::BottomDockWidgetArea);
    // Teaching mode follows the workspace's selection (TeachingView with selection_).
    teaching_ = new TeachingView(this, selection_);
    teachingDock_ = dock(teaching_, tr("Teaching mode"), QStringLiteral("teachingDock"), Qt::BottomDockWidgetArea);
    splitDockWidget(ov, hz, Qt::Vertical);
    tabifyDockWidget(cn, ex);
    tabifyDockWidget(ex, sn);
    tabifyDockWidget(sn, messagesDock_);
    tabifyDockWidget(messagesDock_, teachingDock_);
    // Right-click "Export figure…" on the views that draw one (the ladder view adds its own).
    timeline_->addAction(makeExportFigureAction(timeline_, selection_, FigureView::Timeline));
    addExportFigureAction(exhaustion_->plot(), selection_, FigureView::Exhaustion);
    addExportFigureAction(snapshots_->plot(), selection_, FigureView::Snapshots);
    cn->raise();
    resizeDocks({ov, ld}, {380, 700}, Qt::Horizontal);
    resizeDocks({cn}, {300}, Qt::Vertical);
}

void MainWindow::openFiles(const QStringList& files) {
    if (files.isEmpty())
        return;
    inputs_ = files;
    RecentFiles::add(files);
    updateRecentMenu();
    start();
}

void MainWindow::addFiles(const QStringList& files) {
    QStringList all = inputs_;
    for (const QString& f : files)
        if (!all.contains(f))
            all << f;
    openFiles(all);
}

bool MainWindow::openSample() {
    QStringList searched;
    const QStringList files = sampleFiles(&searched);
    if (files.isEmpty()) {
        messages_->add(MessagePanel::Level::Error, tr("sample"),
                       tr("The bundled sample was not found (looked in %1)").arg(searched.join(QStringLiteral(", "))));
        messagesDock_->raise();
        return false;
    }
    inputs_ = files;
    start();
    return true;
}

void MainWindow::setOverrides(const SettingsOverrides& overrides) { overrides_ = overrides; }

void MainWindow::rerun() {
    if (!inputs_.isEmpty())
        start();
}

void MainWindow::start() {
    teachScenario_ = false; // any other import (another file, a reload) is not a scenario's
    const QString what = inputs_.size() == 1 ? QFileInfo(inputs_.front()).fileName() : tr("%1 files").arg(inputs_.size());
    statusInfo_->setText(tr("Analysing %1…").arg(what));
    progress_->begin(what);
    job_->start(inputs_, overrides_);
}

void MainWindow::onFinished(std::shared_ptr<const ViewData> view) {
    const std::shared_ptr<const Analysis> analysis = view->analysis;
    progress_->end();
    messages_->showInputWarnings(*analysis);
    selection_->setViewData(std::move(view));
    // Open on something worth reading: the first hazard, else the first TIME_WAIT.
    if (!analysis->hazards.empty()) {
        selection_->selectHazard(0);
    } else {
        for (const Connection& c : analysis->connections)
            if (c.timeWaitCount) {
                selection_->selectConnection(c.id);
                break;
            }
    }
    // A scenario opened from Help > Scenarios teaches its main connection: chosen last, so the
    // opening pick above (the first hazard's connection) does not take the teaching view off it.
    if (teachScenario_) {
        teachScenario_ = false;
        selection_->selectConnection(mainConnectionOf(*analysis));
        showTeaching();
    }
    // "sample.pcap (+33 more)": the captures first, they name what is being looked at.
    QStringList names;
    for (const QString& f : inputs_)
        names << QFileInfo(f).fileName();
    std::stable_partition(names.begin(), names.end(), [](const QString& n) { return n.contains(QLatin1String(".pcap")); });
    const QString label = names.size() <= 2 ? names.join(QStringLiteral(", "))
                                            : tr("%1 (+%2 more)").arg(names.front()).arg(names.size() - 1);
    setWindowTitle(tr("%1 — twlens").arg(label));
    statusInfo_->setText(tr("%L1 connections, %L2 hazards, %L3 snapshots from %4")
                             .arg(analysis->connections.size())
                             .arg(analysis->hazards.size())
                             .arg(analysis->snapshots.size())
                             .arg(label));
    emit analysisShown();
}

void MainWindow::closeEvent(QCloseEvent* e) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("timeline/relative"), timeline_->relativeTime());
    job_->cancel();
    QMainWindow::closeEvent(e);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls())
        e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    QStringList files;
    for (const QUrl& url : e->mimeData()->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    if (files.isEmpty())
        return;
    // Ctrl adds the dropped files to the current inputs; a plain drop opens them on their own.
    if (e->modifiers() & Qt::ControlModifier)
        addFiles(files);
    else
        openFiles(files);
    e->acceptProposedAction();
}

void MainWindow::openScenario(const Scenario& scenario) {
    openFiles(scenario.inputs);
    teachScenario_ = !scenario.inputs.isEmpty(); // after openFiles, whose start() clears it
}

void MainWindow::showTeaching() {
    teachingDock_->show();
    teachingDock_->raise();
    // The diagram needs height: give the dock most of the window when it is docked.
    if (!teachingDock_->isFloating())
        resizeDocks({teachingDock_}, {std::max(teachingDock_->height(), height() * 3 / 5)}, Qt::Vertical);
    teaching_->setFocus();
}

} // namespace twlens
