// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "core/model/analysis.h"
#include "core/model/settings.h"
#include "gui/state/selection_state.h"

class QDockWidget;
class QLabel;
class QMenu;

namespace twlens {

class ConnectionsView;
class ExhaustionView;
class HazardsView;
class ImportJob;
class LadderView;
class MessagePanel;
class OverviewView;
class ProgressPanel;
class SelectionState;
class SnapshotView;
class TeachingView;
struct Scenario;
class TimelineWidget;

// The workspace: the timeline in the middle, the other views docked around it, all following one
// SelectionState. Inputs are analysed by an ImportJob off the GUI thread; the views switch to the
// new analysis when it arrives.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openFiles(const QStringList& files);
    void addFiles(const QStringList& files);
    bool openSample();
    void setOverrides(const SettingsOverrides& overrides);
    void rerun();
    // Help > Scenarios: opens the scenario's inputs and teaches its main connection when they arrive.
    void openScenario(const Scenario& scenario);

    SelectionState* selection() const { return selection_; }
    ImportJob* importJob() const { return job_; }
    ProgressPanel* progressPanel() const { return progress_; }
    OverviewView* overview() const { return overview_; }
    ConnectionsView* connections() const { return connections_; }
    TimelineWidget* timeline() const { return timeline_; }
    LadderView* ladder() const { return ladder_; }
    HazardsView* hazards() const { return hazards_; }
    ExhaustionView* exhaustion() const { return exhaustion_; }
    SnapshotView* snapshots() const { return snapshots_; }
    MessagePanel* messages() const { return messages_; }
    TeachingView* teaching() const { return teaching_; }
    QList<QDockWidget*> docks() const { return docks_; }
    QStringList inputs() const { return inputs_; }

signals:
    void analysisShown();

protected:
    void closeEvent(QCloseEvent*) override;
    void dragEnterEvent(QDragEnterEvent*) override;
    void dropEvent(QDropEvent*) override;

private:
    void createDocks();
    void createMenus();
    void updateRecentMenu();
    void start();
    void onFinished(std::shared_ptr<const ViewData> view);
    void showSettings();
    void showTeaching();
    void exportCsv();
    void showHelpPage(const QString& name, const QString& title);
    QDockWidget* dock(QWidget* view, const QString& title, const QString& objectName, Qt::DockWidgetArea area);

    SelectionState* selection_;
    ImportJob* job_;
    ProgressPanel* progress_;
    QLabel* statusInfo_;
    OverviewView* overview_ = nullptr;
    ConnectionsView* connections_ = nullptr;
    TimelineWidget* timeline_ = nullptr;
    LadderView* ladder_ = nullptr;
    HazardsView* hazards_ = nullptr;
    ExhaustionView* exhaustion_ = nullptr;
    SnapshotView* snapshots_ = nullptr;
    MessagePanel* messages_ = nullptr;
    TeachingView* teaching_ = nullptr;
    QDockWidget* teachingDock_ = nullptr;
    bool teachScenario_ = false;
    QList<QDockWidget*> docks_;
    QDockWidget* messagesDock_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    QStringList inputs_;
    SettingsOverrides overrides_;
};

} // namespace twlens
