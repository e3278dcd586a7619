// SPDX-License-Identifier: GPL-3.0-or-later
// SegmentStore: the coded kept segments must decode to exactly what was stored, whatever the
// values (sequence wrap, clocks going back, saturated counts), and stay small on real teardowns.
#include <QtTest>

#include <random>
#include <vector>

#include "core/model/segment_store.h"
#include "core/model/tcp_flags.h"
#include "importers/analyze_files.h"

using namespace twlens;

namespace {

bool same(const ControlSegment& a, const ControlSegment& b) {
    return a.ts == b.ts && a.seq == b.seq && a.ack == b.ack && a.frame == b.frame && a.tsVal == b.tsVal &&
           a.payload == b.payload && a.dataBefore == b.dataBefore && a.flags == b.flags && a.meta == b.meta && b.link == 0;
}

ControlSegment segment(TimeNs ts, std::uint32_t seq, std::uint32_t ack, std::uint32_t frame, std::uint8_t flags,
                       std::uint8_t meta = 0) {
    return {.ts = ts, .seq = seq, .ack = ack, .frame = frame, .flags = flags, .meta = meta};
}

constexpr std::uint8_t kAllMeta = ControlSegment::FromServer | ControlSegment::Retransmission |
                                  ControlSegment::TapDuplicate | ControlSegment::HasTimestamp | ControlSegment::OptionsCut;

} // namespace

class TstSegmentStore : public QObject {
    Q_OBJECT
private slots:
    void edgeValuesRoundTrip();
    void randomSegmentsRoundTrip();
    void longRunsUseTheHeap();
    void batchesKeepTheirOffsets();
    void realTeardownIsSmall();
};

void TstSegmentStore::edgeValuesRoundTrip() {
    std::vector<ControlSegment> in;
    in.push_back(segment(INT64_MAX, 0xFFFFFFF0u, 0, UINT32_MAX, tcpflag::SYN));     // seq about to wrap
    in.push_back(segment(kNoTime, 0x10u, 0xFFFFFFF1u, 1, 0xFF, kAllMeta));          // clock back to the minimum, all bits
    in.back().tsVal = UINT32_MAX;
    in.back().payload = UINT16_MAX;
    in.back().dataBefore = UINT16_MAX;
    in.push_back(segment(0, 0, 0, 0, tcpflag::ACK, ControlSegment::HasTimestamp)); // a timestamp of 0 is kept as 0
    in.push_back(segment(-5, 7, 3, 2, tcpflag::RST, ControlSegment::FromServer));  // negative time, ACK field without ACK
    in.back().link = 77;                                                           // not stored: 0 in an Analysis
    in.push_back(segment(1'700'000'000'123'456'789, 0x80000000u, 0x7FFFFFFFu, 12345678, tcpflag::FIN | tcpflag::ACK));
    SegmentStore store;
    const std::uint32_t at = store.append(in);
    QCOMPARE(at, 0u);
    QCOMPARE(store.segmentTotal(), in.size());
    const SegmentList out = store.decode(at, static_cast<std::uint32_t>(in.size()));
    QCOMPARE(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        QVERIFY2(same(in[i], out[i]), qPrintable(QString("segment %1").arg(i)));
        QCOMPARE(store.timeOf(at, static_cast<std::uint32_t>(i)), in[i].ts);
    }
    QCOMPARE(out[3].link, std::uint16_t(0));
}

