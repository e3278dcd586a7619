// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QRectF>
#include <QString>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/model/connection.h"
#include "core/model/tcp_state.h"
#include "gui/views/state_colors.h"

class QPainter;

namespace twlens {

// One transition the teaching view emphasises, with the end that took it (its arrow takes that
// end's marker colour).
struct StateDiagramArrow {
    TcpState from = TcpState::None;
    TcpState to = TcpState::None;
    Side side = Side::Client;
    bool reset = false; // caused by a RST: drawn as its own dashed "RST" arrow, not Figure 5's edge
};

// What the RFC 9293 state diagram (§3.3.2, Figure 5) shows: for the teaching view, both ends'
// current states and the transition just taken; for the "states" figure, how often each
// transition was taken across the connections drawn.
struct StateDiagramContent {
    std::map<std::pair<TcpState, TcpState>, std::uint64_t> transitions; // (from, to) -> times taken; may be empty
    TcpState clientState = TcpState::None; // highlighted as the client's current state
    TcpState serverState = TcpState::None; // highlighted as the server's current state
    // The transitions just taken at this step, with their side (a FIN moves both ends); the first
    // is the sender's, and its colour wins where two share an arrow.
    std::vector<StateDiagramArrow> taken;
    QString title; // drawn above the diagram when not empty
};

// Paints the diagram into `area`; text is drawn as text (stays text in SVG/PDF). Transitions
// outside Figure 5 (a RST from ESTABLISHED to CLOSED, ...) are drawn dashed when taken or counted.
// `colours`: the figure's (FigureSetup::colors, light for print) or the teaching widget's palette.
void paintStateDiagram(QPainter& p, const QRectF& area, const StateDiagramContent& c, const StateColors& colours);

} // namespace twlens
