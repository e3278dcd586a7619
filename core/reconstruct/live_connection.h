// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>

#include "core/model/connection.h"
#include "core/model/time.h"
#include "core/reconstruct/chunked_vector.h"
#include "core/reconstruct/connection_key.h"

namespace twlens::recon {

// A held repeat of a frozen zero-length ACK (LiveDirection::heldRepeat): the fields of its
// ControlSegment that the run does not fix. Its seq and ack are the run's pureSeq and pureAck (an
// ACK with other numbers starts a new run and any other segment ends it, both dropping what is
// held: SegmentTracker::update), its payload is 0 (a pure ACK carries none) and its link is set
// when it is spliced into the log. 24 bytes instead of a 32-byte ControlSegment and the 4-byte
// log index beside it.
struct HeldRepeat {
    TimeNs ts = 0;
    std::uint32_t frame = 0;
    std::uint32_t tsVal = 0;
    std::uint32_t after = 0;      // the kept segment it came after (its log index)
    std::uint16_t dataBefore = 0;
    std::uint8_t flags = 0;
    std::uint8_t meta = 0;

    static HeldRepeat of(const ControlSegment& c, std::uint32_t after) {
        return {c.ts, c.frame, c.tsVal, after, c.dataBefore, c.flags, c.meta};
    }
    // The ControlSegment it was made of, given the run's numbers.
    ControlSegment segment(std::uint32_t pureSeq, std::uint32_t pureAck) const {
        return {.ts = ts, .seq = pureSeq, .ack = pureAck, .frame = frame, .tsVal = tsVal, .dataBefore = dataBefore,
                .flags = flags, .meta = meta};
    }
};
static_assert(sizeof(HeldRepeat) == 24);

// What the per-packet path tracks for one direction of an open connection. Directions are the
// key's endpoints (0 = key.addr[0]/port[0] sending); roles (client/server) are decided when the
// connection is finalised, because the segment that tells (a SYN) may come late or never.
struct LiveDirection {
    enum Bit : std::uint16_t {
        Seen = 0x001,
        SynNoAck = 0x002,       // sent a SYN without ACK (a client's SYN)
        SynAck = 0x004,         // sent a SYN-ACK
        Fin = 0x008,            // sent a FIN
        Rst = 0x010,
        Timestamps = 0x020,     // sent a segment with the TCP timestamp option
        HandshakeAckKept = 0x040,
        OwesFinAck = 0x080,     // the peer sent a FIN (or retransmitted it) this side has not ACKed since
        SndNxtKnown = 0x100,
        SentNonSyn = 0x200,     // sent anything but a SYN without ACK
        IsnFromSynAck = 0x400,  // isn inferred from the peer's SYN-ACK (this side's SYN not seen)
    };
    std::uint32_t isn = 0;        // of the first SYN / SYN-ACK this side sent
    std::uint32_t sndNxt = 0;     // highest seq + len (+SYN, +FIN) sent
    std::uint32_t finSeq = 0;     // sequence number of this side's first FIN
    std::uint32_t lastHash = 0;   // tap-duplicate detection: last segment of this direction
    std::uint32_t ctlHash = 0;    //   and last SYN/FIN/RST of this direction
    std::uint32_t packets = 0;
    TimeNs lastTs = kNoTime;
    TimeNs ctlTs = kNoTime;
    std::uint64_t payloadBytes = 0;
    std::uint16_t bits = 0;
    std::uint16_t pureRepeats = 0; // zero-length ACKs in a row with the seq/ack below (RFC 1337 H2 desync)
    std::uint8_t heldMask = 0;      // bit r: heldRepeat[r] is held (here, in padding, not after heldRepeat: 16 bytes less a record)
    std::uint32_t pureSeq = 0;
    std::uint32_t pureAck = 0;
    // The first and second repeats of the current frozen ACK when they were not kept: kept after
    // all, in place, once the third repeat shows a frozen run (SegmentTracker::keepHeldRepeats),
    // so the run's count, span and first frame are the real ones.
    HeldRepeat heldRepeat[2];

    bool has(Bit b) const { return (bits & b) != 0; }
};

// The live tracking record of one connection while it can still receive segments. Released
// (returned to the pool's free list) when the connection is finalised, so an analysis keeps only
// the final Connection, its kept segments and its states per closed connection.
struct LiveConnection {
    enum Bit : std::uint8_t {
        FirstFinDir1 = 0x01,    // the first FIN came from direction 1
        AnyFin = 0x02,
        Closed = 0x04,          // RST seen, or FINs both ways: a new SYN may start a new incarnation
        HalfCloseData = 0x08,   // new data after the peer's FIN (Connection::HalfClose)
        FirstSynDir1 = 0x10,    // the first SYN without ACK came from direction 1
        AnySyn = 0x20,
        StartedWithSyn = 0x40,  // first segment was a SYN or SYN-ACK
        FirstSegDir1 = 0x80,    // the first segment came from direction 1
    };
    static constexpr std::uint32_t kNoPrevious = UINT32_MAX;
    ConnKey key;
    std::uint32_t connection = 0;  // index in creation order (Reconstructor's connection store)
    // Until this incarnation's handshake completes, segments continuing the previous
    // incarnation's sequence space (a TIME_WAIT socket's ACK to the new SYN, the RST answering
    // it, a passive closer's late FIN) still belong to that one.
    std::uint32_t previous = kNoPrevious;
    std::uint32_t previousSndNxt[2] = {0, 0};
    // Last kept segment (index in the arrival log) of this connection and of `previous`: the
    // tails of their chains (KeptLog::appendTo).
    std::uint32_t lastKept = 0;
    std::uint32_t previousLastKept = 0;
    TimeNs lastTs = 0;
    LiveDirection dir[2];
    std::uint16_t unkept = 0;      // segments seen and not kept since the last kept one
    std::uint16_t kept = 0;        // kept segments so far (its segmentCount, stored when it is finalised)
    std::uint16_t optionalKept = 0; // kept pure ACKs after the first FIN, before the close (capped)
    std::uint16_t strayKept = 0;    // kept segments after the close that no rule asked for, and old duplicates (capped)
    std::uint16_t repeatKept = 0;   // kept repeats of a frozen zero-length ACK (capped)
    std::uint8_t bits = 0;
    std::uint32_t firstKept = 0;   // the head of this connection's chain (valid when kept > 0)

    bool has(Bit b) const { return (bits & b) != 0; }
};

// Every byte here is paid once per live record: 161k of them (46 MB) at the end of reading on a
// 500k-connection capture, when an analysis peaks in memory.
static_assert(sizeof(LiveConnection) == 288);

// The live records, indexed by a 32-bit live index. In chunks rather than one vector: the pool
// grows to ~160k records (~46 MB) on a 500k-connection capture, and a doubling vector would copy
// and fault in about twice that on the reconstructor's thread.
using LivePool = ChunkedVector<LiveConnection>;

} // namespace twlens::recon
