// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/time_mapping.h"

#include <algorithm>
#include <cmath>

namespace twlens {

TimeMapping::TimeMapping(TimeNs from, TimeNs to, double left, double width)
    : from_(from), to_(std::max(to, from + 1)), left_(left), width_(std::max(width, 1.0)) {
    nsPerPixel_ = static_cast<double>(to_ - from_) / width_;
    pixelsPerNs_ = width_ / static_cast<double>(to_ - from_);
}

TimeMapping TimeMapping::zoomedAt(double x, double factor) const {
    const TimeNs pivot = toTime(x);
    // Never narrower than a nanosecond per ten pixels: the model has nanosecond times.
    const double newNsPerPixel = std::max(nsPerPixel_ / factor, 0.1);
    const auto from = pivot - static_cast<TimeNs>((x - left_) * newNsPerPixel);
    const auto to = from + static_cast<TimeNs>(width_ * newNsPerPixel);
    return TimeMapping(from, to, left_, width_);
}

TimeMapping TimeMapping::panned(double dx) const {
    const auto shift = static_cast<TimeNs>(dx * nsPerPixel_);
    return TimeMapping(from_ - shift, to_ - shift, left_, width_);
}

long long RowMapping::rowAt(double y) const {
    if (rowHeight_ <= 0)
        return -1;
    const double row = firstRow_ + (y - top_) / rowHeight_;
    if (row < 0 || row >= static_cast<double>(rowCount_) || y < top_)
        return -1;
    return static_cast<long long>(row);
}

std::pair<std::size_t, std::size_t> RowMapping::visibleRows(double height) const {
    if (rowCount_ == 0 || rowHeight_ <= 0)
        return {0, 0};
    const double first = std::max(0.0, std::floor(firstRow_));
    const double last = std::min(static_cast<double>(rowCount_), std::ceil(firstRow_ + height / rowHeight_));
    if (last <= first)
        return {0, 0};
    return {static_cast<std::size_t>(first), static_cast<std::size_t>(last)};
}

} // namespace twlens
