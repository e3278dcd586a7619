// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/segment_store.h"

#include <array>
#include <cstring>
#include <stdexcept>

#include "core/model/tcp_flags.h"
#include "core/support/prefault.h"

namespace twlens {

namespace {

// Header byte 2: the meta bits below, and which optional fields follow.
constexpr std::uint8_t kMetaBits = 0x1F;
constexpr std::uint8_t kHasPayload = 0x20;
constexpr std::uint8_t kHasDataBefore = 0x40;
constexpr std::uint8_t kHasTsVal = 0x80;
static_assert(((ControlSegment::FromServer | ControlSegment::Retransmission | ControlSegment::TapDuplicate |
                ControlSegment::HasTimestamp | ControlSegment::OptionsCut) & ~kMetaBits) == 0,
              "ControlSegment::Meta must fit the header's low five bits");

// What the connection's segments so far predict about the next one. Directions are the
// sender's (0 = client, 1 = server).
struct Prediction {
    TimeNs ts = 0;
    std::int64_t frame = 0;
    std::uint32_t next[2] = {0, 0};  // the sequence number each side is expected to send next
    std::uint32_t tsVal[2] = {0, 0}; // each side's last TSval
};

std::uint64_t zigzag(std::int64_t v) { return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63); }
std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }
// 32-bit sequence space: the signed distance modulo 2^32 (RFC 9293 §3.4's arithmetic).
std::int64_t seqDelta(std::uint32_t value, std::uint32_t predicted) {
    return static_cast<std::int32_t>(value - predicted);
}

// Times as differences modulo 2^64: no signed overflow whatever the clock did (kNoTime included).
std::int64_t timeDelta(TimeNs value, TimeNs predicted) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(value) - static_cast<std::uint64_t>(predicted));
}
TimeNs timeAdd(TimeNs predicted, std::int64_t delta) {
    return static_cast<TimeNs>(static_cast<std::uint64_t>(predicted) + static_cast<std::uint64_t>(delta));
}

std::uint8_t* putVarint(std::uint8_t* p, std::uint64_t v) {
    while (v >= 0x80) {
        *p++ = static_cast<std::uint8_t>(v | 0x80);
        v >>= 7;
    }
    *p++ = static_cast<std::uint8_t>(v);
    return p;
}
// Most differences fit one byte: that case first, without the loop.
[[gnu::always_inline]] inline std::uint64_t getVarint(const std::uint8_t*& p) {
    if (!(*p & 0x80))
        return *p++;
    std::uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        const std::uint8_t b = *p++;
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
}

int dirOf(const ControlSegment& s) { return (s.meta & ControlSegment::FromServer) ? 1 : 0; }

// After segment s, its sender is next expected at seq + payload (+1 for a SYN or FIN, which
// take one sequence number each, RFC 9293 §3.4), and an ACK tells what its peer sends next.
[[gnu::always_inline]] inline void advance(Prediction& p, const ControlSegment& s) {
    const int d = dirOf(s);
    p.ts = s.ts;
    p.frame = s.frame;
    p.next[d] = s.seq + s.payload + ((s.flags & tcpflag::SYN) ? 1u : 0u) + ((s.flags & tcpflag::FIN) ? 1u : 0u);
    if (s.flags & tcpflag::ACK)
        p.next[1 - d] = s.ack;
    if (s.tsVal != 0)
        p.tsVal[d] = s.tsVal;
}

// The ACK field of a segment without the ACK flag is usually 0: coded against 0, not the peer.
std::uint32_t ackBase(const Prediction& p, const ControlSegment& s) {
    return (s.flags & tcpflag::ACK) ? p.next[1 - dirOf(s)] : 0u;
}

std::uint8_t* encodeOne(std::uint8_t* out, const ControlSegment& s, const Prediction& p) {
    const int d = dirOf(s);
    *out++ = s.flags;
    *out++ = static_cast<std::uint8_t>((s.meta & kMetaBits) | (s.payload ? kHasPayload : 0) |
                                       (s.dataBefore ? kHasDataBefore : 0) | (s.tsVal ? kHasTsVal : 0));
    out = putVarint(out, zigzag(timeDelta(s.ts, p.ts)));
    out = putVarint(out, zigzag(seqDelta(s.seq, p.next[d])));
    out = putVarint(out, zigzag(seqDelta(s.ack, ackBase(p, s))));
    out = putVarint(out, zigzag(static_cast<std::int64_t>(s.frame) - p.frame));
    if (s.tsVal)
        out = putVarint(out, zigzag(seqDelta(s.tsVal, p.tsVal[d])));
    if (s.payload)
        out = putVarint(out, s.payload);
    if (s.dataBefore)
        out = putVarint(out, s.dataBefore);
    return out;
}

