// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/state/selection_state.h"

#include <algorithm>

#include "core/presentation/state_spans.h"

namespace twlens {

std::shared_ptr<const ViewData> prepareViewData(std::shared_ptr<const Analysis> analysis) {
    auto d = std::make_shared<ViewData>();
    d->analysis = std::move(analysis);
    if (!d->analysis)
        return d;
    const Analysis& a = *d->analysis;
    TimeNs from = captureStartOf(a);
    TimeNs to = captureEndOf(a);
    for (const Connection& c : a.connections)
        to = std::max(to, visibleEndOf(c));
    if (to <= from)
        to = from + kNsPerSecond;
    d->full = {from, to};
    d->rows = TupleRows(a);
    d->summary = summarize(a);
    if (a.exhaustion.empty())
        d->timeWaitLoad = thinForPlot(timeWaitConcurrency(a), ViewData::kPlotPointBudget);
    d->matcher = std::make_unique<ConnectionMatcher>(a);
    return d;
}

SelectionState::SelectionState(QObject* parent) : QObject(parent), data_(prepareViewData(nullptr)) {}

void SelectionState::setAnalysis(std::shared_ptr<const Analysis> analysis) { setViewData(prepareViewData(std::move(analysis))); }

void SelectionState::setViewData(std::shared_ptr<const ViewData> data) {
    data_ = data ? std::move(data) : prepareViewData(nullptr);
    analysis_ = data_->analysis;
    connection_ = kNoIndex;
    hazard_ = kNoIndex;
    history_.clear();
    range_ = data_->full;
    evaluateFilter();
    emit analysisChanged();
    emit timeRangeChanged(range_);
    emit connectionSelected(connection_);
}

void SelectionState::selectConnection(std::uint32_t id) {
    if (!analysis_ || id >= analysis_->connections.size())
        id = kNoIndex;
    if (id == connection_)
        return;
    connection_ = id;
    if (hazard_ != kNoIndex && analysis_ && analysis_->hazards[hazard_].connection != id)
        hazard_ = kNoIndex;
    emit connectionSelected(id);
}

void SelectionState::selectHazard(std::uint32_t index) {
    if (!analysis_ || index >= analysis_->hazards.size())
        return;
    hazard_ = index;
    selectConnection(analysis_->hazards[index].connection);
    emit hazardSelected(index);
}

void SelectionState::zoomTo(TimeRange r) {
    if (!r.isValid() || r == range_)
        return;
    history_.push_back(range_);
    range_ = r;
    emit timeRangeChanged(range_);
}

void SelectionState::panTo(TimeRange r) {
    if (!r.isValid() || r == range_)
        return;
    range_ = r;
    emit timeRangeChanged(range_);
}

void SelectionState::zoomBack() {
    if (history_.isEmpty())
        return;
    range_ = history_.takeLast();
    emit timeRangeChanged(range_);
}

void SelectionState::resetZoom() { zoomTo(data_->full); }

void SelectionState::setFilterText(const QString& text) {
    if (text == filter_)
        return;
    filter_ = text;
    parsedFilter_ = parseConnectionFilter(text.toStdString());
    evaluateFilter();
    emit filterChanged(text);
}

void SelectionState::evaluateFilter() {
    passes_.clear();
    filterActive_ = !parsedFilter_.empty() && analysis_;
    if (!filterActive())
        return;
    const auto& conns = analysis_->connections;
    passes_.resize(conns.size());
    for (std::size_t i = 0; i < conns.size(); ++i)
        passes_[i] = data_->matcher->matches(conns[i], parsedFilter_) ? 1 : 0;
}

std::size_t SelectionState::passingCount() const {
    if (!analysis_)
        return 0;
    if (!filterActive())
        return analysis_->connections.size();
    return std::size_t(std::count(passes_.begin(), passes_.end(), std::uint8_t(1)));
}

} // namespace twlens
