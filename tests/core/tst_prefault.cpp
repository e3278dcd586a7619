// SPDX-License-Identifier: GPL-3.0-or-later
// prefaultForWrite maps exactly the pages under the range it is given, keeps what they hold, and
// leaves the pages outside alone (populated pages count in the peak RSS whether written or not);
// prefaultAppend maps the next elements' pages of a reserved vector; ChunkedVector maps a new
// chunk's pages when it allocates it.
#include <QtTest>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "core/reconstruct/chunked_vector.h"
#include "core/support/prefault.h"

using namespace twlens;

namespace {
constexpr std::size_t kPage = 4096;

// Which of the pages from `base` are resident (mincore), as '1'/'0' per page.
QString residency(const void* base, std::size_t pages) {
    std::vector<unsigned char> v(pages);
    if (::mincore(const_cast<void*>(base), pages * kPage, v.data()) != 0)
        return QStringLiteral("mincore failed");
    QString s;
    for (unsigned char c : v)
        s += (c & 1) ? QLatin1Char('1') : QLatin1Char('0');
    return s;
}

// Whether this kernel has MADV_POPULATE_WRITE (Linux 5.14); older ones leave pages to fault
// in on first write, and prefaultForWrite is then a no-op by design.
bool kernelPopulates() {
    void* probe = ::mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const bool ok = ::madvise(probe, kPage, MADV_POPULATE_WRITE) == 0;
    ::munmap(probe, kPage);
    return ok;
}

struct Mapping {
    explicit Mapping(std::size_t pages)
        : size(pages * kPage),
          base(static_cast<char*>(::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))) {}
    ~Mapping() { ::munmap(base, size); }
    std::size_t size;
    char* base;
};
} // namespace

class TestPrefault : public QObject {
    Q_OBJECT

private slots:
    void mapsTheRangesPagesAndKeepsTheirContents() {
        QCOMPARE(static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)), kPage);
        Mapping m(16);
        QVERIFY(m.base != MAP_FAILED);
        // Page 2 written before: its bytes must survive (an advice that drops pages would zero them).
        std::memset(m.base + 2 * kPage, 0xab, kPage);
        QCOMPARE(residency(m.base, 16), QStringLiteral("0010000000000000"));
        // From the middle of page 2 to the middle of page 9: pages 2..9, nothing else.
        prefaultForWrite(m.base + 2 * kPage + 100, 7 * kPage);
        if (kernelPopulates())
            QCOMPARE(residency(m.base, 16), QStringLiteral("0011111111000000"));
        else
            QCOMPARE(residency(m.base, 16), QStringLiteral("0010000000000000"));
        for (std::size_t i = 0; i < kPage; ++i)
            QCOMPARE(static_cast<unsigned char>(m.base[2 * kPage + i]), static_cast<unsigned char>(0xab));
        for (std::size_t i = 3 * kPage; i < 10 * kPage; ++i)
            QCOMPARE(m.base[i], '\0');
    }

    void smallRangesAreLeftToFault() {
        Mapping m(8);
        QVERIFY(m.base != MAP_FAILED);
        prefaultForWrite(m.base + kPage, 4 * kPage - 1); // under four pages: not worth a system call
        QCOMPARE(residency(m.base, 8), QStringLiteral("00000000"));
        prefaultForWrite(m.base + kPage, 0);
        QCOMPARE(residency(m.base, 8), QStringLiteral("00000000"));
    }

    // A reserved vector: the pages of the next elements appended, only when the capacity holds
    // them (a reallocation would write them elsewhere).
    void appendMapsTheReservedPagesNext() {
        std::vector<std::uint64_t> v;
        v.reserve(64 * kPage / sizeof(std::uint64_t)); // a fresh mapping at this size
        v.push_back(7);
        // The first page boundary after the element written. The allocator may have written
        // more (ASan fills an allocation's first 4 KiB): what was resident before is the baseline.
        const auto page = reinterpret_cast<const char*>((reinterpret_cast<std::uintptr_t>(v.data() + 1) + kPage - 1) & ~(kPage - 1));
        const QString before = residency(page, 62);
        QVERIFY(before.count(QLatin1Char('0')) >= 60); // the mapping is fresh: nearly nothing resident
        const std::size_t perPage = kPage / sizeof(std::uint64_t);
        prefaultAppend(v, v.capacity()); // one more than the capacity holds: nothing
        QCOMPARE(residency(page, 62), before);
        // From just after the first element through the page boundary and 10 pages beyond.
        const std::size_t count = static_cast<std::size_t>(page - reinterpret_cast<const char*>(v.data())) / sizeof(std::uint64_t) - 1 + 10 * perPage;
        prefaultAppend(v, count);
        QString expected = before;
        if (kernelPopulates())
            expected.replace(0, 10, QString(10, QLatin1Char('1')));
        QCOMPARE(residency(page, 62), expected);
        QCOMPARE(v.size(), std::size_t{1});
        QCOMPARE(v[0], std::uint64_t{7});
    }

    void chunkedVectorMapsANewChunk() {
        // 64 pages a chunk; operator new hands out a fresh mapping at this size.
        recon::ChunkedVector<std::uint64_t, 64 * kPage / sizeof(std::uint64_t)> v;
        v.push_back(42);
        QCOMPARE(v[0], std::uint64_t{42});
        const auto first = reinterpret_cast<std::uintptr_t>(&v[0]);
        const auto page = reinterpret_cast<const void*>((first + kPage - 1) & ~(kPage - 1));
        // The whole pages of the chunk after the one written are resident too (without
        // MADV_POPULATE_WRITE the first write maps its own page only).
        const QString expected = kernelPopulates() ? QString(62, QLatin1Char('1')) : QString(62, QLatin1Char('0'));
        QCOMPARE(residency(page, 62), expected);
    }
};

QTEST_GUILESS_MAIN(TestPrefault)
#include "tst_prefault.moc"
