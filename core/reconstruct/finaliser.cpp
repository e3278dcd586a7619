// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/finaliser.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <numeric>
#include <span>
#include <thread>
#include <utility>

#include "core/model/tcp_flags.h"
#include "core/reconstruct/connection_key.h"
#include "core/reconstruct/teardown_replay.h"

namespace twlens::recon {

namespace {
ConnKey keyOf(const Connection& c) {
    int dir = 0;
    return ConnKey::make(c.clientAddr, c.clientPort, c.serverAddr, c.serverPort, c.vlan, dir);
}
bool sameHash(std::uint64_t a, std::uint64_t b) { return (a >> 32) == (b >> 32); }
std::uint32_t idOf(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
} // namespace

void Finaliser::run() {
    orderConnections();
    const std::size_t n = out_.connections.size();
    closeTime_.assign(n, kNoTime);
    firstSyn_.assign(n, kNoTime);
    // Reserved generously and never shrunk: a big reservation is only address space until it is
    // written (the pages of the unused tail are never touched), while shrink_to_fit would copy
    // the whole array at the analysis' peak (+14 MB and ~10 ms on 500k connections, which have
    // 7 states on average).
    constexpr std::size_t kStatesReserved = 16; // per connection
    out_.states.clear();
    out_.states.reserve(n * kStatesReserved);
    std::vector<std::uint64_t> byKey;
    if (threads_ > 1 && n > 1) {
        // The second thread sorts the incarnations by key (it reads only the connections' keys,
        // which nothing here writes), then replays the first kHelperShare of the connections as
        // soon as their segments are gathered, while this thread gathers the rest; this thread
        // then replays the remainder. Each connection's replay touches only that connection,
        // its own segments and its own states; the later part's states go to a vector of their
        // own, appended after, with its connections' firstState moved: the same arrays as one
        // thread doing everything in order.
        // Tenths: the helper starts later (the sort) but replays faster than this thread gathers,
        // so it keeps up with the gathering; this thread's remainder after it is the tail.
        constexpr std::size_t kHelperShare = 9;
        const std::size_t split = n * kHelperShare / 10;
        std::atomic<std::size_t> gathered{0};
        std::vector<StateChange> upper;
        {
            std::jthread helper([&] {
                byKey = sortByKey();
                replay(0, split, out_.states, &gathered);
            });
            gatherSegments(&gathered);
            upper.reserve((n - split) * kStatesReserved);
            replay(split, n, upper, nullptr);
        }
        const auto shift = static_cast<std::uint32_t>(out_.states.size());
        for (std::size_t i = split; i < n; ++i)
            out_.connections[i].firstState += shift;
        out_.states.insert(out_.states.end(), upper.begin(), upper.end());
    } else {
        gatherSegments(nullptr);
        byKey = sortByKey();
        replay(0, n, out_.states, nullptr);
    }
    linkIncarnations(byKey);
    clientDir_ = {};
    closeTime_ = {};
    firstSyn_ = {};
}

void Finaliser::orderConnections() {
    auto& store = tracker_.connections();
    auto& dirs = tracker_.clientDir();
    const std::size_t n = store.size();
    // Copy in creation order, freeing the store chunk by chunk as it is drained, so the store and
    // the result never both hold everything; then put the result in start order in place.
    constexpr std::size_t kChunk = ChunkedVector<OpenedConnection>::chunkSize();
    out_.connections.clear();
    out_.connections.reserve(n);
    clientDir_.resize(n);
    bool sorted = true;
    segmentTotal_ = 0;
    for (std::size_t i = 0; i < n; ++i) {
        segmentTotal_ += store[i].segmentCount;
        out_.connections.push_back(store[i].toConnection(static_cast<std::uint32_t>(i)));
        clientDir_[i] = dirs[i];
        if (i > 0 && out_.connections[i - 1].start > out_.connections[i].start)
            sorted = false;
        if ((i + 1) % kChunk == 0)
            store.releaseChunkOf(i);
    }
    store.clear();
    dirs.clear();
    // Connections are created when their first segment arrives, so creation order is start order
    // unless the input's clock went backwards (or inputs overlap); then a stable sort fixes it.
    if (!sorted) {
        auto& conns = out_.connections;
        std::vector<std::uint32_t> order(n);
        std::iota(order.begin(), order.end(), 0u);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return conns[a].start < conns[b].start; });
        // Slot pos takes the connection now at order[pos]: applied cycle by cycle, holding one
        // connection aside, instead of into a second array.
        for (std::uint32_t pos = 0; pos < n; ++pos) {
            if (order[pos] == pos)
                continue;
            const Connection held = conns[pos];
            const std::uint8_t heldDir = clientDir_[pos];
            std::uint32_t j = pos;
            for (;;) {
                const std::uint32_t k = order[j];
                order[j] = j;
                if (k == pos) {
                    conns[j] = held;
                    clientDir_[j] = heldDir;
                    break;
                }
                conns[j] = conns[k];
                clientDir_[j] = clientDir_[k];
                j = k;
            }
        }
        for (std::uint32_t pos = 0; pos < n; ++pos)
            out_.connections[pos].id = pos;
    } // else each already has its creation index as its id
}

