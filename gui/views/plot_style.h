// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QPalette>

class QCustomPlot;

namespace twlens {

// Colours a QCustomPlot from the widget palette (hotspot frequencypage style): called at setup
// and again on QEvent::PaletteChange so light and dark themes both read well.
void applyPlotPalette(QCustomPlot* plot, const QPalette& palette);
// A series colour from a small qualitative set, adjusted to the palette.
QColor seriesColor(int index, const QPalette& palette);

} // namespace twlens
