// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/hazards/detect_hazards.h"

#include <algorithm>

#include "core/hazards/detectors.h"

namespace twlens {

void detectHazards(Analysis& a) {
    std::vector<Hazard> found;
    hazards::HazardList out(found);
    hazards::detectLostFinalAck(a, out);
    hazards::detectTimeWaitAssassination(a, out);
    hazards::detectReuseWithinTimeWait(a, out);
    hazards::detectOldDuplicate(a, out);
    hazards::detectDesync(a, out);
    hazards::detectSynToLastAck(a, out);
    hazards::detectPawsReject(a, out);
    hazards::detectFinWait2Timeout(a, out);
    hazards::detectTimeWaitOverflow(a, out);
    hazards::detectHalfCloseDataAfterClose(a, out);
    hazards::detectRstClose(a, found, out);

    std::stable_sort(found.begin(), found.end(), [](const Hazard& x, const Hazard& y) {
        return x.connection != y.connection ? x.connection < y.connection : x.ts < y.ts;
    });
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