void Finaliser::gatherSegments(std::atomic<std::size_t>* gathered) {
    KeptLog& log = tracker_.kept();
    constexpr std::size_t kChunk = KeptLog::kChunk;
    // Segments of one connection sit close together in the log (they arrive within its life), so
    // walking the chains in start order drains the log roughly front to back: a chunk is freed
    // when its last entry is taken, and the final array (reserved, so its pages are touched only
    // as it is appended to) grows as the log shrinks.
    std::vector<std::uint32_t> left((log.size() + kChunk - 1) / kChunk, static_cast<std::uint32_t>(kChunk));
    if (!left.empty() && log.size() % kChunk != 0)
        left.back() = static_cast<std::uint32_t>(log.size() % kChunk);
    out_.segments.clear();
    out_.segments.reserve(segmentTotal_); // no reallocation from here on: segmentsBase_ stays valid
    segmentsBase_ = out_.segments.data();
    constexpr std::size_t kPublishEvery = 4096;
    std::size_t done = 0;
    for (Connection& c : out_.connections) {
        // Connections [0, done) are gathered: a replay waiting on `gathered` may take them.
        if (gathered && done % kPublishEvery == 0 && done > 0) {
            gathered->store(done, std::memory_order_release);
            gathered->notify_one();
        }
        ++done;
        std::uint32_t i = c.firstSegment; // the chain's head until now
        c.firstSegment = static_cast<std::uint32_t>(out_.segments.size());
        const bool clientIs1 = clientDir_[c.id] == 1;
        for (std::uint32_t k = 0; k < c.segmentCount; ++k) {
            ControlSegment s = log[i];
            const std::uint32_t after = log.next(i); // before its chunk may go
            s.link = 0;
            // FromServer was "from key endpoint 1"; the client's endpoint is now known.
            const bool fromEndpoint1 = (s.meta & ControlSegment::FromServer) != 0;
            const bool fromServer = fromEndpoint1 != clientIs1;
            s.meta = static_cast<std::uint8_t>((s.meta & ~ControlSegment::FromServer) | (fromServer ? ControlSegment::FromServer : 0));
            out_.segments.push_back(s);
            if (--left[i / kChunk] == 0)
                log.releaseChunkOf(i);
            i = after;
        }
    }
    log.clear();
    if (gathered) {
        gathered->store(out_.connections.size(), std::memory_order_release);
        gathered->notify_one();
    }
}

void Finaliser::replay(std::size_t from, std::size_t to, std::vector<StateChange>& states,
                       const std::atomic<std::size_t>* gathered) {
    TeardownReplay replayer(out_.settings);
    std::size_t ready = gathered ? gathered->load(std::memory_order_acquire) : to;
    for (std::size_t i = from; i < to; ++i) {
        while (i >= ready) { // wait for the gathering to get past this connection
            gathered->wait(ready, std::memory_order_acquire);
            ready = gathered->load(std::memory_order_acquire);
        }
        Connection& c = out_.connections[i];
        std::span<ControlSegment> segs(segmentsBase_ + c.firstSegment, c.segmentCount);
        const ReplayOutcome r = replayer.run(c, segs, states);
        closeTime_[i] = r.closeTime;
        firstSyn_[i] = r.firstSynTs;
    }
}

bool Finaliser::refusedByTimeWait(const Connection& prev, const Connection& next, const TimeWaitWindow& tw, TimeNs syn) const {
    const std::span<const ControlSegment> nextSegs(out_.segments.data() + next.firstSegment, next.segmentCount);
    for (const ControlSegment& s : nextSegs)
        if (s.from() == Side::Server && (s.flags & tcpflag::SYN) && (s.flags & tcpflag::ACK) && !(s.flags & tcpflag::RST))
            return false; // the new handshake was answered
    const std::span<const ControlSegment> prevSegs(out_.segments.data() + prev.firstSegment, prev.segmentCount);
    for (const ControlSegment& s : prevSegs)
        if (s.from() == tw.side && s.ts >= syn && s.ts < tw.end && (s.flags & tcpflag::ACK) &&
            !(s.flags & (tcpflag::SYN | tcpflag::RST)))
            return true;
    return false;
}

