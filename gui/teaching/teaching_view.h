// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>
#include <memory>
#include <vector>

#include "core/model/analysis.h"
#include "core/presentation/teaching_steps.h"

class QAction;
class QComboBox;
class QLabel;
class QSplitter;
class QTextBrowser;
class QTimer;

namespace twlens {

class LadderView;
class SelectionState;
class StateDiagramWidget;
struct Scenario;

// Teaching mode: step through one connection segment by segment. The ladder highlights the
// current segment, the RFC 9293 state diagram marks both ends' states and the transition just
// taken, and the text pane explains the step with its RFC section or kernel rule. Buttons
// First/Back/Next/Last/Play and keys Home/Left/Right/End/Space; Play advances at the chosen
// interval. Usable as a dock or as a window. The steps come from core (buildTeachingSteps).
//
// With `follow` (the workspace's SelectionState) the view teaches whatever connection is selected
// there, and setConnection selects it there too; without, it keeps its own selection (a window
// opened on a scenario).
class TeachingView : public QWidget {
    Q_OBJECT
public:
    explicit TeachingView(QWidget* parent = nullptr, SelectionState* follow = nullptr);
    ~TeachingView() override;

    // Hands the analysis to the selection this view follows (its own unless `follow` was given).
    void setAnalysis(std::shared_ptr<const Analysis> analysis);
    const std::shared_ptr<const Analysis>& analysis() const { return analysis_; }
    SelectionState* selection() const { return selection_; }
    // Shows a connection from its first step (kNoIndex: nothing) and selects it.
    void setConnection(std::uint32_t id);
    std::uint32_t connection() const { return connection_; }
    // Analyses a scenario's inputs (small captures: synchronously) and teaches its main
    // connection (mainConnectionOf). False, with *error set, when its inputs cannot be read.
    bool loadScenario(const Scenario& scenario, QString* error = nullptr);

    const std::vector<TeachingStep>& steps() const { return steps_; }
    int currentStep() const { return current_; }  // -1 when there are no steps
    int stepCount() const { return static_cast<int>(steps_.size()); }
    bool isPlaying() const;
    int playInterval() const;                     // ms between steps while playing

    LadderView* ladder() const { return ladder_; }
    StateDiagramWidget* diagram() const { return diagram_; }
    QTextBrowser* explanation() const { return text_; }

public slots:
    void setStep(int index);
    void first();
    void back();
    void next();
    void last();
    void play();
    void pause();
    void togglePlay();
    void setPlayInterval(int ms);

signals:
    void stepChanged(int index);

protected:
    void resizeEvent(QResizeEvent* e) override;
    void showEvent(QShowEvent* e) override;

private:
    void showStep(int index);
    void updateActions();
    void onAnalysisChanged();

    std::shared_ptr<const Analysis> analysis_;
    std::uint32_t connection_ = kNoIndex;
    std::vector<TeachingStep> steps_;
    int current_ = -1;

    SelectionState* selection_;
    QLabel* title_;
    QSplitter* split_ = nullptr;
    bool splitSized_ = false; // the user dragged a splitter handle
    void sizeSplit();
    LadderView* ladder_;
    StateDiagramWidget* diagram_;
    QTextBrowser* text_;
    QLabel* counter_;
    QComboBox* speed_;
    QTimer* timer_;
    QAction* firstAct_;
    QAction* backAct_;
    QAction* nextAct_;
    QAction* lastAct_;
    QAction* playAct_;
};

} // namespace twlens
