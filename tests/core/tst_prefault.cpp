// SPDX-License-Identifier: GPL-3.0-or-later
// prefaultForWrite maps exactly the pages under the range it is given, keeps what they hold, and
// leaves the pages outside alone (populated pages count in the peak RSS whether written or not);
// prefaultAppend maps the next elements' pages of a reserved vector; ChunkedVector maps its
// chunks' pages a step at a time.
#include <QtTest>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "core/reconstruct/chunked_vector.h"
#include "core/support/prefault.h"
#include "page_residency.h"

using namespace twlens;

namespace {
using test::kPage;
using test::kernelPopulates;
using test::residency;

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

    // A chunk is a 2 MiB block (512 pages of uint64_t); its pages are mapped a step (an eighth,
    // 64 pages) at a time, as the elements reach each step.
    void chunkedVectorMapsAChunkAStepAtATime() {
        recon::ChunkedVector<std::uint64_t> v; // no pool: the chunk is a fresh mapping
        constexpr std::size_t kPerPage = kPage / sizeof(std::uint64_t);
        static_assert(recon::ChunkedVector<std::uint64_t>::chunkSize() == 512 * kPerPage);
        v.push_back(42);
        QCOMPARE(v[0], std::uint64_t{42});
        const void* chunk = &v[0];
        QCOMPARE(reinterpret_cast<std::uintptr_t>(chunk) % BlockPool::kBlock, std::uintptr_t{0});
        // Without MADV_POPULATE_WRITE the first write maps its own page only.
        const QString firstStep = kernelPopulates() ? QString(64, QLatin1Char('1')) : QStringLiteral("1") + QString(63, QLatin1Char('0'));
        QCOMPARE(residency(chunk, 128), firstStep + QString(64, QLatin1Char('0')));
        while (v.size() < 64 * kPerPage) // the rest of the first step: nothing more mapped
            v.push_back(v.size());
        QCOMPARE(residency(chunk, 128).mid(64), QString(64, QLatin1Char('0')));
        v.push_back(7); // the second step begins
        const QString secondStep = kernelPopulates() ? QString(64, QLatin1Char('1')) : QStringLiteral("1") + QString(63, QLatin1Char('0'));
        QCOMPARE(residency(chunk, 129).mid(64), secondStep + QLatin1Char('0'));
        QCOMPARE(v[64 * kPerPage], std::uint64_t{7});
        QCOMPARE(v[64 * kPerPage - 1], std::uint64_t{64 * kPerPage - 1});
    }
};

QTEST_GUILESS_MAIN(TestPrefault)
#include "tst_prefault.moc"