void TstSegmentStore::randomSegmentsRoundTrip() {
    std::mt19937_64 rng(20261205);
    SegmentStore store;
    std::vector<std::vector<ControlSegment>> runs;
    std::vector<std::uint32_t> offsets;
    for (int r = 0; r < 2000; ++r) {
        std::vector<ControlSegment> run(rng() % 24);
        for (ControlSegment& s : run) {
            // Half the fields near the previous ones (what real teardowns look like), half anything.
            const bool wild = rng() % 2;
            const ControlSegment* prev = &s == run.data() ? nullptr : &s - 1;
            s.ts = wild || !prev ? static_cast<TimeNs>(rng()) : prev->ts + static_cast<TimeNs>(rng() % 2'000'000);
            s.seq = wild || !prev ? static_cast<std::uint32_t>(rng()) : prev->seq + static_cast<std::uint32_t>(rng() % 3000);
            s.ack = static_cast<std::uint32_t>(rng());
            s.frame = wild || !prev ? static_cast<std::uint32_t>(rng()) : prev->frame + static_cast<std::uint32_t>(rng() % 20);
            s.tsVal = rng() % 3 == 0 ? 0 : static_cast<std::uint32_t>(rng());
            s.payload = rng() % 2 ? 0 : static_cast<std::uint16_t>(rng());
            s.dataBefore = rng() % 2 ? 0 : static_cast<std::uint16_t>(rng());
            s.flags = static_cast<std::uint8_t>(rng());
            s.meta = static_cast<std::uint8_t>(rng()) & kAllMeta;
        }
        offsets.push_back(store.append(run));
        runs.push_back(std::move(run));
    }
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const SegmentList out = store.decode(offsets[r], static_cast<std::uint32_t>(runs[r].size()));
        QCOMPARE(out.size(), runs[r].size());
        for (std::size_t i = 0; i < out.size(); ++i)
            QVERIFY2(same(runs[r][i], out[i]), qPrintable(QString("run %1 segment %2").arg(r).arg(i)));
    }
}

void TstSegmentStore::longRunsUseTheHeap() {
    std::vector<ControlSegment> in;
    for (std::uint32_t i = 0; i < 40; ++i)
        in.push_back(segment(1000 + i, 100 + i, 0, i + 1, tcpflag::ACK));
    SegmentStore store;
    store.append(std::vector<ControlSegment>(3, segment(1, 2, 3, 4, tcpflag::SYN)));
    const std::uint32_t at = store.append(in);
    const SegmentList out = store.decode(at, 40);
    SegmentList copy = out; // a copy points at its own segments
    QCOMPARE(copy.size(), std::size_t(40));
    QVERIFY(copy.data() != out.data());
    QCOMPARE(copy[39].frame, 40u);
    QCOMPARE(copy[39].seq, 139u);
    const SegmentList small = store.decode(0, 3);
    copy = small;
    QCOMPARE(copy.size(), std::size_t(3));
    QVERIFY(copy.data() != small.data());
    QCOMPARE(copy[2].ack, 3u);
}

void TstSegmentStore::batchesKeepTheirOffsets() {
    // The Finaliser codes a batch of connections and appends it in one go.
    const std::vector<ControlSegment> a{segment(10, 1, 0, 1, tcpflag::SYN), segment(11, 2, 0, 2, tcpflag::SYN)};
    const std::vector<ControlSegment> b{segment(20, 5, 6, 7, tcpflag::RST)};
    SegmentStore store;
    store.append(b);
    std::vector<std::uint8_t> batch;
    SegmentStore::encode(a, batch);
    const std::size_t bAt = batch.size();
    SegmentStore::encode(b, batch);
    const std::uint32_t base = store.appendEncoded(batch, 3);
    QCOMPARE(store.segmentTotal(), std::size_t(4));
    QCOMPARE(store.byteSize(), std::size_t(base) + batch.size());
    QVERIFY(same(store.decode(base, 2)[1], a[1]));
    QVERIFY(same(store.decode(base + static_cast<std::uint32_t>(bAt), 1)[0], b[0]));
    QVERIFY(same(store.decode(0, 1)[0], b[0]));
}

void TstSegmentStore::realTeardownIsSmall() {
    // A real client close (tests/data/kernel): 6 kept segments with timestamps. Stored whole they
    // took 32 bytes each (192).
    AnalyzeRequest r;
    r.paths.push_back(TWLENS_TEST_DATA "/kernel/client_close/client.pcap");
    const auto result = analyzeFiles(r, nullptr, {});
    QVERIFY(result.ok());
    const Analysis& a = *result.value();
    QCOMPARE(a.connections.size(), std::size_t(1));
    QCOMPARE(a.segments.segmentTotal(), std::size_t(6));
    QCOMPARE(a.segments.byteSize(), std::size_t(79)); // 13 bytes a segment
}

QTEST_GUILESS_MAIN(TstSegmentStore)
#include "tst_segment_store.moc"
