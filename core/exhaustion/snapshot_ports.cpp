// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/snapshot_ports.h"

#include <algorithm>
#include <set>

namespace twlens {

bool isConnectingSocket(const SocketRow& row, std::uint16_t portLow, std::uint16_t portHigh,
                        std::span<const std::uint16_t> listeningPorts) {
    if (row.state == TcpState::Listen || row.state == TcpState::None || row.remotePort == 0 || row.localPort == 0)
        return false;
    if (row.localPort < portLow || row.localPort > portHigh)
        return false;
    return std::find(listeningPorts.begin(), listeningPorts.end(), row.localPort) == listeningPorts.end();
}

namespace {

struct Counts {
    std::uint32_t inUse = 0;
    std::uint32_t timeWait = 0;
};

struct Listing {
    TimeNs ts = kNoTime;
    std::uint32_t input = 0;
    std::set<IpAddress> locals;
    DestinationMap<Counts> counts;
};

bool showsTimeWait(const SocketSnapshot& s) {
    return !s.sockets.empty() && s.ts != kNoTime &&
           s.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)] >= 0;
}

} // namespace

DestinationMap<SnapshotPorts> snapshotPortsByDestination(const Analysis& a, std::uint16_t portLow,
                                                               std::uint16_t portHigh) {
    std::vector<Listing> listings;
    std::vector<std::uint16_t> listening;
    for (const SocketSnapshot& s : a.snapshots) {
        if (!showsTimeWait(s))
            continue;
        Listing l;
        l.ts = s.ts;
        l.input = s.input;
        listening.clear();
        for (const SocketRow& r : s.sockets) {
            if (r.state == TcpState::Listen)
                listening.push_back(r.localPort);
            if (!r.localIp.isUnspecified())
                l.locals.insert(r.localIp);
        }
        for (const SocketRow& r : s.sockets) {
            if (!isConnectingSocket(r, portLow, portHigh, listening))
                continue;
            Counts& c = l.counts[Destination{r.localIp, r.remoteIp, r.remotePort}];
            ++c.inUse;
            if (r.state == TcpState::TimeWait)
                ++c.timeWait;
        }
        listings.push_back(std::move(l));
    }

    std::stable_sort(listings.begin(), listings.end(), [](const Listing& x, const Listing& y) { return x.ts < y.ts; });
    DestinationMap<SnapshotPorts> out;
    for (const Listing& l : listings)
        for (const auto& [dest, c] : l.counts) {
            SnapshotPorts& p = out[dest];
            p.firstInput = std::min(p.firstInput, l.input);
        }
    for (auto& [dest, p] : out) {
        for (const Listing& l : listings) {
            if (!l.locals.contains(dest.local))
                continue;
            const auto it = l.counts.find(dest);
            const Counts c = it == l.counts.end() ? Counts{} : it->second;
            if (!p.points.empty() && p.points.back().ts == l.ts) {
                p.points.back().portsInUse = std::max(p.points.back().portsInUse, c.inUse);
                p.points.back().timeWait = std::max(p.points.back().timeWait, c.timeWait);
            } else {
                p.points.push_back({l.ts, c.inUse, c.timeWait});
            }
            p.peakTimeWait = std::max(p.peakTimeWait, c.timeWait);
        }
    }
    return out;
}

} // namespace twlens
