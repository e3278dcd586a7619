// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/model/analysis.h"

namespace twlens::test {

// What is wrong with the layout of an Analysis' arrays, or "" when nothing is: every
// connection's states are one run of Analysis::states and the runs tile the array exactly; every
// connection's segments are one run of coded bytes, the runs start at distinct offsets inside
// the store, and their counts add up to the store's. (The Finaliser's threads append batches in
// the order they finish them, so runs need not follow connection order.)
inline std::string layoutProblem(const Analysis& a) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> states;
    std::vector<std::uint32_t> segmentStarts;
    std::size_t segments = 0;
    for (const Connection& c : a.connections) {
        if (c.stateCount > 0)
            states.emplace_back(c.firstState, c.stateCount);
        if (c.segmentCount > 0) {
            segmentStarts.push_back(c.firstSegment);
            if (c.firstSegment >= a.segments.byteSize())
                return "connection " + std::to_string(c.id) + ": segments start past the store";
        }
        segments += c.segmentCount;
    }
    std::sort(states.begin(), states.end());
    std::uint32_t next = 0;
    for (const auto& [first, count] : states) {
        if (first != next)
            return "states: a run starts at " + std::to_string(first) + ", expected " + std::to_string(next);
        next += count;
    }
    if (next != a.states.size())
        return "states: runs cover " + std::to_string(next) + " of " + std::to_string(a.states.size());
    std::sort(segmentStarts.begin(), segmentStarts.end());
    if (std::adjacent_find(segmentStarts.begin(), segmentStarts.end()) != segmentStarts.end())
        return "segments: two connections start at the same offset";
    if (segments != a.segments.segmentTotal())
        return "segments: connections count " + std::to_string(segments) + ", the store " + std::to_string(a.segments.segmentTotal());
    return {};
}

} // namespace twlens::test
