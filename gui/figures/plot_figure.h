// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to gui/figures: the QCustomPlot the plot figures (exhaustion, snapshots) draw with.
#pragma once
#include <QRectF>
#include <memory>

class QCPAxis;
class QCPPainter;
class QCustomPlot;

namespace twlens {

struct FigureSetup;

// A plot never shown on screen: the figure palette (plot_style), pixel-sized fonts like the
// frame's, the legend in the top left corner.
std::unique_ptr<QCustomPlot> makeFigurePlot(const FigureSetup& s);
// Counts: ticks on whole numbers only, about 8 of them whatever the range.
void integerTicks(QCPAxis* axis);
// Draws the plot into `area` through QCustomPlot::toPainter, so axes and legend stay text in SVG and PDF.
void paintFigurePlot(QCPPainter& p, const QRectF& area, QCustomPlot& plot);

} // namespace twlens
