// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/finaliser.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <numeric>
#include <span>
#include <utility>

#include "core/model/tcp_flags.h"
#include "core/reconstruct/connection_key.h"
#include "core/reconstruct/teardown_replay.h"
#include "core/support/permute_in_place.h"
#include "core/support/prefault.h"
#include "core/support/run_beside.h"

namespace twlens::recon {

namespace {
// A Connection's key, or a stored connection's (the same fields).
template <typename C>
ConnKey keyOf(const C& c) {
    int dir = 0;
    return ConnKey::make(c.clientAddr, c.clientPort, c.serverAddr, c.serverPort, c.vlan, dir);
}
bool sameHash(std::uint64_t a, std::uint64_t b) { return (a >> 32) == (b >> 32); }
std::uint32_t idOf(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
} // namespace

void Finaliser::run() {
    auto& store = tracker_.connections();
    auto& dirs = tracker_.clientDir();
    n_ = store.size();
    KeptLog& log = tracker_.kept();
    out_.connections.clear();
    out_.connections.reserve(n_); // no reallocation from here on (see convertUpTo)
    clientDir_.resize(n_);
    for (std::size_t i = 0; i < n_; ++i)
        clientDir_[i] = dirs[i];
    dirs.clear();
    // Connections in start order (the usual case) become Connections batch by batch, as the
    // batches need them, and the store is freed chunk by chunk behind them: the 168-byte
    // Connections and the log of kept segments never both hold everything (on 500k connections,
    // 84 MB and 110 MB: the analysis' peak when every Connection was made first). When the
    // input's clock went back, all are made first and put in start order.
    lazy_ = tracker_.createdInStartOrder();
    converted_ = 0;
    hashed_.store(lazy_ ? 0 : n_, std::memory_order_relaxed);
    if (!lazy_) {
        convertUpTo(n_);
        putInStartOrder();
    }
    BlockPool& blocks = tracker_.blocks();
    for (BlockVector<TimeNs>* v : {&closeTime_, &firstSyn_}) {
        v->clear();
        v->reserve(n_);
        prepareAppend(blocks, *v, n_); // filled now (4 MB each at 500k connections)
        v->assign(n_, kNoTime);
    }
    // Both reserved generously and never shrunk: a big reservation is only address space until
    // it is written (the pages of the unused tail are never touched), while shrink_to_fit would
    // copy the whole array at the analysis' peak (500k connections have 7 states and ~98 bytes
    // of coded segments on average). Every kept segment is in the log once.
    constexpr std::size_t kStatesReserved = 16; // per connection
    out_.states.clear();
    out_.states.reserve(n_ * kStatesReserved);
    out_.segments.clear();
    out_.segments.reserve(std::size_t{log.size()} * SegmentStore::kMaxBytesPerSegment);

    log.startDrain();
    nextBatch_.store(0, std::memory_order_relaxed);

    BlockVector<std::uint64_t> byKey;
    if (threads_ > 1 && n_ > 1) {
        // The second thread sorts the incarnations by their keys' hashes, then joins this one
        // in finishing batches of connections.
        runBeside(
            [&] {
                try {
                    byKey = sortByKeyHash();
                } catch (...) {
                    hashed_.store(n_, std::memory_order_release); // convertUpTo waits on it no more
                    hashed_.notify_all();
                    throw;
                }
                finishBatches();
            },
            [&] { finishBatches(); });
    } else {
        byKey = sortByKeyHash();
        finishBatches();
    }
    store.clear();
    log.clear();
    // What the last blocks moved in hold beyond the arrays' ends, and the blocks no array took,
    // go back to the kernel.
    releaseUnusedTail(out_.connections);
    releaseUnusedTail(out_.states);
    out_.segments.releaseUnusedTail();
    blocks.release();
    orderSameHashRuns(byKey);
    linkIncarnations(byKey);
    clientDir_ = {};
    closeTime_ = {};
    firstSyn_ = {};
}

std::size_t Finaliser::blocksWritten(std::size_t n, std::size_t keptSegments) {
    const auto whole = [](std::size_t bytes) { return bytes / BlockPool::kBlock; };
    // Averages on 500k connections: 7 states and ~14 coded bytes a segment. Arrays reserved for
    // more than they hold (states, segments) also take the block their last append reaches into.
    constexpr std::size_t kStatesEach = 8;
    constexpr std::size_t kCodedBytesEach = 15;
    return 2 * whole(n * sizeof(TimeNs))         // closeTime_ and firstSyn_
           + 2 * whole(n * sizeof(std::uint64_t)) // the key sort's two arrays
           + whole(n * sizeof(Connection))
           + whole(n * kStatesEach * sizeof(StateChange)) + 1
           + whole(keptSegments * kCodedBytesEach) + 1;
}

// Makes Connections [converted_, to) from the stored ones, freeing each chunk of the store once
// the key sort has read past it. The vector does not reallocate (reserved): the other thread
// may be reading Connections made before.
void Finaliser::convertUpTo(std::size_t to) {
    const std::lock_guard lock(convertMutex_);
    auto& store = tracker_.connections();
    constexpr std::size_t kChunk = ChunkedVector<OpenedConnection>::chunkSize();
    if (to > converted_) // converted_ Connections made so far: the vector's size (reserved, see run())
        prepareAppend(tracker_.blocks(), out_.connections, to - converted_);
    for (; converted_ < to; ++converted_) {
        const std::size_t i = converted_;
        out_.connections.push_back(store[i].toConnection(static_cast<std::uint32_t>(i)));
        if ((i + 1) % kChunk == 0 || i + 1 == n_) {
            for (std::size_t h = hashed_.load(std::memory_order_acquire); h < i + 1; h = hashed_.load(std::memory_order_acquire))
                hashed_.wait(h, std::memory_order_acquire);
            store.releaseChunkOf(i);
        }
    }
}

// Takes batches of connections in start order until none is left. For each connection: gathers
// its kept segments from its chain through the arrival-order log, replays them (TeardownReplay,
// which marks retransmissions in them), and codes them; then appends the batch's coded segments
// and states to the analysis in one go. Each connection's work touches only that connection,
// so two threads give the same result as one; only where each batch lands in the two arrays
// differs, and every connection records its own place.
void Finaliser::finishBatches() {
    constexpr std::size_t kBatch = 2048;
    const std::size_t n = n_;
    TeardownReplay replayer(out_.settings);
    std::array<std::vector<ControlSegment>, kLanes> kept;
    std::vector<std::uint8_t> coded;
    std::vector<StateChange> states;
    std::vector<std::uint32_t> codedAt;
    for (;;) {
        const std::size_t from = nextBatch_.fetch_add(kBatch, std::memory_order_relaxed);
        if (from >= n)
            return;
        const std::size_t to = std::min(n, from + kBatch);
        convertUpTo(to);
        coded.clear();
        states.clear();
        codedAt.clear();
        std::size_t segmentCount = 0;
        prefetchChains(from, to);
        for (std::size_t group = from; group < to; group += kLanes) {
            const std::size_t lanes = std::min(kLanes, to - group);
            gather(group, lanes, kept);
            for (std::size_t l = 0; l < lanes; ++l) {
                const std::size_t i = group + l;
                const ReplayOutcome r = replayer.run(out_.connections[i], kept[l], states);
                closeTime_[i] = r.closeTime;
                firstSyn_[i] = r.firstSynTs;
                codedAt.push_back(static_cast<std::uint32_t>(coded.size()));
                SegmentStore::encode(kept[l], coded);
                segmentCount += kept[l].size();
            }
        }
        std::uint32_t segmentBase = 0;
        std::uint32_t stateBase = 0;
        {
            const std::lock_guard lock(appendMutex_);
            segmentBase = out_.segments.appendEncoded(coded, segmentCount, &tracker_.blocks());
            stateBase = static_cast<std::uint32_t>(out_.states.size());
            prepareAppend(tracker_.blocks(), out_.states, states.size()); // reserved, as a rule
            appendCopy(out_.states, std::span<const StateChange>(states));
        }
        for (std::size_t i = from; i < to; ++i) {
            Connection& c = out_.connections[i];
            c.firstSegment = segmentBase + codedAt[i - from];
            c.firstState += stateBase;
        }
    }
}

// Segments of one connection sit close together in the log (they arrive within its life), so
// walking the chains in start order drains the log roughly front to back: a chunk is freed when
// its last entry is taken (by whichever thread takes it).
//
// A chain is a walk through memory, each link read from the entry before: one cache miss after
// another. The chains of `lanes` connections are walked in step, one entry of each in turn, so
// their misses overlap (one chain at a time took ~0.2 s of CPU on 500k connections).
void Finaliser::gather(std::size_t first, std::size_t lanes, std::array<std::vector<ControlSegment>, kLanes>& kept) {
    KeptLog& log = tracker_.kept();
    struct Lane {
        std::uint32_t at = 0;       // next entry of the chain
        std::uint32_t left = 0;     // entries still to take
        std::uint32_t chunk = UINT32_MAX;
        std::uint32_t taken = 0;    // entries taken from `chunk` and not counted off yet
        bool clientIs1 = false;
    };
    std::array<Lane, kLanes> lane;
    // Entries taken are counted off their chunk once per run of entries in the same chunk (an
    // atomic update per entry cost ~25 ms over 3.4M entries).
    const auto countOff = [&](Lane& ln) {
        if (ln.taken > 0)
            log.taken(ln.chunk, ln.taken);
        ln.taken = 0;
    };
    std::size_t busy = 0;
    for (std::size_t l = 0; l < lanes; ++l) {
        const Connection& c = out_.connections[first + l];
        lane[l].at = c.firstSegment; // the chain's head until now
        lane[l].left = c.segmentCount;
        lane[l].clientIs1 = clientDir_[c.id] == 1;
        kept[l].clear();
        busy += c.segmentCount > 0;
    }
    while (busy > 0) {
        for (std::size_t l = 0; l < lanes; ++l) {
            Lane& ln = lane[l];
            if (ln.left == 0)
                continue;
            ControlSegment s = log[ln.at];
            const std::uint32_t after = log.next(ln.at); // before its chunk may go
            s.link = 0;
            // FromServer was "from key endpoint 1"; the client's endpoint is now known.
            const bool fromEndpoint1 = (s.meta & ControlSegment::FromServer) != 0;
            const bool fromServer = fromEndpoint1 != ln.clientIs1;
            s.meta = static_cast<std::uint8_t>((s.meta & ~ControlSegment::FromServer) | (fromServer ? ControlSegment::FromServer : 0));
            kept[l].push_back(s);
            const std::uint32_t chunk = KeptLog::chunkOf(ln.at);
            if (chunk != ln.chunk) {
                countOff(ln);
                ln.chunk = chunk;
            }
            ++ln.taken;
            ln.at = after;
            if (--ln.left == 0) {
                countOff(ln);
                --busy;
            }
        }
    }
}

// A batch's chains start close together in the log (its connections began one after another)
// and most of a chain's entries follow its head within a few dozen: asking for those lines before
// the walk (which can only ask for an entry once it has read the one before) overlaps their misses.
// Only the head's own chunk: that chunk cannot be freed before the head is taken, by this batch.
void Finaliser::prefetchChains(std::size_t from, std::size_t to) const {
    constexpr std::uint32_t kAhead = 24; // entries after the head (32 bytes each)
    const KeptLog& log = tracker_.kept();
    for (std::size_t i = from; i < to; ++i) {
        const Connection& c = out_.connections[i];
        if (c.segmentCount == 0)
            continue;
        const std::uint32_t head = c.firstSegment;
        const auto chunkEnd = static_cast<std::uint32_t>((std::size_t{KeptLog::chunkOf(head)} + 1) * KeptLog::kChunk);
        const char* at = reinterpret_cast<const char*>(&log[head]);
        const std::size_t bytes = std::size_t{std::min(chunkEnd - head, kAhead)} * sizeof(ControlSegment);
        for (std::size_t o = 0; o < bytes; o += 64)
            __builtin_prefetch(at + o);
    }
}

// Connections are created when their first segment arrives, so creation order is start order
// unless the input's clock went backwards (or inputs overlap); then a stable sort fixes it.
void Finaliser::putInStartOrder() {
    const auto n = static_cast<std::uint32_t>(n_);
    auto& conns = out_.connections;
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return conns[a].start < conns[b].start; });
    permuteInPlace(order, [&](std::uint32_t x, std::uint32_t y) {
        std::swap(conns[x], conns[y]);
        std::swap(clientDir_[x], clientDir_[y]);
    });
    for (std::uint32_t pos = 0; pos < n; ++pos)
        conns[pos].id = pos;
}

