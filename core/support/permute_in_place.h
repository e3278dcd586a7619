// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <vector>

namespace twlens {

// Reorders elements so that slot k holds what slot order[k] held, in place: cycle by cycle, by
// `swap(a, b)` of two slots' elements (which may swap several parallel arrays at once), instead of
// gathering into a second array as big as the first. `order` is a permutation of 0..n-1; it is
// used up (left as the identity).
template <typename Swap>
void permuteInPlace(std::vector<std::uint32_t>& order, Swap&& swap) {
    for (std::uint32_t i = 0; i < order.size(); ++i) {
        if (order[i] == i)
            continue;
        for (std::uint32_t cur = i;;) {
            const std::uint32_t next = order[cur];
            order[cur] = cur;
            if (next == i)
                break;
            swap(cur, next);
            cur = next;
        }
    }
}

} // namespace twlens
