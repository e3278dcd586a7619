// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTextBrowser;
class QTreeView;

namespace twlens {

class HazardTreeModel;
class SelectionState;

// Hazards grouped by kind with severity and summary; below, the explanation of the selected kind
// (resources/help). Clicking a hazard selects its connection and frames it in the ladder.
class HazardsView : public QWidget {
    Q_OBJECT
public:
    // Groups with at most this many hazards open on arrival; longer ones open when asked.
    static constexpr int kExpandedGroupLimit = 200;
    // Rows the short columns are sized from.
    static constexpr int kSizingRows = 64;

    explicit HazardsView(SelectionState* selection, QWidget* parent = nullptr);
    HazardTreeModel* model() const { return model_; }
    QTreeView* tree() const { return tree_; }
    QString explanation() const;

private:
    void onAnalysisChanged();
    void showExplanation(const QString& kind, const QString& detail);

    SelectionState* selection_;
    HazardTreeModel* model_;
    QStackedWidget* stack_;
    QTreeView* tree_;
    QLabel* empty_;
    QTextBrowser* text_;
};

} // namespace twlens
