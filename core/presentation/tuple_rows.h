// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// The timeline's rows: one per 4-tuple (+ VLANs), holding that tuple's incarnations side by side
// in time order (the previousIncarnation / nextIncarnation chains of the reconstructor). Rows are
// ordered by the start of their first incarnation. Compact: two index vectors, no per-row objects.
class TupleRows {
public:
    TupleRows() = default;
    explicit TupleRows(const Analysis& a);

    std::size_t rowCount() const { return rowStart_.empty() ? 0 : rowStart_.size() - 1; }
    std::span<const std::uint32_t> incarnations(std::size_t row) const {
        return {order_.data() + rowStart_[row], rowStart_[row + 1] - rowStart_[row]};
    }
    std::size_t rowOf(std::uint32_t connection) const { return rowOfConnection_[connection]; }

    // Index range [first, last) of a row's incarnations that may overlap [from, to]: binary search
    // on the incarnation starts (they are sorted within a row, and an incarnation ends before the
    // next one starts, TIME_WAIT windows included unless reused early).
    std::pair<std::size_t, std::size_t> overlapping(const Analysis& a, std::size_t row, TimeNs from, TimeNs to) const;

private:
    std::vector<std::uint32_t> order_;
    std::vector<std::uint32_t> rowStart_;
    std::vector<std::uint32_t> rowOfConnection_;
};

} // namespace twlens
