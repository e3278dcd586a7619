// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/figures/export_actions.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QWidget>

#include "gui/state/selection_state.h"

namespace twlens {

namespace {

const QString kLastDirKey = QStringLiteral("figures/lastDirectory");

QString viewTitle(FigureView v) {
    switch (v) {
    case FigureView::Timeline:
        return QObject::tr("Timeline");
    case FigureView::Ladder:
        return QObject::tr("Ladder diagram");
    case FigureView::Exhaustion:
        return QObject::tr("Port exhaustion plot");
    case FigureView::Snapshots:
        return QObject::tr("Snapshot charts");
    case FigureView::States:
        return QObject::tr("State diagram");
    }
    return {};
}

// Enabled while there is an analysis to draw, following the selection's analysis.
void enableWithAnalysis(QAction* action, SelectionState* selection) {
    action->setEnabled(selection->analysis() != nullptr);
    QObject::connect(selection, &SelectionState::analysisChanged, action,
                     [action, selection] { action->setEnabled(selection->analysis() != nullptr); });
}

} // namespace

FigureRequest figureRequestFor(const SelectionState& selection, FigureView view) {
    FigureRequest r;
    r.view = view;
    const std::uint32_t c = selection.connection();
    if (c != kNoIndex && view != FigureView::Exhaustion && view != FigureView::Snapshots)
        r.connection = c;
    const TimeRange range = selection.timeRange();
    if (range.isValid() && (view == FigureView::Timeline || view == FigureView::Exhaustion || view == FigureView::States)) {
        r.from = range.from;
        r.to = range.to;
    }
    return r;
}

bool exportFigureInteractively(QWidget* parent, const SelectionState& selection, FigureView view) {
    const auto& analysis = selection.analysis();
    if (!analysis)
        return false;
    const QString png = QObject::tr("PNG image (*.png)"), svg = QObject::tr("SVG drawing (*.svg)"), pdf = QObject::tr("PDF document (*.pdf)");
    QSettings settings;
    const QString dir = settings.value(kLastDirKey).toString();
    const QString name = QStringLiteral("twlens-%1.png").arg(QString::fromLatin1(figureViewName(view)));
    QString filter = png;
    QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export %1").arg(viewTitle(view).toLower()),
                                                dir.isEmpty() ? name : dir + QLatin1Char('/') + name,
                                                QStringList{png, svg, pdf}.join(QStringLiteral(";;")), &filter);
    if (path.isEmpty())
        return false;
    if (!figureFormatForPath(path)) // no or another extension: the chosen filter's
        path += filter == svg ? QStringLiteral(".svg") : filter == pdf ? QStringLiteral(".pdf") : QStringLiteral(".png");
    settings.setValue(kLastDirKey, QFileInfo(path).absolutePath());
    FigureRequest request = figureRequestFor(selection, view);
    if (figureFormatForPath(path) == FigureFormat::Png) {
        bool ok = false;
        request.scale = QInputDialog::getDouble(parent, QObject::tr("PNG scale factor"),
                                                QObject::tr("Pixels per figure unit (%1 × %2 at 1; 2 for print and high-DPI screens):")
                                                    .arg(request.size.width())
                                                    .arg(request.size.height()),
                                                2.0, 0.5, 8.0, 1, &ok);
        if (!ok)
            return false;
    }
    QString error;
    if (!exportFigure(*analysis, request, path, &error)) {
        QMessageBox::warning(parent, QObject::tr("Export figure"), QObject::tr("The figure was not written: %1").arg(error));
        return false;
    }
    return true;
}

QAction* makeExportFigureAction(QWidget* owner, SelectionState* selection, FigureView view) {
    auto* action = new QAction(QObject::tr("Export figure…"), owner);
    action->setToolTip(QObject::tr("Save this view as a PNG, SVG or PDF figure with its legend, inputs and settings"));
    enableWithAnalysis(action, selection);
    QObject::connect(action, &QAction::triggered, owner,
                     [owner, selection, view] { exportFigureInteractively(owner->window(), *selection, view); });
    return action;
}

QAction* addExportFigureAction(QWidget* target, SelectionState* selection, FigureView view) {
    QAction* action = makeExportFigureAction(target, selection, view);
    target->setContextMenuPolicy(Qt::ActionsContextMenu);
    target->addAction(action);
    return action;
}

QMenu* addExportFigureMenu(QMenu* menu, SelectionState* selection, QWidget* dialogParent) {
    QMenu* sub = menu->addMenu(QObject::tr("Export &figure"));
    for (FigureView v : {FigureView::Timeline, FigureView::Ladder, FigureView::Exhaustion, FigureView::Snapshots, FigureView::States}) {
        QAction* a = sub->addAction(QObject::tr("%1…").arg(viewTitle(v)), dialogParent,
                                    [dialogParent, selection, v] { exportFigureInteractively(dialogParent, *selection, v); });
        enableWithAnalysis(a, selection);
    }
    return sub;
}

} // namespace twlens
