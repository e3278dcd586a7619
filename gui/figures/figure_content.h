// SPDX-License-Identifier: GPL-3.0-or-later
// Internal to gui/figures: what each view's figure provides to renderFigure (figure.cpp).
#pragma once
#include <QPalette>
#include <QString>
#include <QStringList>
#include <memory>

#include "core/model/analysis.h"
#include "core/presentation/figure_window.h"
#include "gui/figures/figure.h"
#include "gui/figures/figure_frame.h"
#include "gui/views/state_colors.h"

class QCPPainter;
class QRectF;

namespace twlens {

// A checked request: the window resolved, the connection (if any) known to exist.
struct FigureSetup {
    const Analysis& analysis;
    const FigureRequest& request;
    FigureWindow window;
    TimeNs origin = 0;  // where relative seconds count from (the first packet)
    QPalette palette;
    StateColors colors;
};

// One view's drawing: the frame's texts, filled when it is made, and the drawing itself.
class FigureContent {
public:
    virtual ~FigureContent() = default;
    FigureText text;
    virtual void paint(QCPPainter& p, const QRectF& area) = 0;
};

// Each returns nothing and sets *error when the figure cannot be drawn (no connection in the
// window, no snapshots, ...).
std::unique_ptr<FigureContent> makeTimelineFigure(const FigureSetup& s, QString* error);
std::unique_ptr<FigureContent> makeLadderFigure(const FigureSetup& s, QString* error);
std::unique_ptr<FigureContent> makeExhaustionFigure(const FigureSetup& s, QString* error);
std::unique_ptr<FigureContent> makeSnapshotsFigure(const FigureSetup& s, QString* error);
std::unique_ptr<FigureContent> makeStatesFigure(const FigureSetup& s, QString* error);

// The caption every figure carries: the inputs (or the request's label), the window when the
// figure is about a span of time, the settings with their sources, the twlens version.
QStringList figureCaption(const FigureSetup& s, bool withWindow);
// "+3.181": a time in seconds after the analysis' first packet, spelt as the caption's window
// (relativeSecondsText, core/presentation/figure_caption.h).
QString relativeText(const Analysis& a, TimeNs t);
// "127.1.0.2:8080": labels::endpoint (core/presentation/labels.h) as a QString.
QString endpointText(const IpAddress& ip, std::uint16_t port);
// "127.1.0.1:41004 → 127.1.0.2:8080"
QString connectionLabel(const Analysis& a, const Connection& c);
// The legend keys for TCP states as StateColors groups them.
std::vector<LegendEntry> stateLegend(const StateColors& colors);

} // namespace twlens
