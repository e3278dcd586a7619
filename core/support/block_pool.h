// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

#include "core/support/prefault.h"

namespace twlens {

// Memory that an analysis frees while it writes its results goes to those results, instead of
// back to the kernel while the results are mapped anew.
//
// Why: writing a page that was just mapped costs far more than writing it again. On the virtual
// machine the benchmark runs on, twlens-bench-page-touch measures ~1.3 ms a MB for the first
// write of populated pages against ~0.06 for the second; on bare metal the first write still
// pays a fault and the zeroing of every page. The Finaliser writes ~160 MB of results on a
// 500k-connection capture while it frees about as much (the live records, the stored
// connections, the log of kept segments).
//
// Pages keep that cheapness only while their page tables stay as they are. mremap of a 2 MiB
// block aligned to 2 MiB, to an address aligned to 2 MiB, moves one page-middle-directory entry
// and the page table under it whole (move_normal_pmd, mm/mremap.c): the pages write at the
// second-write rate in their new place. A move of anything smaller or unaligned goes entry by
// entry and, on that machine, costs as much as fresh memory. So memory goes around in aligned
// blocks of 2 MiB: ChunkedVector's chunks are blocks taken from a BlockPool and given back when
// freed, and arrays that results are appended to (BlockVector, mapped at a block boundary) have
// kept blocks moved under their next whole blocks before those are written (prepareAppend).
class BlockPool {
public:
    static constexpr std::size_t kBlock = std::size_t{2} << 20;

    // Blocks given back beyond `keepAtMost` are unmapped at once: the pool holds what is about
    // to be written again, not a second copy of the peak.
    explicit BlockPool(std::size_t keepAtMost = std::numeric_limits<std::size_t>::max()) : keepAtMost_(keepAtMost) {}
    ~BlockPool() { release(); }
    BlockPool(const BlockPool&) = delete;
    BlockPool& operator=(const BlockPool&) = delete;

    // A block: a kept one (resident, holding whatever it held) or a newly mapped one. Throws
    // std::bad_alloc when the address space is exhausted.
    void* take();
    // Keeps the block for take() and prepare(), or unmaps it: beyond keepAtMost, or beyond the
    // blocks still expected to be written (expect).
    void give(void* block);
    // The blocks the pool's owner expects prepare() to write from now on (each block boundary
    // it passes counts one off, whether a kept block moved there or not), and the most it is to
    // keep at a time from now on (at most the constructor's): the pool keeps no more than
    // either, unmapping the excess at once.
    void expect(std::size_t blocks, std::size_t keepAtMost);
    // Readies [from, from + bytes), the part of an array's storage [.., end) to be written next,
    // for writing: every block boundary B in [from, from + bytes) whose whole block lies before
    // `end` gets a kept block moved to B (while the pool has one); the rest is populated
    // (prefaultForWrite). A block moved in holds old bytes, so this is for storage about to be
    // written only, and the storage must be a mapping of its own (mapBlocks): the move replaces
    // the pages there. Each block is taken at most once as an array grows, when the first append
    // reaches its start.
    void prepare(void* from, std::size_t bytes, const void* end);
    // Unmaps the kept blocks.
    void release();
    std::size_t keptBlocks() const;

    // A private anonymous mapping of `bytes` starting at a block boundary; nullptr on failure.
    static void* mapBlocks(std::size_t bytes);
    static void unmapBlocks(void* p, std::size_t bytes);

private:
    void* popKept();

    // Under mutex_: how many blocks may be kept, and the kept ones beyond that taken out.
    std::size_t keepLimit() const { return keepAtMost_ < expected_ ? keepAtMost_ : expected_; }
    void takeExcess(std::vector<void*>& excess);

    mutable std::mutex mutex_; // blocks are given back from both Finaliser threads
    std::vector<void*> kept_;
    std::size_t keepAtMost_;
    std::size_t expected_ = std::numeric_limits<std::size_t>::max();
};

// An allocator for big arrays that blocks can be moved under: allocations of a block or more
// are mappings of their own at a block boundary (BlockPool::mapBlocks), smaller ones come from
// the heap, where no whole block fits anyway. Stateless: any two compare equal.
template <typename T>
struct BlockAllocator {
    using value_type = T;
    BlockAllocator() = default;
    template <typename U>
    BlockAllocator(const BlockAllocator<U>&) {} // NOLINT: rebinding, as std::allocator

    static bool mapped(std::size_t n) { return n >= BlockPool::kBlock / sizeof(T); }
    T* allocate(std::size_t n) {
        if (!mapped(n))
            return std::allocator<T>{}.allocate(n);
        if (n > std::numeric_limits<std::size_t>::max() / sizeof(T))
            throw std::bad_array_new_length();
        void* p = BlockPool::mapBlocks(n * sizeof(T));
        if (!p)
            throw std::bad_alloc();
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) noexcept {
        if (!mapped(n))
            std::allocator<T>{}.deallocate(p, n);
        else
            BlockPool::unmapBlocks(p, n * sizeof(T));
    }
    template <typename U>
    bool operator==(const BlockAllocator<U>&) const { return true; }
};
static_assert(BlockPool::kBlock % alignof(std::max_align_t) == 0);

template <typename T>
using BlockVector = std::vector<T, BlockAllocator<T>>;

// Readies the storage of the next `count` elements appended to `v` (BlockPool::prepare), when
// its capacity already holds them (a reserved vector: no reallocation moves them elsewhere).
template <typename T>
void prepareAppend(BlockPool& pool, const BlockVector<T>& v, std::size_t count) {
    if (v.capacity() - v.size() >= count)
        pool.prepare(const_cast<T*>(v.data() + v.size()), count * sizeof(T), v.data() + v.capacity());
}

// Appends `items` to v in one copy. A std::vector whose allocator is not std::allocator copies
// element by element on insert (libstdc++'s __uninitialized_copy_a): a byte loop for the coded
// segments, ~24M instructions on a 50k-connection analysis. Here the new elements are zeroed
// (resize, a memset) and then copied over with memcpy.
template <typename T>
void appendCopy(BlockVector<T>& v, std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (items.empty())
        return;
    const std::size_t at = v.size();
    v.resize(at + items.size());
    std::memcpy(v.data() + at, items.data(), items.size_bytes());
}

// Hands the whole pages past v's elements back to the kernel (madvise(MADV_DONTNEED)): a block
// moved under the end of a reserved array is resident beyond what was written. The capacity
// stays; pages written again later come back zeroed.
template <typename T>
void releaseUnusedTail(BlockVector<T>& v) {
    if (!BlockAllocator<T>::mapped(v.capacity()))
        return;
    static const std::uintptr_t kPage = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto from = (reinterpret_cast<std::uintptr_t>(v.data() + v.size()) + kPage - 1) & ~(kPage - 1);
    const auto to = reinterpret_cast<std::uintptr_t>(v.data() + v.capacity()) & ~(kPage - 1);
    if (to > from)
        ::madvise(reinterpret_cast<void*>(from), to - from, MADV_DONTNEED);
}

} // namespace twlens