[[gnu::always_inline]] inline const std::uint8_t* decodeOne(const std::uint8_t* in, ControlSegment& s, const Prediction& p) {
    s.flags = *in++;
    const std::uint8_t h = *in++;
    s.meta = h & kMetaBits;
    s.link = 0;
    const int d = dirOf(s);
    s.ts = timeAdd(p.ts, unzigzag(getVarint(in)));
    s.seq = p.next[d] + static_cast<std::uint32_t>(unzigzag(getVarint(in)));
    s.ack = ackBase(p, s) + static_cast<std::uint32_t>(unzigzag(getVarint(in)));
    s.frame = static_cast<std::uint32_t>(p.frame + unzigzag(getVarint(in)));
    s.tsVal = (h & kHasTsVal) ? p.tsVal[d] + static_cast<std::uint32_t>(unzigzag(getVarint(in))) : 0;
    s.payload = (h & kHasPayload) ? static_cast<std::uint16_t>(getVarint(in)) : 0;
    s.dataBefore = (h & kHasDataBefore) ? static_cast<std::uint16_t>(getVarint(in)) : 0;
    return in;
}

} // namespace

namespace {
// Codes segments at `out`, which has room for kMaxBytesPerSegment each; returns the end.
std::uint8_t* encodeTo(std::span<const ControlSegment> segments, std::uint8_t* out) {
    Prediction pred;
    for (const ControlSegment& s : segments) {
        out = encodeOne(out, s, pred);
        advance(pred, s);
    }
    return out;
}

// Codes segments at the end of `out` (the Finaliser's batch buffer or the store itself).
template <typename Bytes>
void appendCoded(std::span<const ControlSegment> segments, Bytes& out) {
    // Most connections keep fewer than 16 segments: coded on the stack and appended, rather than
    // `out` grown by the most they could take (which zeroes all of it: 130 MB in all on 500k
    // connections) and cut back.
    constexpr std::size_t kOnStack = 16;
    if (segments.size() <= kOnStack) {
        std::array<std::uint8_t, kOnStack * SegmentStore::kMaxBytesPerSegment> buffer; // written before read
        const std::uint8_t* end = encodeTo(segments, buffer.data());
        out.insert(out.end(), static_cast<const std::uint8_t*>(buffer.data()), end);
        return;
    }
    const std::size_t at = out.size();
    out.resize(at + segments.size() * SegmentStore::kMaxBytesPerSegment);
    const std::uint8_t* end = encodeTo(segments, out.data() + at);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

} // namespace

void SegmentStore::encode(std::span<const ControlSegment> segments, std::vector<std::uint8_t>& out) { appendCoded(segments, out); }

std::uint32_t SegmentStore::offsetForAppend() const {
    // Connection::firstSegment is 32 bits: 4 GiB of coded segments is ~300 million kept
    // segments, some 40 million connections.
    if (bytes_.size() > UINT32_MAX)
        throw std::length_error("more than 4 GiB of kept segments: the capture holds too many connections for one analysis");
    return static_cast<std::uint32_t>(bytes_.size());
}

std::uint32_t SegmentStore::append(std::span<const ControlSegment> segments) {
    const std::uint32_t offset = offsetForAppend();
    appendCoded(segments, bytes_);
    segmentTotal_ += segments.size();
    return offset;
}

std::uint32_t SegmentStore::appendEncoded(std::span<const std::uint8_t> bytes, std::size_t segments, BlockPool* pool) {
    const std::uint32_t offset = offsetForAppend();
    if (pool) // reserved by the Finaliser
        prepareAppend(*pool, bytes_, bytes.size());
    else
        prefaultAppend(bytes_, bytes.size());
    appendCopy(bytes_, bytes);
    segmentTotal_ += segments;
    return offset;
}

void SegmentStore::decodeInto(std::uint32_t offset, std::uint32_t count, ControlSegment* out) const {
    const std::uint8_t* in = bytes_.data() + offset;
    Prediction pred;
    for (std::uint32_t i = 0; i < count; ++i) {
        in = decodeOne(in, out[i], pred);
        advance(pred, out[i]);
    }
}

SegmentList SegmentStore::decode(std::uint32_t offset, std::uint32_t count) const {
    SegmentList list;
    if (count > 0)
        decodeInto(offset, count, list.resize(count));
    return list;
}

TimeNs SegmentStore::timeOf(std::uint32_t offset, std::uint32_t index) const {
    const std::uint8_t* in = bytes_.data() + offset;
    Prediction pred;
    ControlSegment s;
    for (std::uint32_t i = 0; i <= index; ++i) {
        in = decodeOne(in, s, pred);
        advance(pred, s);
    }
    return s.ts;
}

} // namespace twlens
