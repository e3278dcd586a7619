// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/snapshots/snapshot_summary.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace twlens {

StateVisibility StateVisibility::only(TcpState s) {
    StateVisibility v;
    v.hidden.fill(true);
    v.hidden[static_cast<std::size_t>(s)] = false;
    return v;
}

StateVisibility StateVisibility::ssWithoutAll() {
    StateVisibility v;
    for (TcpState s : {TcpState::Listen, TcpState::SynRecv, TcpState::TimeWait, TcpState::Closed})
        v.hidden[static_cast<std::size_t>(s)] = true;
    return v;
}

std::array<std::int64_t, kTcpStateCount> unknownStateCounts() {
    std::array<std::int64_t, kTcpStateCount> a;
    a.fill(-1);
    return a;
}

void summarizeSocketRows(SocketSnapshot& snapshot, const StateVisibility& visible) {
    std::array<std::int64_t, kTcpStateCount> counts{};
    for (const SocketRow& r : snapshot.sockets)
        ++counts[static_cast<std::size_t>(r.state)];
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (visible.hidden[i] && counts[i] == 0)
            counts[i] = -1;
    snapshot.stateCounts = counts;
    snapshot.timeWaitByDestination = countTimeWaitByDestination(snapshot.sockets);
}

namespace {
struct DestKey {
    IpAddress ip;
    std::uint16_t port;
    bool operator==(const DestKey&) const = default;
};
struct DestKeyHash {
    std::size_t operator()(const DestKey& k) const noexcept { return IpAddressHash{}(k.ip) * 31u + k.port; }
};
} // namespace

std::vector<DestinationCount> countTimeWaitByDestination(std::span<const SocketRow> rows) {
    std::unordered_map<DestKey, std::int64_t, DestKeyHash> byDest;
    for (const SocketRow& r : rows)
        if (r.state == TcpState::TimeWait)
            ++byDest[DestKey{r.remoteIp, r.remotePort}];
    std::vector<DestinationCount> out;
    out.reserve(byDest.size());
    for (const auto& [k, n] : byDest)
        out.push_back({k.ip, k.port, n});
    std::sort(out.begin(), out.end(), [](const DestinationCount& a, const DestinationCount& b) {
        return std::tie(b.count, a.remoteIp, a.remotePort) < std::tie(a.count, b.remoteIp, b.remotePort);
    });
    return out;
}

void sortSnapshotSeries(std::vector<SocketSnapshot>& snapshots) {
    std::stable_sort(snapshots.begin(), snapshots.end(), [](const SocketSnapshot& a, const SocketSnapshot& b) {
        const bool aTimed = a.ts != kNoTime, bTimed = b.ts != kNoTime;
        if (aTimed != bTimed)
            return aTimed;
        return std::tie(a.ts, a.input) < std::tie(b.ts, b.input);
    });
}

} // namespace twlens
