// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>

#include <sys/mman.h>
#include <unistd.h>

#include <vector>

namespace twlens {

// Maps the pages under [p, p + bytes), about to be written, in one system call
// (madvise(MADV_POPULATE_WRITE), Linux 5.14) instead of one page fault per page as the writes
// reach them. Freshly allocated memory costs a fault a page either way, but taken one at a time
// each is a trap into the kernel and back: on 500k connections ~100k of them, 13% of the
// analysis' samples on the virtual machine the benchmark runs on (perf: exc_page_fault).
// Only for memory that is written right after: populating does not wait for the first write, so
// pages populated and never written would count in the peak RSS for nothing.
// Best effort: an older kernel (EINVAL) leaves the pages to fault as before. Ranges under four
// pages are not worth the system call. Returns whether the pages were populated.
inline bool prefaultForWrite(const void* p, std::size_t bytes) {
    static const std::uintptr_t kPage = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    if (bytes < 4 * kPage)
        return false;
    // Every page the range touches belongs to the allocation it lies in, so the whole pages
    // around it can be populated: a page already mapped is left as it is.
    const auto from = reinterpret_cast<std::uintptr_t>(p) & ~(kPage - 1);
    const auto to = (reinterpret_cast<std::uintptr_t>(p) + bytes + kPage - 1) & ~(kPage - 1);
    return ::madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE) == 0;
}

// The pages the next `count` elements appended to `v` will be written to, when its capacity
// already holds them (a reserved vector: no reallocation moves them elsewhere first).
template <typename T, typename Allocator>
void prefaultAppend(const std::vector<T, Allocator>& v, std::size_t count) {
    if (v.capacity() - v.size() >= count)
        prefaultForWrite(v.data() + v.size(), count * sizeof(T));
}

} // namespace twlens
