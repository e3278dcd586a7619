// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QString>
#include <QVector>
#include <memory>

#include "core/model/analysis.h"
#include "core/presentation/connection_filter.h"
#include "core/presentation/overview_summary.h"
#include "core/presentation/time_wait_series.h"
#include "core/presentation/tuple_rows.h"

namespace twlens {

// A visible time window [from, to] in model time (ns since the epoch).
struct TimeRange {
    TimeNs from = 0;
    TimeNs to = 0;
    bool isValid() const { return to > from; }
    bool operator==(const TimeRange&) const = default;
};

// What the views derive from an analysis before they can show it, computed once where the
// analysis is made (the import job's worker thread, prepareViewData) so that its arrival costs the
// GUI thread no pass over the connections. Views present these; they never recompute them.
struct ViewData {
    std::shared_ptr<const Analysis> analysis;
    TimeRange full;                          // the capture, TIME_WAIT windows included
    TupleRows rows;                          // the timeline's rows
    OverviewSummary summary;                 // the overview; its hazard groups feed the hazard tree
    std::vector<CountPoint> timeWaitLoad;    // TIME_WAIT windows open over time, thinned for a plot
    std::unique_ptr<ConnectionMatcher> matcher; // formats each interned address once (filtering)
    static constexpr std::size_t kPlotPointBudget = 4000; // heaptrack MAX_CHART_DATAPOINTS style
};
std::shared_ptr<const ViewData> prepareViewData(std::shared_ptr<const Analysis> analysis);

// The one object every view follows (hotspot FilterAndZoomStack style): the analysis on show,
// the selected connection and hazard, the visible time range with a zoom history, and the filter
// text. Views change it through the setters and repaint on its signals, so table, timeline,
// ladder, hazards and plots stay in step without knowing about each other.
class SelectionState : public QObject {
    Q_OBJECT
public:
    explicit SelectionState(QObject* parent = nullptr);

    const std::shared_ptr<const Analysis>& analysis() const { return analysis_; }
    // Prepares the view data here, on the calling thread (tests, small analyses).
    void setAnalysis(std::shared_ptr<const Analysis> analysis);
    // Shows data prepared elsewhere (the import job's worker).
    void setViewData(std::shared_ptr<const ViewData> data);
    // Never null: an empty ViewData when no analysis is loaded.
    const ViewData& viewData() const { return *data_; }

    std::uint32_t connection() const { return connection_; }
    void selectConnection(std::uint32_t id);

    std::uint32_t hazard() const { return hazard_; }
    // Selects the hazard and its connection (the ladder frames the hazard's row).
    void selectHazard(std::uint32_t index);

    TimeRange timeRange() const { return range_; }
    TimeRange fullRange() const { return data_->full; }
    void zoomTo(TimeRange r);      // pushes the current range on the zoom history
    void panTo(TimeRange r);       // moves the window without a history entry (drag, arrows)
    void zoomBack();               // pops it
    void resetZoom();              // the whole capture, TIME_WAIT windows included
    bool canZoomBack() const { return !history_.isEmpty(); }

    // The connection filter every view honours (the table hides, the timeline dims what fails it),
    // evaluated once per change here rather than once per view.
    QString filterText() const { return filter_; }
    void setFilterText(const QString& text);
    const ConnectionFilter& filter() const { return parsedFilter_; }
    bool filterActive() const { return filterActive_; }
    bool passesFilter(std::uint32_t connection) const {
        return !filterActive() || (connection < passes_.size() && passes_[connection]);
    }
    std::size_t passingCount() const;
    // Per connection, 1 if it passes; nullptr when no filter is active (everything passes).
    const std::vector<std::uint8_t>* filterPasses() const { return filterActive_ ? &passes_ : nullptr; }

signals:
    void analysisChanged();
    void connectionSelected(std::uint32_t id);
    void hazardSelected(std::uint32_t index);
    void timeRangeChanged(twlens::TimeRange range);
    void filterChanged(const QString& text);

private:
    void evaluateFilter();

    std::shared_ptr<const Analysis> analysis_;
    std::shared_ptr<const ViewData> data_;
    std::uint32_t connection_ = kNoIndex;
    std::uint32_t hazard_ = kNoIndex;
    TimeRange range_;
    QVector<TimeRange> history_;
    QString filter_;
    ConnectionFilter parsedFilter_;
    bool filterActive_ = false;       // a non-empty filter over a loaded analysis
    std::vector<std::uint8_t> passes_; // per connection, when the filter is active
};

} // namespace twlens
