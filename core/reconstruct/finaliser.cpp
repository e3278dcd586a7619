// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/finaliser.h"

#include <algorithm>
#include <numeric>

#include "core/reconstruct/connection_key.h"
#include "core/reconstruct/teardown_replay.h"

namespace twlens::recon {

void Finaliser::run() {
    orderConnections();
    gatherSegments();
    replay();
    linkIncarnations();
    newIndex_ = {};
    clientDir_ = {};
    closeTime_ = {};
    firstSyn_ = {};
}

void Finaliser::orderConnections() {
    auto& store = tracker_.connections();
    auto& dirs = tracker_.clientDir();
    const std::size_t n = store.size();
    // Connections are created when their first segment arrives, so creation order is start order
    // unless the input's clock went backwards (or inputs overlap); then a stable sort fixes it.
    bool sorted = true;
    for (std::size_t i = 1; i < n && sorted; ++i)
        sorted = store[i - 1].start <= store[i].start;
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    if (!sorted)
        std::stable_sort(order.begin(), order.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return store[a].start < store[b].start; });
    newIndex_.assign(n, 0);
    for (std::uint32_t pos = 0; pos < n; ++pos)
        newIndex_[order[pos]] = pos;

    out_.connections.clear();
    out_.connections.reserve(n);
    clientDir_.resize(n);
    for (std::uint32_t pos = 0; pos < n; ++pos) {
        Connection c = store[order[pos]];
        c.id = pos;
        out_.connections.push_back(c);
        clientDir_[pos] = dirs[order[pos]];
        if (sorted && (pos + 1) % ChunkedVector<Connection>::chunkSize() == 0)
            store.releaseChunkOf(pos); // free as we go: the store and the result never both hold everything
    }
    store.clear();
    dirs.clear();
}

void Finaliser::gatherSegments() {
    auto& pending = tracker_.pending();
    auto& owner = tracker_.pendingConnection();
    std::size_t total = 0;
    for (Connection& c : out_.connections) {
        c.firstSegment = static_cast<std::uint32_t>(total);
        total += c.segmentCount;
        c.segmentCount = 0; // refilled below
    }
    out_.segments.clear();
    out_.segments.resize(total);
    constexpr std::size_t kChunk = std::remove_reference_t<decltype(pending)>::chunkSize();
    for (std::size_t i = 0; i < pending.size(); ++i) {
        const std::uint32_t id = newIndex_[owner[i]];
        Connection& c = out_.connections[id];
        ControlSegment s = pending[i];
        // FromServer was "from key endpoint 1"; the client's endpoint is now known.
        const bool fromEndpoint1 = (s.meta & ControlSegment::FromServer) != 0;
        const bool fromServer = fromEndpoint1 != (clientDir_[id] == 1);
        s.meta = static_cast<std::uint8_t>((s.meta & ~ControlSegment::FromServer) | (fromServer ? ControlSegment::FromServer : 0));
        out_.segments[c.firstSegment + c.segmentCount++] = s;
        if ((i + 1) % kChunk == 0) {
            pending.releaseChunkOf(i);
            owner.releaseChunkOf(i);
        }
    }
    pending.clear();
    owner.clear();
}

void Finaliser::replay() {
    TeardownReplay replay(out_.settings);
    const std::size_t n = out_.connections.size();
    closeTime_.assign(n, kNoTime);
    firstSyn_.assign(n, kNoTime);
    out_.states.clear();
    out_.states.reserve(n * 8);
    for (std::size_t i = 0; i < n; ++i) {
        Connection& c = out_.connections[i];
        std::span<ControlSegment> segs(out_.segments.data() + c.firstSegment, c.segmentCount);
        const ReplayOutcome r = replay.run(c, segs, out_.states);
        closeTime_[i] = r.closeTime;
        firstSyn_[i] = r.firstSynTs;
    }
    out_.states.shrink_to_fit();
}

void Finaliser::linkIncarnations() {
    // Incarnations of one key (4-tuple + VLAN stack) are its connections in start order.
    const std::size_t n = out_.connections.size();
    auto keyOf = [&](const Connection& c) {
        int dir = 0;
        return ConnKey::make(c.clientAddr, c.clientPort, c.serverAddr, c.serverPort, c.vlan, dir);
    };
    std::vector<std::uint32_t> byKey(n);
    std::iota(byKey.begin(), byKey.end(), 0u);
    std::sort(byKey.begin(), byKey.end(), [&](std::uint32_t a, std::uint32_t b) {
        const ConnKey ka = keyOf(out_.connections[a]), kb = keyOf(out_.connections[b]);
        const int cmp = std::memcmp(&ka, &kb, sizeof(ConnKey));
        return cmp != 0 ? cmp < 0 : a < b; // ids are in start order
    });
    for (std::size_t k = 1; k < n; ++k) {
        Connection& prev = out_.connections[byKey[k - 1]];
        Connection& next = out_.connections[byKey[k]];
        if (!(keyOf(prev) == keyOf(next)))
            continue;
        prev.nextIncarnation = next.id;
        next.previousIncarnation = prev.id;
        const TimeNs syn = firstSyn_[next.id];
        if (syn == kNoTime)
            continue;
        // The gap runs from the previous incarnation's last teardown segment (its final ACK or
        // RST); one that never closed is measured from its last segment.
        const TimeNs closed = closeTime_[prev.id] != kNoTime ? closeTime_[prev.id] : prev.end;
        next.reuseGap = syn - closed;
        // The 4-tuple reopened while TIME_WAIT still held it: the window ends at that SYN
        // (tcp_timewait_state_process accepted it, or tcp_twsk_unique let the client reuse it).
        for (std::uint8_t w = 0; w < prev.timeWaitCount; ++w) {
            TimeWaitWindow& tw = prev.timeWait[w];
            if (tw.reason == TimeWaitEnd::Expired && syn >= tw.start && syn < tw.end) {
                tw.end = syn;
                tw.reason = TimeWaitEnd::Reused;
            }
        }
    }
}

} // namespace twlens::recon
