// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QWidget>
#include <optional>

#include "core/presentation/tuple_rows.h"
#include "gui/views/time_mapping.h"
#include "gui/views/timeline_painter.h"

class QScrollBar;

namespace twlens {

class SelectionState;

// One row per 4-tuple with its incarnations side by side, coloured by state per end. Follows the
// shared SelectionState: its time range is the visible window, its connection the highlight.
// Wheel zooms time around the cursor (Ctrl+wheel: row height, Shift+wheel: rows), drag pans,
// Shift+drag zooms to the band, + / - zoom, arrows pan, F fits, Backspace zooms back,
// T switches between absolute (UTC) and relative time.
class TimelineWidget : public QWidget {
    Q_OBJECT
public:
    static constexpr int kAxisHeight = 26;
    static constexpr double kDefaultRowHeight = 18.0;

    explicit TimelineWidget(SelectionState* selection, QWidget* parent = nullptr);

    TimeMapping timeMapping() const;
    RowMapping rowMapping() const;
    TimelineHit hitAt(QPointF pos) const;
    bool relativeTime() const { return relative_; }
    void setRelativeTime(bool on);
    void setRowHeight(double h);
    void fit();
    void ensureRowVisible(std::size_t row);
    const TupleRows& rows() const;

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void wheelEvent(QWheelEvent*) override;
    void mousePressEvent(QMouseEvent*) override;
    void mouseMoveEvent(QMouseEvent*) override;
    void mouseReleaseEvent(QMouseEvent*) override;
    void keyPressEvent(QKeyEvent*) override;
    void contextMenuEvent(QContextMenuEvent*) override;
    void changeEvent(QEvent*) override;
    bool event(QEvent*) override;

private:
    void onAnalysisChanged();
    void onConnectionSelected(std::uint32_t id);
    void updateScrollBar();
    QRectF rowArea() const;
    void zoomBy(double factor, double x);

    SelectionState* selection_;
    TimeNs captureEnd_ = 0;
    TimeNs origin_ = 0;
    double firstRow_ = 0;
    double rowHeight_ = kDefaultRowHeight;
    bool relative_ = true;
    QScrollBar* scroll_;
    TimelinePainter painter_;
    std::optional<QPointF> pressPos_;
    std::optional<QPointF> bandEnd_;
    TimeMapping pressMapping_;
    double pressFirstRow_ = 0;
    bool dragging_ = false;
    bool banding_ = false;
};

} // namespace twlens
