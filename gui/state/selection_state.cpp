// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/state/selection_state.h"

#include <algorithm>

#include "core/presentation/state_spans.h"

namespace twlens {

SelectionState::SelectionState(QObject* parent) : QObject(parent) {}

void SelectionState::setAnalysis(std::shared_ptr<const Analysis> analysis) {
    analysis_ = std::move(analysis);
    connection_ = kNoIndex;
    hazard_ = kNoIndex;
    history_.clear();
    full_ = {};
    if (analysis_) {
        TimeNs from = captureStartOf(*analysis_);
        TimeNs to = captureEndOf(*analysis_);
        for (const Connection& c : analysis_->connections)
            to = std::max(to, visibleEndOf(c));
        if (to <= from)
            to = from + kNsPerSecond;
        full_ = {from, to};
    }
    range_ = full_;
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

void SelectionState::resetZoom() { zoomTo(full_); }

void SelectionState::setFilterText(const QString& text) {
    if (text == filter_)
        return;
    filter_ = text;
    emit filterChanged(text);
}

} // namespace twlens
