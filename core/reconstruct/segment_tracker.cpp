// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/segment_tracker.h"

#include <algorithm>

#include "core/model/tcp_flags.h"
#include "core/reconstruct/incarnation_rules.h"

namespace twlens::recon {

namespace {
// Closed connections whose key stayed quiet this long are finalised: past the TIME_WAIT window
// nothing can still arrive that belongs to them (tcp_timewait_state_process is gone by then), and a
// later SYN on the key is linked to them by the Finaliser all the same.
constexpr TimeNs kEvictMarginNs = 2 * kNsPerSecond;
constexpr TimeNs kSweepEveryNs = kNsPerSecond;
constexpr std::uint32_t kSweepMinSegments = 1u << 16;
} // namespace

SegmentTracker::SegmentTracker(Analysis& out)
    : addresses_(out.addresses), vlans_(out.vlanStacks), pool_(&blocks_), table_(pool_), connections_(&blocks_),
      clientDir_(&blocks_), kept_(&blocks_),
      evictAfter_(std::max<TimeNs>(out.settings.twLength(), 0) + kEvictMarginNs) {}

void SegmentTracker::add(std::span<const Segment> batch) {
    // Work in blocks: compute the keys of a block first and prefetch their table slots, so the
    // slot loads of several segments overlap instead of stalling one after another.
    constexpr std::size_t kBlock = 16;
    ConnKey keys[kBlock];
    std::uint64_t hashes[kBlock];
    int dirs[kBlock];
    for (std::size_t base = 0; base < batch.size(); base += kBlock) {
        const std::size_t n = std::min(kBlock, batch.size() - base);
        for (std::size_t i = 0; i < n; ++i) {
            const Segment& s = batch[base + i];
            const std::uint32_t src = addresses_.intern(s.src);
            const std::uint32_t dst = addresses_.intern(s.dst);
            keys[i] = ConnKey::make(src, s.srcPort, dst, s.dstPort, vlans_.intern(s.vlanStack), dirs[i]);
            hashes[i] = keys[i].hash();
            table_.prefetch(hashes[i]);
        }
        for (std::size_t i = 0; i < n; ++i)
            addOne(batch[base + i], keys[i], hashes[i], dirs[i]);
    }
}

void SegmentTracker::addOne(const Segment& s, const ConnKey& key, std::uint64_t hash, int dir) {
    std::uint32_t live = table_.find(key, hash);
    const bool synOnly = (s.flags & (tcpflag::SYN | tcpflag::ACK | tcpflag::RST)) == tcpflag::SYN;
    if (live == ConnectionTable::kNotFound) {
        live = open(key, s, dir, kFreeLive);
        table_.insert(hash, live);
    } else if (synOnly && startsNewIncarnation(pool_[live], dir, s)) {
        const LiveConnection& old = pool_[live];
        const std::uint32_t previous = old.connection;
        const bool known0 = old.dir[0].has(LiveDirection::SndNxtKnown), known1 = old.dir[1].has(LiveDirection::SndNxtKnown);
        const std::uint32_t snd0 = old.dir[0].sndNxt, snd1 = old.dir[1].sndNxt;
        const std::uint32_t previousLast = old.lastKept;
        finalise(live);
        live = open(key, s, dir, live); // the new incarnation takes over the record and the slot
        if (known0 && known1) {
            LiveConnection& L = pool_[live];
            L.previous = previous;
            L.previousLastKept = previousLast;
            L.previousSndNxt[0] = snd0;
            L.previousSndNxt[1] = snd1;
        }
    }
    if (pool_[live].previous != LiveConnection::kNoPrevious && routeToPrevious(pool_[live], dir, s))
        return;
    update(live, dir, s);

    if (++sinceSweep_ >= kSweepMinSegments) {
        if (nextSweep_ == kNoTime || s.ts >= nextSweep_) {
            sweep(s.ts);
            nextSweep_ = s.ts + kSweepEveryNs;
        }
        sinceSweep_ = 0;
    }
}

std::uint32_t SegmentTracker::open(const ConnKey& key, const Segment& s, int dir, std::uint32_t reuseLive) {
    std::uint32_t live = reuseLive;
    if (live == kFreeLive) {
        if (freeLive_ != kFreeLive) {
            live = freeLive_;
            freeLive_ = pool_[live].firstKept;
        } else {
            live = static_cast<std::uint32_t>(pool_.size());
            pool_.push_back(LiveConnection{});
        }
    }
    LiveConnection& L = pool_[live];
    L = LiveConnection{};
    L.key = key;
    L.connection = static_cast<std::uint32_t>(connections_.size());
    L.lastTs = s.ts;
    if (dir == 1)
        L.bits |= LiveConnection::FirstSegDir1;
    if (s.flags & tcpflag::SYN && !(s.flags & tcpflag::RST))
        L.bits |= LiveConnection::StartedWithSyn;

    OpenedConnection c;
    c.vlan = key.vlan;
    c.input = s.input;
    c.start = s.ts;
    c.end = s.ts;
    if (lastCreated_ != kNoTime && s.ts < lastCreated_)
        createdInStartOrder_ = false;
    lastCreated_ = s.ts;
    connections_.push_back(c);
    clientDir_.push_back(0);
    return live;
}

// Keep rules. A segment is kept (as a 32-byte ControlSegment) when it is: the first segment of
// its direction (anchors a mid-stream state); a side's first segment after its SYN when the
// peer's SYN-ACK was not captured; a SYN, SYN-ACK, FIN or RST (and their
// retransmissions and tap copies); the handshake ACK (first ACK of the peer's ISN + 1); the first
// segment of a side that ACKs a FIN of its peer, and again after each retransmission of that FIN
// (the re-ACKs that restart TIME_WAIT, tcp_timewait_state_process); a pure ACK after the first FIN
// (at most kMaxOptionalKept); any segment after the close (at most kMaxStrayKept: strays are what
// the RFC 1337 detectors look at); a segment behind its sender's ISN (an old duplicate, within
// the same cap). Everything else is counted in the next kept segment's
// dataBefore and in the connection's packets/payloadBytes.
void SegmentTracker::update(std::uint32_t live, int dir, const Segment& s) {
    LiveConnection& L = pool_[live];
    LiveDirection& D = L.dir[dir];
    LiveDirection& P = L.dir[dir ^ 1];
    const bool rst = s.flags & tcpflag::RST;
    // A RST's other control bits are not acted on (RFC 9293 §3.10.7: the RST check comes first).
    const bool syn = !rst && (s.flags & tcpflag::SYN);
    const bool fin = !rst && (s.flags & tcpflag::FIN);
    const bool ack = s.flags & tcpflag::ACK;
    const bool control = syn || fin || rst;
    const bool pureAck = ack && !control && s.payloadLen == 0; // a candidate repeat (RFC 1337 H2)

    if (s.ts > L.lastTs)
        L.lastTs = s.ts;

    // Tap duplicates: byte-identical to the previous segment of this direction (or to its
    // previous SYN/FIN/RST) within kTapDuplicateWindowNs. They are skipped by every rule; copies of
    // control segments are kept, marked, so views can show them.
    bool duplicate = false;
    if (D.has(LiveDirection::Seen)) {
        const TimeNs sinceLast = s.ts - D.lastTs;
        // ctlTs is kNoTime (INT64_MIN) until this direction sent a control segment: subtract
        // only when it is set, or the difference overflows.
        const TimeNs sinceCtl = D.ctlTs != kNoTime ? s.ts - D.ctlTs : -1;
        duplicate = (s.contentHash == D.lastHash && sinceLast >= 0 && sinceLast <= kTapDuplicateWindowNs) ||
                    (control && D.ctlTs != kNoTime && s.contentHash == D.ctlHash && sinceCtl >= 0 &&
                     sinceCtl <= kTapDuplicateWindowNs);
    }
    bool keep = false;
    if (!duplicate) {
        D.lastHash = s.contentHash;
        D.lastTs = s.ts;
        if (control) {
            D.ctlHash = s.contentHash;
            D.ctlTs = s.ts;
        }
        ++D.packets;
        D.payloadBytes += s.payloadLen;
        if (s.hasTimestamp && !s.optionsTruncated)
            D.bits |= LiveDirection::Timestamps;
        if (!D.has(LiveDirection::Seen)) {
            D.bits |= LiveDirection::Seen;
            keep = true;
        }
        if (!(syn && !ack) && !D.has(LiveDirection::SentNonSyn)) {
            D.bits |= LiveDirection::SentNonSyn;
            // A side's first segment after its SYN shows it got the SYN-ACK; when the peer's SYN-ACK
            // is not in the capture, no other kept segment would say so.
            if (!(P.has(LiveDirection::SynAck) || P.has(LiveDirection::SynNoAck)))
                keep = true;
        }
        const bool isnKnown = D.has(LiveDirection::SynNoAck) || D.has(LiveDirection::SynAck);
        if (syn) {
            keep = true;
            if (!isnKnown)
                D.isn = s.seq;
            if (ack) {
                D.bits |= LiveDirection::SynAck;
                // The SYN-ACK names the peer's ISN (its ack - 1) even when the SYN was not captured,
                // so a later copy of that SYN is a retransmission, not a new incarnation.
                if (!(P.has(LiveDirection::SynNoAck) || P.has(LiveDirection::SynAck) || P.has(LiveDirection::IsnFromSynAck))) {
                    P.isn = s.ack - 1;
                    P.bits |= LiveDirection::IsnFromSynAck;
                }
            } else {
                D.bits |= LiveDirection::SynNoAck;
                if (!L.has(LiveConnection::AnySyn)) {
                    L.bits |= LiveConnection::AnySyn;
                    if (dir == 1)
                        L.bits |= LiveConnection::FirstSynDir1;
                }
            }
        }
        // A segment behind this side's ISN cannot be this incarnation's: an old duplicate of a
        // previous one (RFC 1337 H1), outside the window, that the old_duplicate rule reports.
        if (!syn && !rst && isnKnown && D.has(LiveDirection::SndNxtKnown) && seqLt(s.seq, D.isn) && L.strayKept < kMaxStrayKept) {
            keep = true;
            ++L.strayKept;
        }
        // Highest sequence number sent, modulo 2^32 (RFC 9293 §3.4).
        const std::uint32_t end = s.seq + s.payloadLen + (syn ? 1u : 0u) + (fin ? 1u : 0u);
        bool newData = false;
        if (!D.has(LiveDirection::SndNxtKnown)) {
            D.sndNxt = end;
            D.bits |= LiveDirection::SndNxtKnown;
        } else if (seqGt(end, D.sndNxt)) {
            newData = s.payloadLen > 0 && seqGt(s.seq + s.payloadLen, D.sndNxt);
            D.sndNxt = end;
        }
        if (newData && P.has(LiveDirection::Fin))
            L.bits |= LiveConnection::HalfCloseData;
        if (fin) {
            keep = true;
            std::uint32_t finSeq = s.seq + s.payloadLen;
            if (D.has(LiveDirection::SynNoAck) || D.has(LiveDirection::SynAck))
                if (seqLeq(finSeq, D.isn)) // a FIN overlapping the SYN's sequence number: it follows it
                    finSeq = D.isn + 1;
            if (!D.has(LiveDirection::Fin)) {
                D.finSeq = finSeq;
                D.bits |= LiveDirection::Fin;
                if (!L.has(LiveConnection::AnyFin)) {
                    L.bits |= LiveConnection::AnyFin;
                    if (dir == 1)
                        L.bits |= LiveConnection::FirstFinDir1;
                }
                if (P.has(LiveDirection::Fin))
                    markClosed(live, L);
            }
            P.bits |= LiveDirection::OwesFinAck;
        }
        if (rst) {
            keep = true;
            D.bits |= LiveDirection::Rst;
            markClosed(live, L);
        }
        if (ack && !syn && !rst) {
            if (!D.has(LiveDirection::HandshakeAckKept) && (P.has(LiveDirection::SynAck) || P.has(LiveDirection::SynNoAck)) &&
                s.ack == P.isn + 1) {
                keep = true;
                D.bits |= LiveDirection::HandshakeAckKept;
            }
            if (D.has(LiveDirection::OwesFinAck) && P.has(LiveDirection::Fin) && seqGeq(s.ack, P.finSeq + 1)) {
                keep = true;
                D.bits &= static_cast<std::uint16_t>(~LiveDirection::OwesFinAck);
            }
        }
        // Frozen zero-length ACKs (RFC 1337 H2): the third identical one in a row and later ones,
        // and then the first two as well (held until the third shows the run, keepHeldRepeats).
        if (pureAck) {
            if (D.pureRepeats > 0 && s.seq == D.pureSeq && s.ack == D.pureAck) {
                if (D.pureRepeats < UINT16_MAX)
                    ++D.pureRepeats;
            } else {
                D.pureRepeats = 1;
                D.pureSeq = s.seq;
                D.pureAck = s.ack;
                D.heldMask = 0;
            }
            if (!keep && D.pureRepeats >= 3 && L.repeatKept < kMaxRepeatKept) {
                keep = true;
                ++L.repeatKept;
            }
        } else {
            D.pureRepeats = 0;
            D.heldMask = 0;
        }
        if (!keep && L.has(LiveConnection::AnyFin)) {
            if (L.has(LiveConnection::Closed)) {
                if (L.strayKept < kMaxStrayKept) {
                    keep = true;
                    ++L.strayKept;
                }
            } else if (s.payloadLen == 0 && L.optionalKept < kMaxOptionalKept) {
                keep = true;
                ++L.optionalKept;
            }
        } else if (!keep && L.has(LiveConnection::Closed) && L.strayKept < kMaxStrayKept) {
            keep = true; // after a RST
            ++L.strayKept;
        }
    } else {
        keep = control;
    }

    const bool repeat = !duplicate && pureAck;
    if (!keep || L.kept >= kMaxKept) {
        // Hold the first and second repeats of a zero-length ACK: kept in place if a third follows.
        // L.kept is the connection's segmentCount: a kept segment for HeldRepeat::after to name.
        if (repeat && (D.pureRepeats == 1 || D.pureRepeats == 2) && L.kept > 0) {
            const int r = D.pureRepeats - 1;
            D.heldRepeat[r] = HeldRepeat::of(controlSegment(s, dir, L.unkept, false), L.lastKept);
            D.heldMask = static_cast<std::uint8_t>(D.heldMask | (1u << r));
        }
        if (!duplicate && L.unkept < UINT16_MAX)
            ++L.unkept;
        return;
    }
    if (repeat && D.pureRepeats == 3 && D.heldMask != 0)
        keepHeldRepeats(L, D);
    // The chain's head and length stay in the live record until it is finalised: the stored
    // connection, long out of cache, is not touched for every kept segment.
    kept_.appendTo(L.firstKept, L.lastKept, L.kept, controlSegment(s, dir, L.unkept, duplicate));
    L.unkept = 0;
}

namespace {
// An unkept count less what a segment spliced into its span stands for (itself and the unkept
// ones before it), never below zero.
std::uint16_t lessCounted(std::uint16_t unkept, const ControlSegment& spliced) {
    return static_cast<std::uint16_t>(unkept - std::min<std::uint32_t>(unkept, spliced.dataBefore + 1u));
}
} // namespace

// Splices the held first and second repeats of a frozen ACK into the connection's chain in
// arrival order (after the kept segment each followed, and after any held repeat of the other
// direction spliced there since that came before it), and moves the dataBefore counts so each
// segment still counts only the unkept ones between it and its predecessor.
void SegmentTracker::keepHeldRepeats(LiveConnection& L, LiveDirection& D) {
    for (int r = 0; r < 2; ++r) {
        if (!(D.heldMask & (1u << r)) || L.kept >= kMaxKept - 1 || L.repeatKept >= kMaxRepeatKept)
            continue;
        ControlSegment seg = D.heldRepeat[r].segment(D.pureSeq, D.pureAck);
        std::uint32_t after = D.heldRepeat[r].after;
        // Segments spliced after `after` since were unkept when this one arrived: in its count.
        for (std::uint32_t n = kept_.next(after); n != KeptLog::kEnd; n = kept_.next(after)) {
            const ControlSegment& w = kept_[n];
            if (w.ts > seg.ts || (w.ts == seg.ts && w.frame > seg.frame))
                break;
            seg.dataBefore = lessCounted(seg.dataBefore, w);
            after = n;
        }
        const std::uint32_t following = kept_.next(after);
        const std::uint32_t index = kept_.append(seg);
        kept_.setNext(index, following);
        kept_.setNext(after, index);
        if (following == KeptLog::kEnd) {
            L.lastKept = index;
            L.unkept = lessCounted(L.unkept, seg);
        } else {
            ControlSegment& nextKept = kept_[following];
            nextKept.dataBefore = lessCounted(nextKept.dataBefore, seg);
        }
        ++L.kept;
        ++L.repeatKept;
    }
    D.heldMask = 0;
}

bool SegmentTracker::routeToPrevious(LiveConnection& L, int dir, const Segment& s) {
    const LiveDirection& P = L.dir[dir ^ 1];
    // The new handshake is answered (the peer ACKs the new ISN): the old sequence space is done.
    if ((s.flags & tcpflag::ACK) && (P.has(LiveDirection::SynNoAck)) && s.ack == P.isn + 1) {
        L.previous = LiveConnection::kNoPrevious;
        return false;
    }
    if (s.flags & tcpflag::SYN)
        return false;
    const std::uint32_t old = L.previousSndNxt[dir];
    if (s.seq != old && s.seq + 1 != old) // at the old SND.NXT, or a FIN repeated just below it
        return false;
    OpenedConnection& prev = connections_[L.previous];
    const int side = dir == clientDir_[L.previous] ? 0 : 1;
    ++prev.packets[static_cast<std::size_t>(side)];
    prev.payloadBytes[static_cast<std::size_t>(side)].add(s.payloadLen);
    prev.end = std::max(prev.end, s.ts);
    // The previous incarnation is finalised: its chain is the stored connection's. Capped like a
    // live one's (a peer can resend its FIN without end), so every kept segment stays nameable by
    // a 16-bit StateChange::segment.
    if (prev.segmentCount < kMaxKept)
        kept_.appendTo(prev.firstSegment, L.previousLastKept, prev.segmentCount, controlSegment(s, dir, 0, false));
    return true;
}

ControlSegment SegmentTracker::controlSegment(const Segment& s, int dir, std::uint16_t dataBefore, bool duplicate) {
    ControlSegment c;
    c.ts = s.ts;
    c.seq = s.seq;
    c.ack = s.ack;
    c.frame = static_cast<std::uint32_t>(s.frame);
    c.tsVal = s.hasTimestamp ? s.tsVal : 0;
    c.payload = static_cast<std::uint16_t>(std::min<std::uint32_t>(s.payloadLen, UINT16_MAX));
    c.dataBefore = dataBefore;
    c.flags = s.flags;
    // FromServer holds "from key endpoint 1" until the Finaliser knows the roles.
    c.meta = static_cast<std::uint8_t>((dir == 1 ? ControlSegment::FromServer : 0) |
                                       (s.hasTimestamp && !s.optionsTruncated ? ControlSegment::HasTimestamp : 0) |
                                       (s.optionsTruncated ? ControlSegment::OptionsCut : 0) |
                                       (duplicate ? ControlSegment::TapDuplicate : 0));
    return c;
}

void SegmentTracker::finalise(std::uint32_t live) {
    LiveConnection& L = pool_[live];
    OpenedConnection& c = connections_[L.connection];
    bool inferred = false;
    const int client = clientDirection(L, inferred);
    const int server = client ^ 1;
    clientDir_[L.connection] = static_cast<std::uint8_t>(client);
    c.clientAddr = L.key.addr[client];
    c.serverAddr = L.key.addr[server];
    c.clientPort = L.key.port[client];
    c.serverPort = L.key.port[server];
    c.end = std::max(c.end, L.lastTs);
    c.firstSegment = L.firstKept;
    c.segmentCount = L.kept;
    const LiveDirection& C = L.dir[client];
    const LiveDirection& S = L.dir[server];
    c.packets = {C.packets, S.packets};
    c.payloadBytes[0].set(C.payloadBytes);
    c.payloadBytes[1].set(S.payloadBytes);
    c.set(Connection::SynSeen, C.has(LiveDirection::SynNoAck));
    c.set(Connection::RolesInferred, inferred);
    c.set(Connection::TimestampsSeen, C.has(LiveDirection::Timestamps) && S.has(LiveDirection::Timestamps));
    c.set(Connection::OneSided, C.packets == 0 || S.packets == 0);
    c.set(Connection::MidStream, !L.has(LiveConnection::StartedWithSyn));
    c.set(Connection::HalfClose, L.has(LiveConnection::HalfCloseData));
    L.connection = kFreeLive;
}

namespace {
// std heaps are max-heaps: the earliest lastTs on top.
constexpr auto laterFirst = [](const auto& a, const auto& b) { return a.lastTs > b.lastTs; };
} // namespace

void SegmentTracker::markClosed(std::uint32_t live, LiveConnection& L) {
    if (L.has(LiveConnection::Closed))
        return;
    L.bits |= LiveConnection::Closed;
    queueClosed({L.lastTs, live, L.connection});
}

void SegmentTracker::queueClosed(const ClosedEntry& e) {
    if (closedInOrder_.empty() || e.lastTs >= closedInOrder_.back().lastTs) {
        closedInOrder_.push_back(e);
    } else {
        closedLate_.push_back(e);
        std::push_heap(closedLate_.begin(), closedLate_.end(), laterFirst);
    }
}

// Finalises the closed connections quiet for longer than evictAfter_: exactly those a scan of the
// pool would pick, since every closed record has an entry whose lastTs is at most its own.
void SegmentTracker::sweep(TimeNs now) {
    // A sweep evicts records closed ~a minute ago, long out of cache: ask for the records and
    // stored connections a few entries ahead while evicting the current one.
    constexpr std::size_t kAhead = 4;
    while (!closedInOrder_.empty() && now - closedInOrder_.front().lastTs > evictAfter_) {
        if (closedInOrder_.size() > kAhead) {
            const ClosedEntry& ahead = closedInOrder_[kAhead];
            const char* record = reinterpret_cast<const char*>(&pool_[ahead.live]);
            for (std::size_t line = 0; line < sizeof(LiveConnection); line += 64)
                __builtin_prefetch(record + line);
            __builtin_prefetch(&connections_[ahead.connection]);
        }
        const ClosedEntry e = closedInOrder_.front();
        closedInOrder_.pop_front();
        evict(e, now);
    }
    while (!closedLate_.empty() && now - closedLate_.front().lastTs > evictAfter_) {
        std::pop_heap(closedLate_.begin(), closedLate_.end(), laterFirst);
        const ClosedEntry e = closedLate_.back();
        closedLate_.pop_back();
        evict(e, now);
    }
}

void SegmentTracker::evict(const ClosedEntry& e, TimeNs now) {
    LiveConnection& L = pool_[e.live];
    if (L.connection != e.connection) // finalised already (a new incarnation took the record)
        return;
    if (now - L.lastTs <= evictAfter_) { // active since it closed: look again later
        queueClosed({L.lastTs, e.live, e.connection});
        return;
    }
    table_.erase(L.key, L.key.hash());
    finalise(e.live);
    pool_[e.live].firstKept = freeLive_; // a free record's firstKept links the free list
    freeLive_ = e.live;
}

void SegmentTracker::finaliseAll() {
    for (std::uint32_t i = 0; i < pool_.size(); ++i)
        if (pool_[i].connection != kFreeLive)
            finalise(i);
    pool_.clear();
    freeLive_ = kFreeLive;
    closedInOrder_ = {};
    closedLate_ = {};
}

} // namespace twlens::recon
