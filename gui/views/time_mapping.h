// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cmath>
#include <cstdint>
#include <utility>

#include "core/model/time.h"

namespace twlens {

// The timeline's two mappings, kept apart from painting so they can be tested headless (hotspot
// tst_timelinedelegate): time <-> x over a pixel width, and row <-> y with a fractional row height
// (below a pixel per row the painter aggregates).
class TimeMapping {
public:
    TimeMapping() = default;
    TimeMapping(TimeNs from, TimeNs to, double left, double width);

    TimeNs from() const { return from_; }
    TimeNs to() const { return to_; }
    double left() const { return left_; }
    double width() const { return width_; }
    double nsPerPixel() const { return nsPerPixel_; }

    double toX(TimeNs t) const { return left_ + static_cast<double>(t - from_) * pixelsPerNs_; }
    TimeNs toTime(double x) const { return from_ + static_cast<TimeNs>(std::llround((x - left_) * nsPerPixel_)); }
    // The pixel column [0, width) a time falls in, clamped to the visible columns. Inline and
    // division-free: the density painter calls it twice per connection per frame.
    int column(TimeNs t) const {
        const double x = static_cast<double>(t - from_) * pixelsPerNs_;
        if (!(x > 0))
            return 0;
        return x >= width_ - 1 ? static_cast<int>(width_ - 1) : static_cast<int>(x);
    }

    // Zoom around a pixel so the time under it stays put. factor > 1 zooms in.
    TimeMapping zoomedAt(double x, double factor) const;
    TimeMapping panned(double dx) const;

private:
    TimeNs from_ = 0;
    TimeNs to_ = 1;
    double left_ = 0;
    double width_ = 1;
    double nsPerPixel_ = 1;
    double pixelsPerNs_ = 1;
};

class RowMapping {
public:
    RowMapping() = default;
    RowMapping(double firstRow, double rowHeight, double top, std::size_t rowCount)
        : firstRow_(firstRow), rowHeight_(rowHeight), top_(top), rowCount_(rowCount) {}

    double firstRow() const { return firstRow_; }
    double rowHeight() const { return rowHeight_; }
    double top() const { return top_; }
    std::size_t rowCount() const { return rowCount_; }

    double toY(double row) const { return top_ + (row - firstRow_) * rowHeight_; }
    // The row under y, or -1 outside the rows.
    long long rowAt(double y) const;
    // Rows intersecting [top, top + height): [first, last).
    std::pair<std::size_t, std::size_t> visibleRows(double height) const;

private:
    double firstRow_ = 0;
    double rowHeight_ = 16;
    double top_ = 0;
    std::size_t rowCount_ = 0;
};

} // namespace twlens
