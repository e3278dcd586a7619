// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>
#include <vector>

class QPainter;

namespace twlens {

class StateColors;

// One key of a figure's legend: a mark drawn in a colour, then its text.
struct LegendEntry {
    enum class Mark { Box, Hatch, Line, Triangle, Bracket, None }; // None: a text-only key (a heading)
    Mark mark = Mark::Box;
    QColor color;
    QString text;
    Qt::PenStyle style = Qt::SolidLine; // Line
    double width = 2;                   // Line
};

// What the frame around a figure's drawing says: the title, a line under it, the legend and the
// caption lines (inputs, window, settings) in small print at the bottom.
struct FigureText {
    QString title;
    QString subtitle;
    std::vector<LegendEntry> legend;
    QStringList caption;
};

// Fonts and colours every figure uses: pixel-sized fonts (a figure's logical unit is a pixel in
// PNG and a point in SVG and PDF, so text keeps its size relative to the drawing on every device)
// and a light palette whatever the desktop theme, for documents.
QFont figureFont(double pixelSize, bool bold = false);
QPalette figurePalette();

// Paints the background, title, subtitle, legend and caption of a figure of `size` (logical
// units) and returns the rectangle left for the drawing.
QRectF paintFigureFrame(QPainter& p, const QSizeF& size, const FigureText& text, const StateColors& colors);

} // namespace twlens
