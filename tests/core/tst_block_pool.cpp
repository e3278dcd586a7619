// SPDX-License-Identifier: GPL-3.0-or-later
// BlockPool: blocks are 2 MiB and aligned to 2 MiB, kept blocks come back with what they held,
// the pool keeps no more than it is allowed to or told it will need; prepare() moves kept blocks
// under the whole blocks an append reaches first (their old bytes show there, the array's own
// bytes before them stay, each block is taken once) and populates the rest; BlockAllocator maps
// big arrays on block boundaries; releaseUnusedTail drops the pages past the elements;
// ChunkedVector's chunks go around through the pool.
#include <QtTest>

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "core/reconstruct/chunked_vector.h"
#include "core/support/block_pool.h"
#include "page_residency.h"

using namespace twlens;
using test::kernelPopulates;
using test::kPage;
using test::residency;

namespace {
constexpr std::size_t kBlock = BlockPool::kBlock;
constexpr std::size_t kBlockPages = kBlock / kPage;

bool aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % kBlock == 0; }

// Whether every byte of [p, p + bytes) is `value`.
bool filledWith(const void* p, std::size_t bytes, unsigned char value) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < bytes; ++i)
        if (b[i] != value)
            return false;
    return true;
}

// Blocks of the pool's, each written all over with its value (so resident), given back to it
// in that order.
std::vector<void*> giveFilled(BlockPool& pool, std::initializer_list<unsigned char> values) {
    std::vector<void*> blocks;
    for (std::size_t i = 0; i < values.size(); ++i)
        blocks.push_back(pool.take());
    std::size_t i = 0;
    for (unsigned char v : values) {
        std::memset(blocks[i], v, kBlock);
        pool.give(blocks[i++]);
    }
    return blocks;
}

// Takes n blocks from the pool, then gives them all back in the order taken.
std::vector<void*> takeAndGive(BlockPool& pool, std::size_t n) {
    std::vector<void*> blocks;
    for (std::size_t i = 0; i < n; ++i)
        blocks.push_back(pool.take());
    for (void* b : blocks)
        pool.give(b);
    return blocks;
}

QString ones(std::size_t n) { return QString(static_cast<qsizetype>(n), QLatin1Char('1')); }
QString zeros(std::size_t n) { return QString(static_cast<qsizetype>(n), QLatin1Char('0')); }
} // namespace

class TestBlockPool : public QObject {
    Q_OBJECT

private slots:
    void mapsOnBlockBoundariesWithNothingResident() {
        const std::size_t bytes = 3 * kBlock + 5; // rounded up to whole pages
        auto* p = static_cast<unsigned char*>(BlockPool::mapBlocks(bytes));
        QVERIFY(p != nullptr);
        QVERIFY(aligned(p));
        const std::size_t pages = 3 * kBlockPages + 1;
        QCOMPARE(residency(p, pages), zeros(pages));
        p[0] = 1;
        p[bytes - 1] = 2; // the last byte is in the mapping
        QCOMPARE(residency(p, pages), QStringLiteral("1") + zeros(pages - 2) + QStringLiteral("1"));
        BlockPool::unmapBlocks(p, bytes);
        QCOMPARE(residency(p, 1), QStringLiteral("unmapped"));
        QCOMPARE(BlockPool::mapBlocks(0), nullptr);
    }

    void keptBlocksComeBackWithWhatTheyHeld() {
        BlockPool pool;
        void* b = giveFilled(pool, {0x5a}).front();
        QVERIFY(aligned(b));
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        void* again = pool.take();
        QCOMPARE(again, b);
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        QCOMPARE(residency(again, kBlockPages), ones(kBlockPages));
        QVERIFY(filledWith(again, kBlock, 0x5a));
        void* fresh = pool.take(); // none kept: a new mapping, nothing resident
        QVERIFY(fresh != b);
        QVERIFY(aligned(fresh));
        QCOMPARE(residency(fresh, kBlockPages), zeros(kBlockPages));
        pool.give(again);
        pool.give(fresh);
        QCOMPARE(pool.keptBlocks(), std::size_t{2});
        pool.release();
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        QCOMPARE(residency(again, 1), QStringLiteral("unmapped"));
        QCOMPARE(residency(fresh, 1), QStringLiteral("unmapped"));
    }

    void keepsNoMoreThanAllowed() {
        BlockPool pool(1);
        void* a = pool.take();
        void* b = pool.take();
        pool.give(a);
        pool.give(b); // beyond the limit: unmapped at once
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        QCOMPARE(residency(a, 1), QStringLiteral("0"));
        QCOMPARE(residency(b, 1), QStringLiteral("unmapped"));
    }

