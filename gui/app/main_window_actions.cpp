// SPDX-License-Identifier: GPL-3.0-or-later
// The menus of the main window: opening inputs, views, analysis settings, help.
#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QTextBrowser>
#include <QVBoxLayout>

#include "gui/app/main_window.h"
#include "gui/app/recent_files.h"
#include "gui/dialogs/settings_dialog.h"
#include "gui/import/import_job.h"
#include "gui/state/selection_state.h"
#include "gui/figures/export_actions.h"
#include "gui/report/report_action.h"
#include "gui/teaching/scenario_menu.h"
#include "gui/teaching/teaching_view.h"
#include "gui/views/connections_view.h"
#include "gui/views/help_texts.h"
#include "gui/views/timeline_widget.h"

namespace twlens {

namespace {
QString openFilters() {
    return QObject::tr("Captures (*.pcap *.pcapng *.cap *.dmp *.pcap.gz *.pcapng.gz);;"
                       "Socket snapshots (*.txt *.ss *.netstat *.log sockstat* tcp tcp6 netstat snmp);;"
                       "Collector bundles (*.tar.gz *.tgz);;"
                       "All files (*)");
}
} // namespace

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open captures and snapshots"), QString(), openFilters());
        openFiles(files);
    });
    file->addAction(tr("&Add files to this analysis…"), this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add captures and snapshots"), QString(), openFilters());
        if (!files.isEmpty())
            addFiles(files);
    });
    file->addAction(tr("Open the &sample"), this, &MainWindow::openSample);
    recentMenu_ = file->addMenu(tr("Open &recent"));
    recentMenu_->setObjectName(QStringLiteral("recentMenu"));
    updateRecentMenu();
    file->addAction(tr("&Reload"), QKeySequence::Refresh, this, &MainWindow::rerun);
    file->addSeparator();
    file->addAction(tr("&Export connections as CSV…"), this, &MainWindow::exportCsv);
    addExportFigureMenu(file, selection_, this); // File > Export figure > each view
    file->addAction(tr("Create &report…"), this, [this] {
        // Copies: a new analysis or dropped files can arrive while the dialog's event loop runs.
        const std::shared_ptr<const Analysis> analysis = selection_->analysis();
        const QStringList inputs = inputs_;
        if (analysis)
            createReportDialog(this, *analysis, inputs);
    })->setObjectName(QStringLiteral("actionCreateReport"));
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : docks_)
        viewMenu_->addAction(d->toggleViewAction());
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Fit timeline"), QKeySequence(Qt::CTRL | Qt::Key_0), timeline_, &TimelineWidget::fit);
    viewMenu_->addAction(tr("Zoom &back"), QKeySequence(Qt::ALT | Qt::Key_Left), selection_, &SelectionState::zoomBack);
    QAction* rel = viewMenu_->addAction(tr("&Relative time"));
    rel->setCheckable(true);
    rel->setChecked(timeline_->relativeTime());
    connect(rel, &QAction::toggled, timeline_, &TimelineWidget::setRelativeTime);
    viewMenu_->addSeparator();
    viewMenu_->addAction(tr("&Teach this connection"), QKeySequence(Qt::CTRL | Qt::Key_T), this, [this] {
        teaching_->setConnection(selection_->connection());
        showTeaching();
    })->setObjectName(QStringLiteral("actionTeachConnection"));

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    analysis->addAction(tr("&Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), this, &MainWindow::showSettings)
        ->setObjectName(QStringLiteral("actionSettings"));
    analysis->addAction(tr("&Cancel import"), QKeySequence(Qt::Key_Escape), job_, &ImportJob::cancel)
        ->setObjectName(QStringLiteral("actionCancelImport"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("TIME-WAIT explained"), this, [this] { showHelpPage(QStringLiteral("time_wait"), tr("TIME-WAIT")); });
    help->addAction(tr("Active and passive close"), this, [this] { showHelpPage(QStringLiteral("closer"), tr("Active and passive close")); });
    help->addAction(tr("Port exhaustion"), this, [this] { showHelpPage(QStringLiteral("port_exhaustion"), tr("Port exhaustion")); });
    auto* scenarios = new ScenarioMenu(help);
    help->addMenu(scenarios);
    connect(scenarios, &ScenarioMenu::scenarioChosen, this, &MainWindow::openScenario);
    help->addSeparator();
    help->addAction(tr("&About twlens"), this, [this] {
        QMessageBox::about(this, tr("About twlens"),
                           tr("<b>twlens %1</b><p>How TCP connections close: who closed first, TIME-WAIT windows, lost final "
                              "ACKs, 4-tuple reuse, RFC 1337 hazards, ephemeral-port exhaustion.</p><p>GPL-3.0-or-later</p>")
                               .arg(QStringLiteral(TWLENS_VERSION)));
    });
}

void MainWindow::updateRecentMenu() {
    if (!recentMenu_)
        return;
    recentMenu_->clear();
    const QList<QStringList> recent = RecentFiles::load();
    for (const QStringList& files : recent) {
        QAction* a = recentMenu_->addAction(RecentFiles::label(files), this, [this, files] { openFiles(files); });
        a->setToolTip(files.join(QLatin1Char('\n')));
    }
    if (recent.isEmpty())
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    else {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("Clear"), this, [this] {
            RecentFiles::clear();
            updateRecentMenu();
        });
    }
}

void MainWindow::showSettings() {
    const auto& a = selection_->analysis();
    SettingsDialog dialog(a ? a->settings : Settings{}, overrides_, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    setOverrides(dialog.overrides());
    rerun();
}

void MainWindow::exportCsv() {
    if (!selection_->analysis())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export connections"), QStringLiteral("connections.csv"),
                                                      tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(connections_->csv(false).toUtf8()) < 0)
        QMessageBox::warning(this, tr("Export connections"), tr("Could not write %1: %2").arg(path, f.errorString()));
}

void MainWindow::showHelpPage(const QString& name, const QString& title) {
    auto* dialog = new QDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    auto* layout = new QVBoxLayout(dialog);
    auto* text = new QTextBrowser(dialog);
    text->setHtml(HelpTexts::page(name));
    layout->addWidget(text);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(buttons);
    dialog->resize(620, 480);
    dialog->show();
}

} // namespace twlens
