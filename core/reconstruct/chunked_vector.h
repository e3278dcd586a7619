// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <vector>

#include "core/support/block_pool.h"
#include "core/support/prefault.h"

namespace twlens::recon {

// An append-only store in fixed-size chunks. Unlike std::vector it never copies what it holds
// when it grows, so the peak memory of a growing store stays at its size (a vector doubling from
// N to 2N briefly holds 3N), and chunks can be released from the front while the contents are
// moved into their final place (see Finaliser).
//
// A chunk is one 2 MiB block of a BlockPool (as many elements as fit), taken from the pool and
// given back to it when released, so that the Finaliser can move freed chunks under the arrays
// it writes. Without a pool, chunks are mapped and unmapped on their own.
template <typename T>
class ChunkedVector {
public:
    // As many elements as fit in a block, rounded down to a power of two: operator[] runs several
    // times a packet on the live records, where a division by 7280 (288-byte records) replaced
    // the shift of the 2048-record chunks before blocks. The rest of such a block is never
    // populated, so it costs address space only.
    static constexpr std::size_t kChunk = std::bit_floor(BlockPool::kBlock / sizeof(T));
    static constexpr std::size_t kSteps = 8; // see kStep

    explicit ChunkedVector(BlockPool* pool = nullptr) : pool_(pool) {}
    ~ChunkedVector() { clear(); }
    ChunkedVector(const ChunkedVector&) = delete;
    ChunkedVector& operator=(const ChunkedVector&) = delete;

    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    T& operator[](std::size_t i) { return chunks_[i / kChunk][i % kChunk]; }
    const T& operator[](std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }

    T& push_back(const T& v) {
        if (size_ % kStep == 0)
            grow();
        // Chunks are raw storage: elements are constructed as they are appended, so a new chunk
        // is not written twice (value-initialising it first cost a memset per chunk).
        T* slot = ::new (chunks_[size_ / kChunk] + size_ % kChunk) T(v);
        ++size_;
        return *slot;
    }

    // Frees the chunk holding element i (used when draining front to back).
    void releaseChunkOf(std::size_t i) { freeChunk(chunks_[i / kChunk]); }
    static constexpr std::size_t chunkSize() { return kChunk; }

    void clear() {
        for (T*& c : chunks_)
            freeChunk(c);
        chunks_.clear();
        chunks_.shrink_to_fit();
        size_ = 0;
    }

    std::size_t bytesAllocated() const { return chunks_.size() * BlockPool::kBlock + chunks_.capacity() * sizeof(void*); }

private:
    static_assert(std::is_trivially_destructible_v<T>, "chunks are freed without running destructors");
    static_assert(alignof(T) <= alignof(std::max_align_t) && kChunk >= kSteps);
    // The pages of a chunk are mapped (prefaultForWrite) a step at a time, ahead of the elements
    // written next: a whole 2 MiB at once would leave up to that much resident and unused behind
    // the last element of each store. A chunk is whole steps, so a new chunk starts a step.
    static constexpr std::size_t kStep = kChunk / kSteps;

    void grow() {
        if (size_ % kChunk == 0) {
            T* chunk = static_cast<T*>(pool_ ? pool_->take() : takeOwn());
            try {
                chunks_.push_back(chunk);
            } catch (...) {
                freeChunk(chunk);
                throw;
            }
        }
        const std::size_t at = size_ % kChunk;
        prefaultForWrite(chunks_.back() + at, std::min(kStep, kChunk - at) * sizeof(T));
    }
    static void* takeOwn() {
        void* p = BlockPool::mapBlocks(BlockPool::kBlock);
        if (!p)
            throw std::bad_alloc();
        return p;
    }
    void freeChunk(T*& c) {
        if (!c)
            return;
        if (pool_)
            pool_->give(c);
        else
            BlockPool::unmapBlocks(c, BlockPool::kBlock);
        c = nullptr;
    }

    BlockPool* pool_;
    std::vector<T*> chunks_;
    std::size_t size_ = 0;
};

} // namespace twlens::recon