    // expect(): the pool keeps no more blocks than it is told will be written, nor more at a time
    // than it is told to; every block boundary prepare() passes counts one off, moved there or not.
    void keepsNoMoreThanExpected() {
        BlockPool pool;
        void* a = pool.take();
        void* b = pool.take();
        void* c = pool.take();
        pool.expect(2, 8);
        pool.give(a);
        pool.give(b);
        pool.give(c);
        QCOMPARE(pool.keptBlocks(), std::size_t{2});
        QCOMPARE(residency(c, 1), QStringLiteral("unmapped"));
        auto* array = static_cast<unsigned char*>(BlockPool::mapBlocks(4 * kBlock));
        QVERIFY(array != nullptr);
        pool.prepare(array, kBlock + 10, array + 4 * kBlock); // two boundaries: both moved
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        void* d = pool.take(); // a new mapping; none expected any more: unmapped when given
        pool.give(d);
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        QCOMPARE(residency(d, 1), QStringLiteral("unmapped"));
        // Boundaries passed with nothing kept count off too.
        pool.expect(3, 8);
        pool.prepare(array + 2 * kBlock, kBlock + 10, array + 4 * kBlock); // two boundaries, populated
        const std::vector<void*> ef = takeAndGive(pool, 2); // one more expected: one kept
        void* e = ef[0];
        void* f = ef[1];
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        QCOMPARE(residency(f, 1), QStringLiteral("unmapped"));
        // Lowering the expectation unmaps the excess at once.
        pool.expect(0, 8);
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        QCOMPARE(residency(e, 1), QStringLiteral("unmapped"));
        BlockPool::unmapBlocks(array, 4 * kBlock);
        // The second limit: no more kept at a time than that, however many are expected; it only
        // ever lowers the constructor's.
        pool.expect(10, 1);
        const std::vector<void*> gh = takeAndGive(pool, 2);
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        QCOMPARE(residency(gh[1], 1), QStringLiteral("unmapped"));
        BlockPool capped(1);
        capped.expect(10, 5);
        takeAndGive(capped, 2);
        QCOMPARE(capped.keptBlocks(), std::size_t{1});
    }

    // An array of three whole blocks and 100 KiB more. An append from byte 100 (the bytes before
    // it written already) to 50 KiB into the third block reaches the starts of the second and the
    // third: kept blocks move there (the last given first); the rest of the first block is
    // populated. The block a later append starts inside of is not taken again.
    void prepareMovesKeptBlocksUnderWholeBlocks() {
        BlockPool pool;
        const std::size_t bytes = 3 * kBlock + 100 * 1024;
        auto* array = static_cast<unsigned char*>(BlockPool::mapBlocks(bytes));
        QVERIFY(array != nullptr);
        std::memset(array, 0x11, 100);
        const std::vector<void*> given = giveFilled(pool, {0xa1, 0xa2});
        void* a1 = given[0];
        void* a2 = given[1];
        pool.prepare(array + 100, 2 * kBlock + 50 * 1024 - 100, array + bytes);
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        QVERIFY(filledWith(array, 100, 0x11));
        QVERIFY(filledWith(array + kBlock, kBlock, 0xa2));
        QVERIFY(filledWith(array + 2 * kBlock, kBlock, 0xa1));
        QCOMPARE(residency(a1, 1), QStringLiteral("unmapped")); // moved, not copied
        QCOMPARE(residency(a2, 1), QStringLiteral("unmapped"));
        if (kernelPopulates())
            QCOMPARE(residency(array, 3 * kBlockPages + 25), ones(3 * kBlockPages) + zeros(25));
        // A later append inside the third block: its bytes are the array's now.
        std::memset(array + 2 * kBlock, 0x33, 50 * 1024);
        giveFilled(pool, {0xa3});
        pool.prepare(array + 2 * kBlock + 50 * 1024, kBlock - 50 * 1024 + 8 * 1024, array + bytes);
        // It reaches the fourth block's start, but the array ends 100 KiB into it: no whole
        // block, so nothing moved, and its first two pages populated.
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        QVERIFY(filledWith(array + 2 * kBlock, 50 * 1024, 0x33));
        QVERIFY(filledWith(array + 2 * kBlock + 50 * 1024, kBlock - 50 * 1024, 0xa1));
        if (kernelPopulates())
            QCOMPARE(residency(array + 3 * kBlock, 25), ones(2) + zeros(23));
        BlockPool::unmapBlocks(array, bytes);
    }

