// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QCoreApplication>
#include <QRectF>
#include <QString>
#include <array>
#include <cstdint>
#include <vector>

#include "core/model/analysis.h"
#include "core/presentation/ladder_rows.h"

class QPainter;

namespace twlens {

class StateColors;

// Where the ladder's parts go for a given width (columns, left to right: time, client TIME-WAIT
// bracket, client states, client lifeline ... server lifeline, server states, server TIME-WAIT
// bracket, notes). The widget uses the defaults; a figure may shrink the rows to fit its page.
struct LadderGeometry {
    static constexpr double kTimeColumn = 84;
    static constexpr double kBracketColumn = 16;
    static constexpr double kStateColumn = 116;
    static constexpr double kArrowMinimum = 200;
    static constexpr double kNoteColumn = 120; // minimum; it takes what the width leaves

    double width = 0;
    double headerHeight = 52;
    double rowHeight = 34;

    static double minimumWidth() { return kTimeColumn + 2 * (kBracketColumn + kStateColumn) + kArrowMinimum + kNoteColumn; }
    static double preferredWidth() { return kTimeColumn + 2 * (kBracketColumn + kStateColumn) + 420 + 2 * kNoteColumn; }
    double height(std::size_t rows) const { return headerHeight + double(rows) * rowHeight + 16; }
    double clientX() const { return kTimeColumn + kBracketColumn + kStateColumn; }
    double serverX() const;
    QRectF rowRect(std::size_t row) const { return {0, headerHeight + double(row) * rowHeight, width, rowHeight}; }
    int rowAt(double y, std::size_t rowCount) const; // -1 in the header or below the last row
};

struct LadderPaintOptions {
    std::uint32_t selectedHazard = kNoIndex; // its row gets a selection tint
    int highlightedSegment = -1;             // index within the connection's segments: arrow emphasised
    QRectF exposed;                          // only rows meeting it are drawn; null = all
    QString emptyText;                       // shown when there is no connection
};

// Paints a connection's ladder (Wireshark sequence_diagram style): two lifelines coloured by
// each end's state, each kept segment an arrow with its flags and relative seq/ack, state entries
// where they happen, TIME_WAIT as a bracket with its length, collapsed data phases, retransmissions
// and tap duplicates marked, hazards annotated with their reference. Shared by the ladder view and
// the ladder figure; the base font is the painter's.
class LadderPainter {
    Q_DECLARE_TR_FUNCTIONS(LadderPainter)
public:
    void setLadder(Ladder ladder);
    const Ladder& ladder() const { return ladder_; }
    // The row showing a hazard (index into Analysis::hazards), or -1.
    int rowOfHazard(std::uint32_t hazard) const;
    // The row drawing a segment (index within the connection's segments) as an arrow, or -1.
    int rowOfSegment(int segment) const;

    void paint(QPainter& p, const Analysis* a, const LadderGeometry& g, const StateColors& colors,
               const LadderPaintOptions& o) const;

private:
    struct Fonts; // the painter's font and its bold and small forms, made once per paint()
    void paintHeader(QPainter& p, const Analysis& a, const LadderGeometry& g, const StateColors& colors, const Fonts& f) const;
    void paintRow(QPainter& p, const Analysis& a, const LadderGeometry& g, const StateColors& colors,
                  const LadderPaintOptions& o, const Fonts& f, std::size_t r) const;
    void paintTimeWaits(QPainter& p, const LadderGeometry& g, const StateColors& colors, const Fonts& f,
                        const QRectF& exposed) const;

    Ladder ladder_;
    std::vector<std::array<TcpState, 2>> stateAt_; // each side's state while a row is drawn
};

} // namespace twlens
