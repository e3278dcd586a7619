// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/hazards/detect_hazards.h"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <span>
#include <utility>

#include "core/hazards/detectors.h"
#include "core/support/permute_in_place.h"

namespace twlens {

void detectHazards(Analysis& a) {
    using Detector = void (*)(const Analysis&, const hazards::ConnectionBlock&, hazards::HazardList&);
    static constexpr Detector kDetectors[] = {
        hazards::detectLostFinalAck,    hazards::detectTimeWaitAssassination, hazards::detectReuseWithinTimeWait,
        hazards::detectOldDuplicate,    hazards::detectDesync,                hazards::detectSynToLastAck,
        hazards::detectPawsReject,      hazards::detectFinWait2Timeout,       hazards::detectTimeWaitOverflow,
        hazards::detectHalfCloseDataAfterClose,
    };
    std::vector<Hazard> found;
    // Room for a hazard every 8 connections (the 500k-connection benchmark finds one in 15), so
    // that the array is not moved as it grows: each doubling moved every hazard (three strings
    // and a vector each) into newly mapped memory, ~30 ms of the pass. Room never written is
    // address space only.
    found.reserve(a.connections.size() / 8);
    std::vector<std::uint8_t> detectorOf; // by hazard: the index of the detector that found it
    hazards::HazardList out(found);
    // Every detector over one block of connections, then the next block: a block's connections
    // and segments (~1.5 MB) stay in the cache across the ten detectors, instead of each detector
    // streaming all of them from memory (each pass over 500k connections was 10-25 ms).
    constexpr std::size_t kBlock = 1024;
    const std::span<const Connection> all(a.connections);
    hazards::ConnectionBlock block;
    for (std::size_t from = 0; from < all.size(); from += kBlock) {
        block.load(a, all.subspan(from, std::min(kBlock, all.size() - from)));
        for (std::uint8_t d = 0; d < std::size(kDetectors); ++d) {
            kDetectors[d](a, block, out);
            detectorOf.resize(found.size(), d);
        }
    }
    // Last: it needs what the others found, for every connection.
    hazards::detectRstClose(a, found, out);
    detectorOf.resize(found.size(), static_cast<std::uint8_t>(std::size(kDetectors)));

    // By connection, then time; at equal ones in detector order, then as found: the order of
    // running each detector over all connections in turn (a detector may file a hazard under
    // another connection than the one it is looking at, e.g. a next incarnation).
    std::vector<std::uint32_t> order(found.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        const Hazard& hx = found[x];
        const Hazard& hy = found[y];
        if (hx.connection != hy.connection)
            return hx.connection < hy.connection;
        if (hx.ts != hy.ts)
            return hx.ts < hy.ts;
        return detectorOf[x] < detectorOf[y];
    });
    // In place: a second array of hazards was 4.6 MB more at the passes' peak (34k hazards),
    // which is the analysis' on big inputs.
    permuteInPlace(order, [&found](std::uint32_t x, std::uint32_t y) { std::swap(found[x], found[y]); });
    a.hazards = std::move(found);
    for (Connection& c : a.connections) {
        c.firstHazard = 0;
        c.hazardCount = 0;
    }
    for (std::uint32_t i = 0; i < a.hazards.size(); ++i) {
        const std::uint32_t id = a.hazards[i].connection;
        if (id >= a.connections.size())
            continue;
        Connection& c = a.connections[id];
        if (c.hazardCount == 0)
            c.firstHazard = i;
        ++c.hazardCount;
    }
}

} // namespace twlens