bool Finaliser::refusedByTimeWait(const Connection& prev, const Connection& next, const TimeWaitWindow& tw, TimeNs syn) const {
    for (const ControlSegment& s : out_.segmentsOf(next))
        if (s.from() == Side::Server && (s.flags & tcpflag::SYN) && (s.flags & tcpflag::ACK) && !(s.flags & tcpflag::RST))
            return false; // the new handshake was answered
    for (const ControlSegment& s : out_.segmentsOf(prev))
        if (s.from() == tw.side && s.ts >= syn && s.ts < tw.end && (s.flags & tcpflag::ACK) &&
            !(s.flags & (tcpflag::SYN | tcpflag::RST)))
            return true;
    return false;
}

// Incarnations of one key (4-tuple + VLAN stack) are its connections in start order. Ordered by
// (32 bits of the key's hash, key, id): a stable radix sort on the hash bits of entries made in
// id order gives (hash, id); only the rare runs of equal hashes over different keys are then
// sorted by whole keys (orderSameHashRuns, once every Connection is made). Each key's
// incarnations end up together in id (start) order; the order between keys does not matter.
// (std::sort with a comparator rebuilding keys was ~10 % of a 500k-connection analysis, and
// comparing plain integers still ~45 ms of the helper thread.)
//
// The hashes come from the stored connections while they are being made into Connections
// (convertUpTo frees a chunk of them only once hashed_ is past it), else from the Connections.
BlockVector<std::uint64_t> Finaliser::sortByKeyHash() {
    const std::size_t n = n_;
    // Both arrays are written whole at once, in freed blocks where there are some.
    const auto filled = [&](BlockVector<std::uint64_t>& v) {
        v.reserve(n);
        prepareAppend(tracker_.blocks(), v, n);
        v.resize(n);
    };
    BlockVector<std::uint64_t> byKey;
    filled(byKey);
    if (lazy_) {
        const auto& store = tracker_.connections();
        constexpr std::size_t kChunk = ChunkedVector<OpenedConnection>::chunkSize();
        for (std::size_t i = 0; i < n; ++i) {
            byKey[i] = (keyOf(store[i]).hash() & 0xFFFFFFFF00000000ULL) | i;
            if ((i + 1) % kChunk == 0) {
                hashed_.store(i + 1, std::memory_order_release);
                hashed_.notify_all();
            }
        }
        hashed_.store(n, std::memory_order_release);
        hashed_.notify_all();
    } else {
        for (std::size_t i = 0; i < n; ++i)
            byKey[i] = (keyOf(out_.connections[i]).hash() & 0xFFFFFFFF00000000ULL) | i;
    }
    // LSD radix: two stable passes of 16 bits over the hash half.
    constexpr std::size_t kBuckets = 1u << 16;
    BlockVector<std::uint64_t> other;
    filled(other);
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
    return byKey;
}

void Finaliser::orderSameHashRuns(BlockVector<std::uint64_t>& byKey) const {
    const std::size_t n = byKey.size();
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
}

void Finaliser::linkIncarnations(const BlockVector<std::uint64_t>& byKey) {
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
