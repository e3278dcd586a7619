// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "gui/figures/figure.h"

class QAction;
class QMenu;
class QWidget;

namespace twlens {

class SelectionState;

// The figure of a view as the workspace shows it now: the selected connection (outlined on the
// timeline, drawn by the ladder and the states figure), the visible time range (timeline,
// exhaustion, states; the snapshots figure keeps the snapshots' span, the ladder the whole
// connection).
FigureRequest figureRequestFor(const SelectionState& selection, FigureView view);

// Asks where to save the figure (the format from the extension or the chosen filter; PNG also asks
// for its scale factor), writes it, and says so when it could not. True when a file was written.
bool exportFigureInteractively(QWidget* parent, const SelectionState& selection, FigureView view);

// An "Export figure…" action owned by `owner` (its window parents the dialogs), enabled while
// there is an analysis: for a widget that builds its own context menu (the timeline).
QAction* makeExportFigureAction(QWidget* owner, SelectionState* selection, FigureView view);
// Adds that action to `target`'s context menu by switching it to Qt::ActionsContextMenu: for
// widgets without a menu of their own (the ladder, the plots).
QAction* addExportFigureAction(QWidget* target, SelectionState* selection, FigureView view);

// Adds an "Export figure" submenu with one entry per view to `menu` (File menu).
QMenu* addExportFigureMenu(QMenu* menu, SelectionState* selection, QWidget* dialogParent);

} // namespace twlens
