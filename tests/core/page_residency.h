// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Which pages are resident, for the tests of prefaulting and of the block pool (mincore(2)).
#include <sys/mman.h>

#include <QString>
#include <cerrno>
#include <cstddef>
#include <vector>

namespace twlens::test {

inline constexpr std::size_t kPage = 4096;

// Which of the pages from `base` are resident, as '1'/'0' per page; "unmapped" when any of them
// is not mapped at all (ENOMEM).
inline QString residency(const void* base, std::size_t pages) {
    std::vector<unsigned char> v(pages);
    if (::mincore(const_cast<void*>(base), pages * kPage, v.data()) != 0)
        return errno == ENOMEM ? QStringLiteral("unmapped") : QStringLiteral("mincore failed");
    QString s;
    for (unsigned char c : v)
        s += (c & 1) ? QLatin1Char('1') : QLatin1Char('0');
    return s;
}

// Whether this kernel has MADV_POPULATE_WRITE (Linux 5.14); older ones leave pages to fault
// in on first write, and prefaultForWrite is then a no-op by design.
inline bool kernelPopulates() {
    void* probe = ::mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const bool ok = ::madvise(probe, kPage, MADV_POPULATE_WRITE) == 0;
    ::munmap(probe, kPage);
    return ok;
}

} // namespace twlens::test
