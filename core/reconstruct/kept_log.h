// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/model/connection.h"
#include "core/reconstruct/chunked_vector.h"

namespace twlens::recon {

// The kept segments of every connection while the input is read, in arrival order, each
// connection's chained in its own order (SegmentTracker appends and splices, the Finaliser walks
// the chains and frees the log chunk by chunk).
//
// The link to a segment's successor lives in the segment itself (ControlSegment::link, which is
// padding otherwise) as the forward distance in the log: a connection's next kept segment nearly
// always arrives within 65534 kept segments of the one before it. The rest (a connection quiet
// for a long while on a busy capture, a held repeat spliced in behind later segments) are marked
// far and looked up in a small open-addressing table. A separate array of 32-bit links cost 4
// bytes a kept segment (14 MB at 500k connections) and, for the Finaliser, a cache miss more
// per segment gathered.
class KeptLog {
public:
    static constexpr std::uint32_t kEnd = UINT32_MAX;
    static constexpr std::size_t kChunk = ChunkedVector<ControlSegment>::chunkSize();

    // Chunks come from `pool` and go back to it as they are drained (see BlockPool).
    explicit KeptLog(BlockPool* pool = nullptr) : entries_(pool) {}

    std::uint32_t size() const { return static_cast<std::uint32_t>(entries_.size()); }
    ControlSegment& operator[](std::uint32_t i) { return entries_[i]; }
    const ControlSegment& operator[](std::uint32_t i) const { return entries_[i]; }

    // Appends a segment with no successor; returns its index.
    std::uint32_t append(ControlSegment c) {
        c.link = kLinkEnd;
        const auto index = size();
        entries_.push_back(c);
        return index;
    }
    // Appends a segment at the end of a chain given by its head, tail and length (a live
    // connection's, or a finalised one's that still gets a late segment); returns its index.
    template <typename Count>
    std::uint32_t appendTo(std::uint32_t& head, std::uint32_t& tail, Count& length, const ControlSegment& c) {
        const std::uint32_t index = append(c);
        if (length == 0)
            head = index;
        else
            setNext(tail, index);
        tail = index;
        ++length;
        return index;
    }
    std::uint32_t next(std::uint32_t i) const {
        const std::uint16_t link = entries_[i].link;
        if (link == kLinkEnd)
            return kEnd;
        return link != kLinkFar ? i + link : far_.find(i);
    }
    void setNext(std::uint32_t i, std::uint32_t successor) {
        std::uint16_t& link = entries_[i].link;
        if (successor == kEnd) {
            link = kLinkEnd; // a far entry left behind for i is never read again
        } else if (successor > i && successor - i < kLinkFar) {
            link = static_cast<std::uint16_t>(successor - i);
        } else {
            link = kLinkFar;
            far_.set(i, successor);
        }
    }

    // Draining (the Finaliser): every entry is taken once, by whichever thread gathers its chain,
    // and a chunk is freed as soon as its last entry is taken, so the log shrinks while the result
    // grows. startDrain counts each chunk's entries; taken() counts some off (from any thread:
    // entries are only read until then, and each chunk is freed once).
    static std::uint32_t chunkOf(std::uint32_t i) { return static_cast<std::uint32_t>(i / kChunk); }
    void startDrain() {
        const std::size_t n = size();
        const std::size_t chunks = (n + kChunk - 1) / kChunk;
        left_ = std::make_unique<std::atomic<std::uint32_t>[]>(chunks);
        for (std::size_t k = 0; k < chunks; ++k)
            left_[k].store(static_cast<std::uint32_t>(std::min(kChunk, n - k * kChunk)), std::memory_order_relaxed);
    }
    void taken(std::uint32_t chunk, std::uint32_t count) {
        if (left_[chunk].fetch_sub(count, std::memory_order_acq_rel) == count)
            entries_.releaseChunkOf(std::size_t{chunk} * kChunk);
    }
    void clear() {
        entries_.clear();
        far_ = {};
        left_.reset();
    }

private:
    static constexpr std::uint16_t kLinkEnd = 0;
    static constexpr std::uint16_t kLinkFar = UINT16_MAX;

    // Log index -> successor, for the far links: linear probing over a power-of-two array, load
    // at most 1/2, no deletion (links only change by being set again).
    class FarLinks {
    public:
        void set(std::uint32_t from, std::uint32_t to) {
            if ((count_ + 1) * 2 > slots_.size())
                grow();
            Slot& s = slots_[probe(from)];
            if (s.from == kEmpty)
                ++count_;
            s = {from, to};
        }
        std::uint32_t find(std::uint32_t from) const {
            const Slot& s = slots_[probe(from)];
            return s.from == from ? s.to : kEnd;
        }

    private:
        static constexpr std::uint32_t kEmpty = UINT32_MAX;
        struct Slot {
            std::uint32_t from = kEmpty;
            std::uint32_t to = kEnd;
        };
        std::size_t probe(std::uint32_t from) const {
            const std::size_t mask = slots_.size() - 1;
            std::size_t pos = static_cast<std::size_t>((from * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
            while (slots_[pos].from != kEmpty && slots_[pos].from != from)
                pos = (pos + 1) & mask;
            return pos;
        }
        void grow() {
            std::vector<Slot> old(std::max<std::size_t>(1024, slots_.size() * 2));
            old.swap(slots_);
            for (const Slot& s : old)
                if (s.from != kEmpty)
                    slots_[probe(s.from)] = s;
        }
        std::vector<Slot> slots_;
        std::size_t count_ = 0;
    };

    ChunkedVector<ControlSegment> entries_;
    FarLinks far_;
    std::unique_ptr<std::atomic<std::uint32_t>[]> left_; // while draining: entries not taken, by chunk
};

} // namespace twlens::recon
