// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/hazards_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>

#include "gui/models/hazard_tree_model.h"
#include "gui/state/selection_state.h"
#include "gui/views/help_texts.h"

namespace twlens {

HazardsView::HazardsView(SelectionState* selection, QWidget* parent)
    : QWidget(parent), selection_(selection), model_(new HazardTreeModel(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* split = new QSplitter(Qt::Vertical, this);
    stack_ = new QStackedWidget(split);
    tree_ = new QTreeView(stack_);
    tree_->setModel(model_);
    tree_->setUniformRowHeights(true);
    tree_->setAlternatingRowColors(true);
    tree_->header()->setStretchLastSection(true);
    tree_->header()->resizeSection(HazardTreeModel::Summary, 460);
    for (int c = HazardTreeModel::Severity; c < HazardTreeModel::Reference; ++c)
        tree_->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    // Those columns hold short texts of one shape each (severity, "#id", "+s.ssssss s"): sizing
    // them from the first rows is enough, and tens of thousands of hazards laid out for it on
    // every expansion would block the GUI thread.
    tree_->header()->setResizeContentsPrecision(kSizingRows);
    empty_ = new QLabel(stack_);
    empty_->setAlignment(Qt::AlignCenter);
    empty_->setWordWrap(true);
    stack_->addWidget(tree_);
    stack_->addWidget(empty_);
    text_ = new QTextBrowser(split);
    text_->setOpenExternalLinks(false);
    split->addWidget(stack_);
    split->addWidget(text_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split);

    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& idx) {
        if (!idx.isValid())
            return;
        const QModelIndex first = idx.siblingAtColumn(0);
        const QString kind = first.data(HazardTreeModel::KindRole).toString();
        const QVariant h = first.data(HazardTreeModel::HazardRole);
        const auto& a = selection_->analysis();
        QString detail;
        if (h.isValid() && a) {
            const Hazard& hz = a->hazards[h.toUInt()];
            detail = QStringLiteral("<p><b>%1</b><br><i>%2</i></p>")
                         .arg(QString::fromStdString(hz.summary).toHtmlEscaped(), QString::fromStdString(hz.reference).toHtmlEscaped());
            if (selection_->hazard() != h.toUInt())
                selection_->selectHazard(h.toUInt());
        }
        showExplanation(kind, detail);
    });
    connect(selection_, &SelectionState::hazardSelected, this, [this](std::uint32_t h) {
        const QModelIndex idx = model_->indexOfHazard(h);
        if (idx.isValid() && tree_->currentIndex().siblingAtColumn(0) != idx) {
            tree_->expand(idx.parent());
            tree_->setCurrentIndex(idx);
            tree_->scrollTo(idx);
        }
    });
    connect(selection_, &SelectionState::analysisChanged, this, &HazardsView::onAnalysisChanged);
    onAnalysisChanged();
}

void HazardsView::onAnalysisChanged() {
    const auto& a = selection_->analysis();
    model_->setAnalysis(a, selection_->viewData().summary.hazardGroups);
    // Groups open when short; a long one stays a single line with its count until asked.
    for (int g = 0; g < model_->rowCount(); ++g)
        if (model_->rowCount(model_->index(g, 0)) <= kExpandedGroupLimit)
            tree_->expand(model_->index(g, 0));
    const bool none = !a || a->hazards.empty();
    empty_->setText(!a ? tr("No analysis loaded") : tr("No hazards in this analysis.\n\nLost final ACKs, TIME-WAIT assassinations, "
                                                       "4-tuples reopened in TIME-WAIT and old duplicates appear here when found."));
    stack_->setCurrentWidget(none ? static_cast<QWidget*>(empty_) : tree_);
    showExplanation(none ? QStringLiteral("time_wait") : QString::fromStdString(a->hazards.front().kind), QString());
}

void HazardsView::showExplanation(const QString& kind, const QString& detail) {
    const QString page = kind == QLatin1String("time_wait") ? HelpTexts::page(kind) : HelpTexts::hazardExplanation(kind);
    text_->setHtml(detail + page);
}

QString HazardsView::explanation() const { return text_->toPlainText(); }

} // namespace twlens
