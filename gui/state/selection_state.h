// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QString>
#include <QVector>
#include <memory>

#include "core/model/analysis.h"

namespace twlens {

// A visible time window [from, to] in model time (ns since the epoch).
struct TimeRange {
    TimeNs from = 0;
    TimeNs to = 0;
    bool isValid() const { return to > from; }
    bool operator==(const TimeRange&) const = default;
};

// The one object every view follows (hotspot FilterAndZoomStack style): the analysis on show,
// the selected connection and hazard, the visible time range with a zoom history, and the filter
// text. Views change it through the setters and repaint on its signals, so table, timeline,
// ladder, hazards and plots stay in step without knowing about each other.
class SelectionState : public QObject {
    Q_OBJECT
public:
    explicit SelectionState(QObject* parent = nullptr);

    const std::shared_ptr<const Analysis>& analysis() const { return analysis_; }
    void setAnalysis(std::shared_ptr<const Analysis> analysis);

    std::uint32_t connection() const { return connection_; }
    void selectConnection(std::uint32_t id);

    std::uint32_t hazard() const { return hazard_; }
    // Selects the hazard and its connection (the ladder frames the hazard's row).
    void selectHazard(std::uint32_t index);

    TimeRange timeRange() const { return range_; }
    TimeRange fullRange() const { return full_; }
    void zoomTo(TimeRange r);      // pushes the current range on the zoom history
    void panTo(TimeRange r);       // moves the window without a history entry (drag, arrows)
    void zoomBack();               // pops it
    void resetZoom();              // the whole capture, TIME_WAIT windows included
    bool canZoomBack() const { return !history_.isEmpty(); }

    QString filterText() const { return filter_; }
    void setFilterText(const QString& text);

signals:
    void analysisChanged();
    void connectionSelected(std::uint32_t id);
    void hazardSelected(std::uint32_t index);
    void timeRangeChanged(twlens::TimeRange range);
    void filterChanged(const QString& text);

private:
    std::shared_ptr<const Analysis> analysis_;
    std::uint32_t connection_ = kNoIndex;
    std::uint32_t hazard_ = kNoIndex;
    TimeRange range_;
    TimeRange full_;
    QVector<TimeRange> history_;
    QString filter_;
};

} // namespace twlens
