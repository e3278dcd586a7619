// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "core/model/analysis.h"
#include "core/model/segment.h"
#include "core/reconstruct/chunked_vector.h"
#include "core/reconstruct/connection_table.h"
#include "core/reconstruct/interner.h"
#include "core/reconstruct/kept_log.h"
#include "core/reconstruct/live_connection.h"
#include "core/reconstruct/opened_connection.h"

namespace twlens::recon {

// The per-packet half of the reconstructor. For each segment: intern its addresses, find the
// live connection of its key (or open one), apply the incarnation rules, count it, and keep it
// as a ControlSegment when a teardown rule needs it (keep rules in segment_tracker.cpp). The state
// machines run later, once per connection, over the kept segments only (TeardownReplay), so the
// per-packet work is a hash probe and a few compares, and nothing is allocated per packet.
class SegmentTracker {
public:
    // Caps on what one connection keeps (beyond them segments are only counted in dataBefore):
    // pure ACKs between the first FIN and the close (a long half-close ACKs every data segment),
    // segments after the close that no rule needs, and everything (StateChange::segment is 16-bit).
    static constexpr std::uint16_t kMaxOptionalKept = 64;
    static constexpr std::uint16_t kMaxStrayKept = 64;
    // Zero-length ACKs repeating the same seq/ack: from the third in a row on (with the first two,
    // held until then), up to this many are kept, so the hazard pass can see two ends answering
    // each other with frozen ACKs (RFC 1337 H2). Duplicate ACKs of loss recovery are kept too,
    // within the cap.
    static constexpr std::uint16_t kMaxRepeatKept = 32;
    static constexpr std::uint16_t kMaxKept = 8192;

    explicit SegmentTracker(Analysis& out);

    void add(std::span<const Segment> batch);
    // Finalises every live connection (end of input).
    void finaliseAll();

    std::uint64_t connectionCount() const { return connections_.size(); }
    // Whether connections() is in start order: each was created when its first segment arrived,
    // so it is unless the input's clock went backwards (or inputs overlap).
    bool createdInStartOrder() const { return createdInStartOrder_; }
    std::size_t liveCount() const { return table_.size(); }

    // What the Finaliser takes over.
    ChunkedVector<OpenedConnection>& connections() { return connections_; }
    KeptLog& kept() { return kept_; }
    ChunkedVector<std::uint8_t>& clientDir() { return clientDir_; }
    // Where the stores' chunks come from and go back to; the Finaliser writes the analysis in
    // the blocks they free.
    BlockPool& blocks() { return blocks_; }

private:
    void addOne(const Segment& s, const ConnKey& key, std::uint64_t hash, int dir);
    std::uint32_t open(const ConnKey& key, const Segment& s, int dir, std::uint32_t reuseLive);
    void update(std::uint32_t live, int dir, const Segment& s);
    bool routeToPrevious(LiveConnection& live, int dir, const Segment& s);
    void keepHeldRepeats(LiveConnection& L, LiveDirection& D);
    static ControlSegment controlSegment(const Segment& s, int dir, std::uint16_t dataBefore, bool duplicate);
    void finalise(std::uint32_t live);
    void sweep(TimeNs now);
    void markClosed(std::uint32_t live, LiveConnection& L);
    struct ClosedEntry;
    void queueClosed(const ClosedEntry& e);
    void evict(const ClosedEntry& e, TimeNs now);

    // Freed chunks kept for the Finaliser's arrays, up to 32 MiB. The live records are freed all
    // at once when the input ends (46 MB at 500k connections), before the Finaliser writes
    // anything; the log and the stored connections free theirs while it writes, at about the
    // rate it writes. Keeping all of the first would hold the peak up for nothing: at 500k
    // connections 6 of the 16 blocks are still unused when the Finaliser ends.
    static constexpr std::size_t kKeptBlocks = 16;
    BlockPool blocks_{kKeptBlocks}; // declared first: the stores give their chunks back to it
    AddressInterner addresses_;
    VlanInterner vlans_;
    LivePool pool_;
    // A record's `connection` when it is free, and the end of the free list.
    static constexpr std::uint32_t kFreeLive = UINT32_MAX;
    // The first free record of the pool; each free record's firstKept names the next. In the
    // records themselves: a vector of free indices reached 1 MB.
    std::uint32_t freeLive_ = kFreeLive;
    ConnectionTable table_;
    ChunkedVector<OpenedConnection> connections_;        // creation order
    ChunkedVector<std::uint8_t> clientDir_;             // per connection: key endpoint of the client
    // Kept segments, arrival order. The kept segments of one connection form a chain through the
    // log, whose head LiveConnection::firstKept and then OpenedConnection::firstSegment hold until
    // the Finaliser gathers it. Walking the chains in connection order drains the log roughly
    // front to back, so it frees each log chunk as soon as it is drained (KeptLog::taken) and the
    // log and the coded result are never both whole.
    KeptLog kept_;
    TimeNs evictAfter_;
    // Closed live connections, queued on their last activity when queued (a lower bound of their
    // lastTs, which only grows): a sweep takes only the ones that may have been quiet long enough
    // instead of scanning the whole pool (which held ~160k records of 288 bytes each at every
    // sweep on a 500k-connection capture). Capture time runs forward, so entries mostly arrive
    // in order: those go to a FIFO that stays sorted; the few that arrive earlier than its back
    // (clocks stepping back, merged inputs, re-queued entries) go to a min-heap. A sweep drains
    // the qualifying front of both: the set a single heap gives, without its O(log n) pop per
    // entry (a heap of ~150k was ~3 % of an analysis).
    struct ClosedEntry {
        TimeNs lastTs;
        std::uint32_t live;
        std::uint32_t connection; // stale when the record was finalised and reused since
    };
    std::deque<ClosedEntry> closedInOrder_;
    std::vector<ClosedEntry> closedLate_; // min-heap on lastTs
    TimeNs nextSweep_ = kNoTime;
    TimeNs lastCreated_ = kNoTime;     // start of the last connection created
    bool createdInStartOrder_ = true;
    std::uint32_t sinceSweep_ = 0;
};

} // namespace twlens::recon
