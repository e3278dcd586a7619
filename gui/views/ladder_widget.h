// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QScrollArea>
#include <QWidget>

#include "core/presentation/ladder_rows.h"
#include "gui/figures/ladder_painter.h"

namespace twlens {

class SelectionState;

// The ladder (sequence) diagram of one connection (Wireshark sequence_diagram style): two
// lifelines, each kept segment an arrow with its flags and relative seq/ack, both ends' states
// written where they change, TIME_WAIT as a bracket with its length, collapsed data phases,
// retransmissions and tap duplicates marked, hazards annotated with their reference. The rows come
// from core (buildLadder); LadderPainter draws them (shared with the ladder figure), skipping rows
// outside the exposed rectangle.
class LadderCanvas : public QWidget {
    Q_OBJECT
public:
    explicit LadderCanvas(SelectionState* selection, QWidget* parent = nullptr);
    const Ladder& ladder() const { return painter_.ladder(); }
    QRect rowRect(std::size_t row) const;
    // The row showing a hazard (index into Analysis::hazards), or -1.
    int rowOfHazard(std::uint32_t hazard) const { return painter_.rowOfHazard(hazard); }
    // Emphasises one segment's arrow (index within the selected connection's segments; -1 = none)
    // and asks the view to scroll it into sight. A new connection clears it.
    void setHighlightedSegment(int segmentIndexWithinConnection);
    int highlightedSegment() const { return highlightedSegment_; }
    QSize sizeHint() const override;

signals:
    void frameRequested(QRect rect);

protected:
    void paintEvent(QPaintEvent*) override;
    void changeEvent(QEvent*) override;
    bool event(QEvent*) override;

private:
    void rebuild();
    LadderGeometry geometry() const;

    SelectionState* selection_;
    LadderPainter painter_;
    int highlightedSegment_ = -1;
};

// The canvas in a scroll area; frames the selected hazard's row and the highlighted segment.
class LadderView : public QScrollArea {
    Q_OBJECT
public:
    explicit LadderView(SelectionState* selection, QWidget* parent = nullptr);
    LadderCanvas* canvas() const { return canvas_; }
    // See LadderCanvas::setHighlightedSegment.
    void setHighlightedSegment(int segmentIndexWithinConnection) { canvas_->setHighlightedSegment(segmentIndexWithinConnection); }

private:
    LadderCanvas* canvas_;
};

} // namespace twlens
