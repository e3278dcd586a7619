// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/model/connection.h"
#include "core/support/block_pool.h"

namespace twlens {

// One connection's kept segments, decoded (Analysis::segmentsOf). Holds up to kInline segments
// in itself (most connections keep 5-9), more on the heap. Returned by value; a span of it lives
// only as long as it does, so it converts to a span only as an lvalue.
class SegmentList {
public:
    static constexpr std::size_t kInline = 16;

    SegmentList() = default;
    SegmentList(const SegmentList& o) { assign(o.span()); }
    SegmentList& operator=(const SegmentList& o) {
        if (this != &o)
            assign(o.span());
        return *this;
    }

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    const ControlSegment* data() const { return data_; }
    const ControlSegment* begin() const { return data_; }
    const ControlSegment* end() const { return data_ + size_; }
    const ControlSegment& operator[](std::size_t i) const { return data_[i]; }
    const ControlSegment& front() const { return data_[0]; }
    const ControlSegment& back() const { return data_[size_ - 1]; }
    std::span<const ControlSegment> span() const& { return {data_, size_}; }
    operator std::span<const ControlSegment>() const& { return span(); }
    operator std::span<const ControlSegment>() const&& = delete; // would dangle

    // Room for n segments, for a decoder to fill.
    ControlSegment* resize(std::size_t n) {
        if (n <= kInline) {
            data_ = inlineData();
        } else {
            heap_.resize(n);
            data_ = heap_.data();
        }
        size_ = n;
        return const_cast<ControlSegment*>(data_);
    }

private:
    void assign(std::span<const ControlSegment> s) {
        ControlSegment* out = resize(s.size());
        std::copy(s.begin(), s.end(), out);
    }
    // Raw bytes, not ControlSegment[kInline]: that would zero 512 bytes on every decode, and a
    // byte array implicitly creates the (implicit-lifetime) segments written into it.
    ControlSegment* inlineData() { return reinterpret_cast<ControlSegment*>(inline_); }
    alignas(ControlSegment) std::byte inline_[kInline * sizeof(ControlSegment)];
    std::vector<ControlSegment> heap_;
    const ControlSegment* data_ = inlineData();
    std::size_t size_ = 0;
};

// The kept segments of every connection, each connection's as one run of bytes addressed by a
// byte offset (Connection::firstSegment) and a count (Connection::segmentCount).
//
// Stored 32 bytes a segment, they were the largest part of an analysis (110 MB of its ~270 MB
// on 500k connections). Each is coded instead against what the connection's earlier segments
// predict: its time as the difference from the previous segment's; its sequence number from
// what its sender was next expected to send, and its ACK from what the peer was (both usually
// 0 or a few bytes off); its frame number and TCP timestamp as differences too; the payload
// length and the count of unkept data segments only when not 0. Differences are zigzag varints
// (LEB128), so a segment takes ~14 bytes on average (500k connections: 49 MB instead of 110).
// Lossless: decoding gives back every field (ControlSegment::link is not stored: it is 0 in an
// Analysis).
class SegmentStore {
public:
    // The most bytes one segment can take: two header bytes, zigzag time (10), seq and ack (5
    // each), frame (5), TSval (5), payload and dataBefore (3 each).
    static constexpr std::size_t kMaxBytesPerSegment = 2 + 10 + 5 + 5 + 5 + 5 + 3 + 3;

    // Appends one connection's segments; returns their offset (for Connection::firstSegment).
    std::uint32_t append(std::span<const ControlSegment> segments);
    // Appends bytes coded by encode() for `segments` segments (a Finaliser worker's batch);
    // returns their offset. Not thread-safe: callers take turns. Within the reservation, the
    // bytes are written in blocks from `pool` where it has them (BlockPool::prepare).
    std::uint32_t appendEncoded(std::span<const std::uint8_t> bytes, std::size_t segments, BlockPool* pool = nullptr);
    // Codes one connection's segments at the end of `out`.
    static void encode(std::span<const ControlSegment> segments, std::vector<std::uint8_t>& out);

    SegmentList decode(std::uint32_t offset, std::uint32_t count) const;
    void decodeInto(std::uint32_t offset, std::uint32_t count, ControlSegment* out) const;
    // The time of segment `index` of the run at `offset` (decodes the ones before it).
    TimeNs timeOf(std::uint32_t offset, std::uint32_t index) const;

    // Address space for `bytes` in all: pages are touched only as they are written.
    void reserve(std::size_t bytes) { bytes_.reserve(bytes); }
    void clear() {
        bytes_.clear();
        segmentTotal_ = 0;
    }
    std::size_t byteSize() const { return bytes_.size(); }
    // Returns the reserved pages past the bytes to the kernel (releaseUnusedTail).
    void releaseUnusedTail() { twlens::releaseUnusedTail(bytes_); }
    // Where the run at `offset` starts (to prefetch it).
    const std::uint8_t* bytesAt(std::uint32_t offset) const { return bytes_.data() + offset; }
    std::size_t segmentTotal() const { return segmentTotal_; }

private:
    std::uint32_t offsetForAppend() const;
    BlockVector<std::uint8_t> bytes_;
    std::size_t segmentTotal_ = 0;
};

} // namespace twlens