// Incarnations of one key (4-tuple + VLAN stack) are its connections in start order. Ordered by
// (32 bits of the key's hash, key, id): a stable radix sort on the hash bits of entries made in id
// order gives (hash, id); only the rare runs of equal hashes over different keys are then sorted
// by whole keys. Each key's incarnations end up together in id (start) order; the order between
// keys does not matter. (std::sort with a comparator rebuilding keys was ~10 % of a
// 500k-connection analysis, and comparing plain integers still ~45 ms of the helper thread.)
std::vector<std::uint64_t> Finaliser::sortByKey() const {
    const std::size_t n = out_.connections.size();
    std::vector<std::uint64_t> byKey(n);
    for (std::size_t i = 0; i < n; ++i)
        byKey[i] = (keyOf(out_.connections[i]).hash() & 0xFFFFFFFF00000000ULL) | i;
    {
        // LSD radix: two stable passes of 16 bits over the hash half.
        constexpr std::size_t kBuckets = 1u << 16;
        std::vector<std::uint64_t> other(n);
        std::vector<std::uint32_t> count(kBuckets);
        for (const int shift : {32, 48}) {
            std::fill(count.begin(), count.end(), 0u);
            for (const std::uint64_t v : byKey)
                ++count[(v >> shift) & (kBuckets - 1)];
            std::uint32_t at = 0;
            for (std::uint32_t& c : count)
                at += std::exchange(c, at);
            for (const std::uint64_t v : byKey)
                other[count[(v >> shift) & (kBuckets - 1)]++] = v;
            byKey.swap(other);
        }
    }
    const auto byWholeKey = [&](std::uint64_t a, std::uint64_t b) {
        const ConnKey ka = keyOf(out_.connections[idOf(a)]), kb = keyOf(out_.connections[idOf(b)]);
        const int cmp = std::memcmp(&ka, &kb, sizeof(ConnKey));
        return cmp != 0 ? cmp < 0 : a < b; // ids are in start order
    };
    for (std::size_t begin = 0; begin < n;) {
        std::size_t end = begin + 1;
        while (end < n && sameHash(byKey[begin], byKey[end]))
            ++end;
        if (end - begin > 1) { // a key's incarnations, or keys whose hashes collide
            const ConnKey first = keyOf(out_.connections[idOf(byKey[begin])]);
            for (std::size_t k = begin + 1; k < end; ++k) {
                if (!(keyOf(out_.connections[idOf(byKey[k])]) == first)) {
                    std::sort(byKey.begin() + static_cast<std::ptrdiff_t>(begin),
                              byKey.begin() + static_cast<std::ptrdiff_t>(end), byWholeKey);
                    break;
                }
            }
        }
        begin = end;
    }
    return byKey;
}

void Finaliser::linkIncarnations(const std::vector<std::uint64_t>& byKey) {
    const std::size_t n = byKey.size();
    for (std::size_t k = 1; k < n; ++k) {
        if (!sameHash(byKey[k - 1], byKey[k]))
            continue;
        Connection& prev = out_.connections[idOf(byKey[k - 1])];
        Connection& next = out_.connections[idOf(byKey[k])];
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
        // A RST closing the previous incarnation after this SYN answered the ACK the old socket
        // sent for the SYN (SYN_SENT's RST to an unacceptable ACK, tcp_rcv_synsent_state_process),
        // not the peer's late FIN: no FIN_WAIT_2 expired.
        if (prev.has(Connection::FinWait2Timeout) && closeTime_[prev.id] != kNoTime && syn <= closeTime_[prev.id])
            prev.set(Connection::FinWait2Timeout, false);
        // The 4-tuple reopened while TIME_WAIT still held it: the window ends at that SYN
        // (tcp_timewait_state_process accepted it, or tcp_twsk_unique let the client reuse it).
        // Not when the TIME_WAIT answered the SYN with an ACK (TCP_TW_ACK: PAWS or a sequence
        // number it refused) and no SYN-ACK followed: the 4-tuple never reopened and the
        // TIME_WAIT went on.
        for (std::uint8_t w = 0; w < prev.timeWaitCount; ++w) {
            TimeWaitWindow& tw = prev.timeWait[w];
            if (tw.reason == TimeWaitEnd::Expired && syn >= tw.start && syn < tw.end && !refusedByTimeWait(prev, next, tw, syn)) {
                tw.end = syn;
                tw.reason = TimeWaitEnd::Reused;
            }
        }
    }
}

} // namespace twlens::recon
