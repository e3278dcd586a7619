// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QByteArray>
#include <QSizeF>
#include <QString>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/model/analysis.h"
#include "core/model/time.h"

namespace twlens {

// The views that export as stand-alone figures (GUI File > Export, `twlens-cli render`).
enum class FigureView { Timeline, Ladder, Exhaustion, Snapshots, States };
enum class FigureFormat { Png, Svg, Pdf };

std::optional<FigureView> parseFigureView(std::string_view name); // "timeline", "ladder", ...
const char* figureViewName(FigureView view);
std::optional<FigureFormat> figureFormatForPath(const QString& path); // by extension

// The sizes renderFigure draws: each side in [kFigureMinSide, kFigureMaxSide] logical units, the
// PNG scale above 0 and at most kFigureMaxScale (`twlens-cli render` checks them before analysing).
inline constexpr double kFigureMinSide = 200, kFigureMaxSide = 20000, kFigureMaxScale = 16;

struct FigureRequest {
    FigureView view = FigureView::Timeline;
    std::optional<std::uint32_t> connection; // ladder/states: the connection (default: the worst example)
    TimeNs from = kNoTime;                   // window in absolute ns; kNoTime = the capture's start
    TimeNs to = kNoTime;                     //                          kNoTime = the capture's end
    QSizeF size{1200, 750};                  // logical size (pixels at scale 1; points in SVG/PDF)
    double scale = 1.0;                      // PNG only: device pixels per logical pixel
    QString inputLabel;                      // caption; empty = the analysis' input file names
};

// Renders one figure: title, legend, time axis, caption (inputs, settings used) and the view.
// Needs a QApplication (the CLI makes one on the offscreen platform). Returns nothing and sets
// *error when the request cannot be drawn (no such connection, no snapshots, ...).
std::optional<QByteArray> renderFigure(const Analysis& a, const FigureRequest& r, FigureFormat f, QString* error);
// renderFigure into a file, the format from its extension; the file is written whole or not at all.
bool exportFigure(const Analysis& a, const FigureRequest& r, const QString& path, QString* error);

} // namespace twlens
