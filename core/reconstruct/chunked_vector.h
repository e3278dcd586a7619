// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "core/support/prefault.h"

namespace twlens::recon {

// An append-only store in fixed-size chunks. Unlike std::vector it never copies what it holds
// when it grows, so the peak memory of a growing store stays at its size (a vector doubling from
// N to 2N briefly holds 3N), and chunks can be released from the front while the contents are
// moved into their final place (see Finaliser).
template <typename T, std::size_t kChunk = 4096>
class ChunkedVector {
public:
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    T& operator[](std::size_t i) { return chunks_[i / kChunk].get()[i % kChunk]; }
    const T& operator[](std::size_t i) const { return chunks_[i / kChunk].get()[i % kChunk]; }

    T& push_back(const T& v) {
        // Chunks are raw storage: elements are constructed as they are appended, so a new chunk
        // is not written twice (value-initialising it first cost a memset per chunk).
        if (size_ % kChunk == 0) {
            chunks_.emplace_back(static_cast<T*>(::operator new(kChunk * sizeof(T), std::align_val_t{alignof(T)})));
            // The chunk will be filled (all but the last chunk of a store): map its pages now.
            prefaultForWrite(chunks_.back().get(), kChunk * sizeof(T));
        }
        T* slot = ::new (chunks_[size_ / kChunk].get() + size_ % kChunk) T(v);
        ++size_;
        return *slot;
    }

    // Frees the chunk holding element i (used when draining front to back).
    void releaseChunkOf(std::size_t i) { chunks_[i / kChunk].reset(); }
    static constexpr std::size_t chunkSize() { return kChunk; }

    void clear() {
        chunks_.clear();
        chunks_.shrink_to_fit();
        size_ = 0;
    }

    std::size_t bytesAllocated() const { return chunks_.size() * kChunk * sizeof(T) + chunks_.capacity() * sizeof(void*); }

private:
    static_assert(std::is_trivially_destructible_v<T>, "chunks are freed without running destructors");
    struct Free {
        void operator()(T* p) const { ::operator delete(p, std::align_val_t{alignof(T)}); }
    };
    std::vector<std::unique_ptr<T, Free>> chunks_;
    std::size_t size_ = 0;
};

} // namespace twlens::recon
