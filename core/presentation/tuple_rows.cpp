// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/tuple_rows.h"

#include <algorithm>

#include "core/presentation/state_spans.h"

namespace twlens {

TupleRows::TupleRows(const Analysis& a) {
    const auto n = static_cast<std::uint32_t>(a.connections.size());
    order_.reserve(n);
    rowStart_.reserve(n + 1);
    rowOfConnection_.assign(n, 0);
    std::vector<bool> placed(n, false);
    // An earlier incarnation started earlier and has a smaller id (the walk back always ends).
    // Connections are ordered by start, so walking them in id order and following each chain from
    // its head yields rows ordered by their first incarnation.
    for (std::uint32_t id = 0; id < n; ++id) {
        if (placed[id])
            continue;
        std::uint32_t head = id;
        while (a.connections[head].previousIncarnation != kNoIndex && a.connections[head].previousIncarnation < head &&
               !placed[a.connections[head].previousIncarnation])
            head = a.connections[head].previousIncarnation;
        rowStart_.push_back(static_cast<std::uint32_t>(order_.size()));
        const auto row = static_cast<std::uint32_t>(rowStart_.size() - 1);
        for (std::uint32_t c = head; c != kNoIndex && c < n && !placed[c]; c = a.connections[c].nextIncarnation) {
            placed[c] = true;
            order_.push_back(c);
            rowOfConnection_[c] = row;
        }
    }
    rowStart_.push_back(static_cast<std::uint32_t>(order_.size()));
}

std::pair<std::size_t, std::size_t> TupleRows::overlapping(const Analysis& a, std::size_t row, TimeNs from,
                                                           TimeNs to) const {
    const auto inc = incarnations(row);
    // First incarnation whose start is after `to`: nothing from there on is visible.
    const auto last = std::upper_bound(inc.begin(), inc.end(), to, [&](TimeNs t, std::uint32_t id) {
        return t < a.connections[id].start;
    });
    // Walk back from the first one starting at or before `from` while earlier ones still reach it.
    auto first = std::lower_bound(inc.begin(), last, from, [&](std::uint32_t id, TimeNs t) {
        return a.connections[id].start < t;
    });
    while (first != inc.begin() && visibleEndOf(a.connections[*(first - 1)]) >= from)
        --first;
    return {static_cast<std::size_t>(first - inc.begin()), static_cast<std::size_t>(last - inc.begin())};
}

} // namespace twlens
