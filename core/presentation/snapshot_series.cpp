// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/snapshot_series.h"

namespace twlens {

std::vector<StateCountSeries> snapshotStateSeries(const Analysis& a) {
    std::vector<StateCountSeries> out;
    for (int st = 1; st < kTcpStateCount; ++st) {
        StateCountSeries s;
        s.state = TcpState(st);
        bool any = false;
        for (const SocketSnapshot& snap : a.snapshots) {
            const std::int64_t n = snap.stateCounts[std::size_t(st)];
            if (n < 0 || snap.ts == kNoTime)
                continue;
            s.ts.push_back(snap.ts);
            s.count.push_back(n);
            any |= n > 0;
        }
        if (any)
            out.push_back(std::move(s));
    }
    return out;
}

std::uint32_t busiestTimeWaitSnapshot(const Analysis& a) {
    std::uint32_t best = kNoIndex;
    std::int64_t most = 0;
    for (std::size_t i = 0; i < a.snapshots.size(); ++i) {
        std::int64_t n = 0;
        for (const DestinationCount& d : a.snapshots[i].timeWaitByDestination)
            n += d.count;
        if (n > most) {
            most = n;
            best = std::uint32_t(i);
        }
    }
    return best;
}

} // namespace twlens