    // With no block kept, prepare populates the range, as prefaultForWrite does.
    void prepareWithNothingKeptPopulates() {
        BlockPool pool;
        auto* array = static_cast<unsigned char*>(BlockPool::mapBlocks(2 * kBlock));
        QVERIFY(array != nullptr);
        pool.prepare(array + kBlock - 3 * kPage, 10 * kPage, array + 2 * kBlock);
        const QString expected = kernelPopulates() ? zeros(kBlockPages - 3) + ones(10) + zeros(kBlockPages - 7) : zeros(2 * kBlockPages);
        QCOMPARE(residency(array, 2 * kBlockPages), expected);
        BlockPool::unmapBlocks(array, 2 * kBlock);
    }

    void allocatorMapsBigArraysOnBlockBoundaries() {
        BlockVector<std::uint64_t> big;
        big.reserve(kBlock / sizeof(std::uint64_t));
        QVERIFY(aligned(big.data()));
        QCOMPARE(residency(big.data(), kBlockPages), zeros(kBlockPages));
        big.assign(10, 3);
        big.reserve(3 * kBlock / sizeof(std::uint64_t)); // a new mapping, the elements copied over
        QVERIFY(aligned(big.data()));
        QCOMPARE(big[9], std::uint64_t{3});
        BlockVector<std::uint64_t> small(100, 7); // from the heap
        QCOMPARE(small[99], std::uint64_t{7});
        QVERIFY(!BlockAllocator<std::uint64_t>::mapped(small.capacity()));
        QVERIFY(BlockAllocator<std::uint64_t>::mapped(big.capacity()));
    }

    // prepareAppend: from the vector's end, within its capacity only.
    void prepareAppendGoesWhereTheNextElementsGo() {
        BlockPool pool;
        BlockVector<std::uint32_t> v;
        const std::size_t perBlock = kBlock / sizeof(std::uint32_t);
        v.reserve(2 * perBlock);
        v.assign(perBlock - 10, 9);
        giveFilled(pool, {0xb1});
        prepareAppend(pool, v, 3 * perBlock); // more than the capacity holds: nothing
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        prepareAppend(pool, v, 20); // reaches the second block's start
        QCOMPARE(pool.keptBlocks(), std::size_t{0});
        QVERIFY(filledWith(v.data() + perBlock, kBlock, 0xb1));
        QCOMPARE(v[perBlock - 11], std::uint32_t{9});
        v.insert(v.end(), 20, 4);
        QCOMPARE(v[perBlock + 9], std::uint32_t{4});
    }

    void releaseUnusedTailDropsThePagesPastTheElements() {
        BlockVector<std::uint8_t> v;
        v.reserve(2 * kBlock);
        v.resize(2 * kBlock, 0x77);
        QCOMPARE(residency(v.data(), 2 * kBlockPages), ones(2 * kBlockPages));
        v.resize(kPage + 1);
        releaseUnusedTail(v);
        QCOMPARE(residency(v.data(), 2 * kBlockPages), ones(2) + zeros(2 * kBlockPages - 2));
        QCOMPARE(v[kPage], std::uint8_t{0x77});
        QCOMPARE(v.capacity(), 2 * kBlock);
        v.resize(3 * kPage); // pages written again come back zeroed
        QCOMPARE(v[2 * kPage], std::uint8_t{0});
    }

    void chunkedVectorChunksGoAroundThroughThePool() {
        BlockPool pool;
        void* last = nullptr;
        {
            recon::ChunkedVector<std::uint64_t> v(&pool);
            const std::size_t perChunk = recon::ChunkedVector<std::uint64_t>::chunkSize();
            QCOMPARE(perChunk, kBlock / sizeof(std::uint64_t));
            for (std::size_t i = 0; i < perChunk + 1; ++i)
                v.push_back(i);
            QVERIFY(aligned(&v[0]));
            last = &v[perChunk];
            QVERIFY(aligned(last));
            QCOMPARE(v[perChunk], std::uint64_t{perChunk});
            v.releaseChunkOf(5);
            QCOMPARE(pool.keptBlocks(), std::size_t{1});
            QCOMPARE(v[perChunk], std::uint64_t{perChunk}); // the other chunk stays
        } // the second chunk goes back too
        QCOMPARE(pool.keptBlocks(), std::size_t{2});
        recon::ChunkedVector<std::uint64_t> w(&pool);
        w.push_back(1);
        QCOMPARE(pool.keptBlocks(), std::size_t{1});
        QCOMPARE(static_cast<void*>(&w[0]), last); // the block given back last, not a new mapping
        QCOMPARE(residency(&w[0], kBlockPages), ones(64) + zeros(kBlockPages - 64)); // as it was left
    }
};

QTEST_GUILESS_MAIN(TestBlockPool)
#include "tst_block_pool.moc"
