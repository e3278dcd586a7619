// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QScrollArea>
#include <QWidget>

#include "core/presentation/ladder_rows.h"

namespace twlens {

class SelectionState;

// The ladder (sequence) diagram of one connection (Wireshark sequence_diagram style): two
// lifelines, each kept segment an arrow with its flags and relative seq/ack, both ends' states
// written where they change, TIME_WAIT as a bracket with its length, collapsed data phases,
// retransmissions and tap duplicates marked, hazards annotated with their reference. The rows come
// from core (buildLadder); painting skips rows outside the exposed rectangle.
class LadderCanvas : public QWidget {
    Q_OBJECT
public:
    static constexpr int kHeaderHeight = 52;
    static constexpr int kRowHeight = 34;

    explicit LadderCanvas(SelectionState* selection, QWidget* parent = nullptr);
    const Ladder& ladder() const { return ladder_; }
    QRect rowRect(std::size_t row) const;
    // The row showing a hazard (index into Analysis::hazards), or -1.
    int rowOfHazard(std::uint32_t hazard) const;
    QSize sizeHint() const override;

signals:
    void frameRequested(QRect rect);

protected:
    void paintEvent(QPaintEvent*) override;
    void changeEvent(QEvent*) override;
    bool event(QEvent*) override;

private:
    void rebuild();
    double clientX() const;
    double serverX() const;
    int rowAt(int y) const;

    SelectionState* selection_;
    Ladder ladder_;
    std::vector<std::array<TcpState, 2>> stateAt_; // each side's state while a row is drawn
};

// The canvas in a scroll area; frames the selected hazard's row.
class LadderView : public QScrollArea {
    Q_OBJECT
public:
    explicit LadderView(SelectionState* selection, QWidget* parent = nullptr);
    LadderCanvas* canvas() const { return canvas_; }

private:
    LadderCanvas* canvas_;
};

} // namespace twlens
