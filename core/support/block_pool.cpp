// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/support/block_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

namespace twlens {

namespace {
std::uintptr_t pageSize() {
    static const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    return page;
}
std::size_t roundToPages(std::size_t bytes) { return (bytes + pageSize() - 1) & ~(pageSize() - 1); }
} // namespace

void* BlockPool::mapBlocks(std::size_t bytes) {
    const std::size_t size = roundToPages(bytes);
    if (size == 0 || size > std::numeric_limits<std::size_t>::max() - kBlock)
        return nullptr;
    // Map a block more than asked and cut off what lies before the first boundary and after
    // the end: mmap only promises page alignment.
    const std::size_t span = size + kBlock;
    void* raw = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return nullptr;
    const auto start = reinterpret_cast<std::uintptr_t>(raw);
    const auto aligned = (start + kBlock - 1) & ~(std::uintptr_t{kBlock} - 1);
    if (aligned > start)
        ::munmap(raw, aligned - start);
    const std::uintptr_t tail = start + span - (aligned + size);
    if (tail > 0)
        ::munmap(reinterpret_cast<void*>(aligned + size), tail);
    return reinterpret_cast<void*>(aligned);
}

void BlockPool::unmapBlocks(void* p, std::size_t bytes) {
    if (p)
        ::munmap(p, roundToPages(bytes));
}

void* BlockPool::take() {
    if (void* kept = popKept())
        return kept;
    void* p = mapBlocks(kBlock);
    if (!p)
        throw std::bad_alloc();
    return p;
}

void BlockPool::give(void* block) {
    if (!block)
        return;
    {
        const std::lock_guard lock(mutex_);
        if (kept_.size() < keepLimit()) {
            try {
                kept_.push_back(block);
                return;
            } catch (const std::bad_alloc&) {
                // no room to remember it: unmap it instead
            }
        }
    }
    unmapBlocks(block, kBlock);
}

void* BlockPool::popKept() {
    const std::lock_guard lock(mutex_);
    if (kept_.empty())
        return nullptr;
    void* p = kept_.back();
    kept_.pop_back();
    return p;
}

void BlockPool::expect(std::size_t blocks, std::size_t keepAtMost) {
    std::vector<void*> excess;
    {
        const std::lock_guard lock(mutex_);
        expected_ = blocks;
        keepAtMost_ = std::min(keepAtMost_, keepAtMost);
        takeExcess(excess);
    }
    for (void* b : excess)
        unmapBlocks(b, kBlock);
}

void BlockPool::takeExcess(std::vector<void*>& excess) {
    while (kept_.size() > keepLimit()) {
        excess.push_back(kept_.back());
        kept_.pop_back();
    }
}

void BlockPool::prepare(void* from, std::size_t bytes, const void* end) {
    const auto begin = reinterpret_cast<std::uintptr_t>(from);
    const auto stop = begin + bytes;
    const auto limit = reinterpret_cast<std::uintptr_t>(end);
    std::uintptr_t populateFrom = begin; // first byte not yet readied
    std::size_t passed = 0;              // whole blocks reached (expect)
    bool moving = true;                  // until the pool runs out
    for (std::uintptr_t b = (begin + kBlock - 1) & ~(std::uintptr_t{kBlock} - 1); b < stop && b + kBlock <= limit; b += kBlock) {
        ++passed;
        void* block = moving ? popKept() : nullptr;
        // MREMAP_FIXED replaces whatever was mapped at b: pages of the array not written yet.
        if (block && ::mremap(block, kBlock, kBlock, MREMAP_MAYMOVE | MREMAP_FIXED, reinterpret_cast<void*>(b)) == MAP_FAILED) {
            give(block);
            block = nullptr;
        }
        if (!block) {
            moving = false; // the rest is populated below
            continue;
        }
        if (b > populateFrom)
            prefaultForWrite(reinterpret_cast<void*>(populateFrom), b - populateFrom);
        populateFrom = b + kBlock;
    }
    if (passed > 0) {
        std::vector<void*> excess;
        {
            const std::lock_guard lock(mutex_);
            expected_ -= std::min(expected_, passed);
            takeExcess(excess);
        }
        for (void* b : excess)
            unmapBlocks(b, kBlock);
    }
    if (stop > populateFrom)
        prefaultForWrite(reinterpret_cast<void*>(populateFrom), stop - populateFrom);
}

void BlockPool::release() {
    std::vector<void*> blocks;
    {
        const std::lock_guard lock(mutex_);
        blocks.swap(kept_);
    }
    for (void* b : blocks)
        unmapBlocks(b, kBlock);
}

std::size_t BlockPool::keptBlocks() const {
    const std::lock_guard lock(mutex_);
    return kept_.size();
}

} // namespace twlens
