// SPDX-License-Identifier: GPL-3.0-or-later
// radixSortInt64 sorts exactly as std::sort does: any int64 values (the extremes, negatives,
// ranges that end on a digit boundary), capture-like times, duplicates, already sorted and
// reversed inputs, sizes either side of the std::sort cut-over, and a scratch buffer reused
// across inputs of different sizes.
#include <QtTest>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "core/support/radix_sort.h"

using namespace twlens;
using Values = std::vector<std::int64_t>;

Q_DECLARE_METATYPE(Values)

namespace {
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

Values randomValues(std::size_t n, std::uint64_t seed, std::int64_t lo, std::int64_t hi) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> d(lo, hi);
    Values v(n);
    for (std::int64_t& x : v)
        x = d(rng);
    return v;
}
} // namespace

class TestRadixSort : public QObject {
    Q_OBJECT

private slots:
    void asStdSort_data() {
        QTest::addColumn<Values>("values");
        QTest::newRow("empty") << Values{};
        QTest::newRow("one") << Values{kMin};
        QTest::newRow("small, std::sort") << randomValues(1023, 1, kMin, kMax);
        QTest::newRow("full int64 range") << randomValues(50000, 2, kMin, kMax);
        Values extremes = randomValues(5000, 3, -1000, 1000);
        extremes[17] = kMin;
        extremes[4000] = kMax;
        extremes[4001] = kMin;
        QTest::newRow("extremes among small values") << extremes;
        // Window starts of a 6-minute capture in 2023, 475 per ms: 39 bits of range, 4 passes.
        Values times = randomValues(200000, 4, 0, 373'000'000'000);
        for (std::int64_t& t : times)
            t += 1'699'999'200'000'000'000;
        QTest::newRow("capture times") << times;
        QTest::newRow("negative times") << randomValues(30000, 5, -373'000'000'000, -1);
        QTest::newRow("range of exactly 11 bits") << randomValues(20000, 6, 5, 5 + 2047);
        QTest::newRow("range of exactly 22 bits") << randomValues(20000, 7, -100, -100 + (1 << 22) - 1);
        QTest::newRow("range one past 11 bits") << randomValues(20000, 8, 0, 2048);
        QTest::newRow("all equal") << Values(5000, 1'700'000'000'000'000'000);
        QTest::newRow("two values") << randomValues(5000, 9, 41, 42);
        Values sorted = randomValues(40000, 10, 0, 1'000'000'000);
        std::sort(sorted.begin(), sorted.end());
        QTest::newRow("sorted") << sorted;
        std::reverse(sorted.begin(), sorted.end());
        QTest::newRow("reversed") << sorted;
        QTest::newRow("many duplicates") << randomValues(60000, 11, 0, 300);
    }

    void asStdSort() {
        QFETCH(Values, values);
        Values expected = values;
        std::sort(expected.begin(), expected.end());
        Values scratch;
        radixSortInt64(values, scratch);
        QCOMPARE(values.size(), expected.size());
        QVERIFY(values == expected);
    }

    // One scratch for several arrays (timeWaitPeak sorts three with one), bigger and smaller.
    void scratchReused() {
        Values scratch;
        for (const std::size_t n : {30000u, 2000u, 90000u, 1500u, 90000u}) {
            Values v = randomValues(n, n, -5'000'000'000, 5'000'000'000);
            Values expected = v;
            std::sort(expected.begin(), expected.end());
            radixSortInt64(v, scratch);
            QVERIFY(v == expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestRadixSort)
#include "tst_radix_sort.moc"
