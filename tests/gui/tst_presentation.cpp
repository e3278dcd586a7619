// SPDX-License-Identifier: GPL-3.0-or-later
// core/presentation: the numbers and layouts the views show, checked on the hand-built scenario
// (analysis_builder.cpp tells its story).
#include <QTest>

#include "analysis_builder.h"
#include "core/model/tcp_flags.h"
#include "core/presentation/connection_filter.h"
#include "core/presentation/exhaustion_projection.h"
#include "core/presentation/ladder_rows.h"
#include "core/presentation/overview_summary.h"
#include "core/presentation/state_spans.h"
#include "core/presentation/time_wait_series.h"
#include "core/presentation/tuple_rows.h"

using namespace twlens;
using twlens::testing::at;

class TestPresentation : public QObject {
    Q_OBJECT
private slots:
    void timeWaitConcurrency_steps();
    void thinForPlot_keepsPeaks();
    void tupleRows_groupIncarnations();
    void tupleRows_overlapping();
    void stateSpans_timeWaitPastCaptureEnd();
    void ladder_lostFinalAck();
    void ladder_timerAndBracket();
    void filter_parse();
    void exhaustion_usablePortsOf();
    void exhaustion_exhaustedOrProjected();
    void filter_matches_data();
    void filter_matches();
    void overview_counts();
};

void TestPresentation::timeWaitConcurrency_steps() {
    const auto a = testing::teardownScenario();
    const auto series = timeWaitConcurrency(*a);
    // Windows: #0 [2.3005, 30), #2 [31.2, 91.2), #3 [80.2, 140.2).
    QCOMPARE(series.size(), std::size_t(6));
    QCOMPARE(series[0].ts, at(2.3005));
    QCOMPARE(series[0].count, 1u);
    QCOMPARE(series[1].ts, at(30.0));
    QCOMPARE(series[1].count, 0u);
    QCOMPARE(series[3].ts, at(80.2));
    QCOMPARE(series[3].count, 2u);
    const CountPeak peak = peakOf(series);
    QCOMPARE(peak.count, 2u);
    QCOMPARE(peak.at, at(80.2));
}

void TestPresentation::thinForPlot_keepsPeaks() {
    std::vector<CountPoint> s;
    for (int i = 0; i < 10000; ++i)
        s.push_back({TimeNs(i) * kNsPerMs, std::uint32_t(i == 5001 ? 900 : i % 10)});
    const auto thin = thinForPlot(s, 100);
    QVERIFY(thin.size() <= 101);
    std::uint32_t maxCount = 0;
    for (const auto& p : thin)
        maxCount = std::max(maxCount, p.count);
    QCOMPARE(maxCount, 900u);
    QCOMPARE(thin.back().ts, s.back().ts);
}

void TestPresentation::tupleRows_groupIncarnations() {
    const auto a = testing::teardownScenario();
    const TupleRows rows(*a);
    QCOMPARE(rows.rowCount(), std::size_t(3));
    QCOMPARE(std::vector<std::uint32_t>(rows.incarnations(0).begin(), rows.incarnations(0).end()),
             (std::vector<std::uint32_t>{0, 2}));
    QCOMPARE(std::vector<std::uint32_t>(rows.incarnations(1).begin(), rows.incarnations(1).end()),
             (std::vector<std::uint32_t>{1}));
    QCOMPARE(std::vector<std::uint32_t>(rows.incarnations(2).begin(), rows.incarnations(2).end()),
             (std::vector<std::uint32_t>{3}));
    QCOMPARE(rows.rowOf(2), std::size_t(0));
    QCOMPARE(rows.rowOf(3), std::size_t(2));
}

void TestPresentation::tupleRows_overlapping() {
    const auto a = testing::teardownScenario();
    const TupleRows rows(*a);
    // Row 0: #0 spans 1 .. 30 s (TIME_WAIT cut by the reuse), #2 spans 30 .. 91.2 s.
    QCOMPARE(rows.overlapping(*a, 0, at(10), at(20)), (std::pair<std::size_t, std::size_t>{0, 1}));
    QCOMPARE(rows.overlapping(*a, 0, at(29), at(31)), (std::pair<std::size_t, std::size_t>{0, 2}));
    QCOMPARE(rows.overlapping(*a, 0, at(50), at(60)), (std::pair<std::size_t, std::size_t>{1, 2}));
    QCOMPARE(rows.overlapping(*a, 0, at(95), at(99)), (std::pair<std::size_t, std::size_t>{2, 2}));
    QCOMPARE(rows.overlapping(*a, 0, at(-5), at(0.5)), (std::pair<std::size_t, std::size_t>{0, 0}));
}

void TestPresentation::stateSpans_timeWaitPastCaptureEnd() {
    const auto a = testing::teardownScenario();
    std::vector<StateSpan> spans;
    stateSpans(*a, a->connections[3], Side::Client, captureEndOf(*a), spans);
    // SYN_SENT, ESTABLISHED, FIN_WAIT_1, then TIME_WAIT 80.1 .. 100 seen and 100 .. 140.2 past the end.
    QCOMPARE(spans.size(), std::size_t(5));
    QCOMPARE(spans[0].state, TcpState::SynSent);
    QCOMPARE(spans[1].state, TcpState::Established);
    QCOMPARE(spans[1].from, at(70.002));
    QCOMPARE(spans[1].to, at(80.0));
    QCOMPARE(spans[2].state, TcpState::FinWait1);
    QCOMPARE(spans[3].state, TcpState::TimeWait);
    QCOMPARE(spans[3].from, at(80.1));
    QCOMPARE(spans[3].to, at(100.0));
    QVERIFY(!spans[3].pastCaptureEnd);
    QCOMPARE(spans[4].from, at(100.0));
    QCOMPARE(spans[4].to, at(140.2));
    QVERIFY(spans[4].pastCaptureEnd);
    // The server ends CLOSED: LAST_ACK is its last span.
    stateSpans(*a, a->connections[3], Side::Server, captureEndOf(*a), spans);
    QCOMPARE(spans.back().state, TcpState::LastAck);
    QCOMPARE(spans.back().to, at(80.2));
}

void TestPresentation::ladder_lostFinalAck() {
    const auto a = testing::teardownScenario();
    const Ladder L = buildLadder(*a, 0);
    QCOMPARE(QString::fromStdString(L.client), QStringLiteral("10.0.0.1:40000"));
    QCOMPARE(QString::fromStdString(L.server), QStringLiteral("10.0.0.2:80"));
    QVERIFY(L.isnSeen[0] && L.isnSeen[1]);
    QStringList text;
    for (const LadderRow& r : L.rows)
        text << QString::fromStdString(describeRow(r));
    QCOMPARE(text, (QStringList{"SYN seq=0", "SYN,ACK seq=0 ack=1", "ACK seq=1 ack=1", "7 data segments",
                                "FIN,ACK seq=101 ack=801", "ACK seq=801 ack=102", "FIN,ACK seq=801 ack=102",
                                "ACK seq=102 ack=802", "FIN,ACK seq=801 ack=102", "ACK seq=102 ack=802"}));
    QCOMPARE(L.rows[3].kind, LadderRow::Kind::DataPhase);
    QCOMPARE(L.rows[3].dataSegments, 7u);
    QCOMPARE(L.rows[4].enters[0], TcpState::FinWait1);
    QCOMPARE(L.rows[4].enters[1], TcpState::CloseWait);
    QCOMPARE(L.rows[6].enters[1], TcpState::LastAck);
    QCOMPARE(L.rows[7].enters[0], TcpState::TimeWait);
    QVERIFY(L.rows[8].meta & ControlSegment::Retransmission);
    QCOMPARE(L.rows[8].hazards, std::vector<std::uint32_t>{0});
    QCOMPARE(L.rows[9].enters[1], TcpState::Closed);
    // One TIME_WAIT window, from the re-ACK (the timer restarts), cut short by the reuse.
    QCOMPARE(L.timeWaits.size(), std::size_t(1));
    QCOMPARE(L.timeWaits[0].side, Side::Client);
    QCOMPARE(L.timeWaits[0].firstRow, std::size_t(9));
    QCOMPARE(L.timeWaits[0].reason, TimeWaitEnd::Reused);
    QCOMPARE(L.timeWaits[0].end - L.timeWaits[0].start, fromSeconds(30.0 - 2.3005));
    QVERIFY(!L.timeWaits[0].pastCaptureEnd);
}

void TestPresentation::ladder_timerAndBracket() {
    const auto a = testing::teardownScenario();
    const Ladder L = buildLadder(*a, 2);
    QCOMPARE(L.rows.size(), std::size_t(7));
    QCOMPARE(L.rows.back().kind, LadderRow::Kind::TimerExpiry);
    QCOMPARE(L.rows.back().ts, at(91.2));
    QCOMPARE(L.rows.back().enters[1], TcpState::Closed);
    QCOMPARE(L.timeWaits.size(), std::size_t(1));
    QCOMPARE(L.timeWaits[0].side, Side::Server);
    QCOMPARE(L.timeWaits[0].firstRow, std::size_t(4));
    QCOMPARE(L.timeWaits[0].lastRow, std::size_t(6));
    QCOMPARE(L.rows[0].hazards, std::vector<std::uint32_t>{1});
    const Ladder none = buildLadder(*a, 99);
    QCOMPARE(none.connection, kNoIndex);
    QVERIFY(none.rows.empty());
}

void TestPresentation::exhaustion_usablePortsOf() {
    // What the text summary and the report state as "N ports": the counted usable ports, the whole
    // range when none were counted (sample-sysctl.txt's 41000-41015 is 16 ports).
    Exhaustion e;
    QCOMPARE(usablePortsOf(e), std::uint32_t(28232)); // 32768-60999
    e.portLow = 41000;
    e.portHigh = 41015;
    QCOMPARE(usablePortsOf(e), std::uint32_t(16));
    e.usablePorts = 12; // four of them reserved
    QCOMPARE(usablePortsOf(e), std::uint32_t(12));
}

void TestPresentation::exhaustion_exhaustedOrProjected() {
    // The destinations the text summary and the report name as at risk: ran out, or projected to.
    Exhaustion e;
    e.usablePorts = 20;
    e.peakPortsInUse = 19; // nearly full, but neither ran out nor projected: calm here
    QCOMPARE(exhaustedOrProjected(e), false);
    e.projectedExhaustionAt = at(10.0);
    QCOMPARE(exhaustedOrProjected(e), true);
    e.exhaustedAt = at(4.0);
    QCOMPARE(exhaustedOrProjected(e), true);
    e.projectedExhaustionAt = kNoTime;
    QCOMPARE(exhaustedOrProjected(e), true);
    e.exhaustedAt = kNoTime;
    QCOMPARE(exhaustedOrProjected(e), false);
}

void TestPresentation::filter_parse() {
    const ConnectionFilter f = parseConnectionFilter("10.0.0.1  closer:client hazard:any is:lost-final-ack port:80 443 close:bogus");
    QCOMPARE(f.anyEnd, std::vector<std::string>{"10.0.0.1"});
    QVERIFY(f.closer && *f.closer == Closer::Client);
    QCOMPARE(f.hazard, std::string("any"));
    QVERIFY(f.lostFinalAck);
    QCOMPARE(f.ports, (std::vector<std::uint16_t>{80, 443}));
    QCOMPARE(f.errors, std::vector<std::string>{"close:bogus"});
    QVERIFY(parseConnectionFilter("   ").empty());
    // IPv6 text is address text, not an unknown key.
    QCOMPARE(parseConnectionFilter("2001:db8::1").anyEnd, std::vector<std::string>{"2001:db8::1"});
}

void TestPresentation::filter_matches_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<int>>("ids");
    QTest::newRow("empty") << "" << QList<int>{0, 1, 2, 3};
    QTest::newRow("address") << "10.0.0.1" << QList<int>{0, 2};
    QTest::newRow("ip:port") << "10.0.0.1:40000" << QList<int>{0, 2};
    QTest::newRow("port") << "443" << QList<int>{3};
    QTest::newRow("server end") << "server:10.0.0.2:80" << QList<int>{0, 1, 2};
    QTest::newRow("client end") << "client:10.0.0.2" << QList<int>{};
    QTest::newRow("closer client") << "closer:client" << QList<int>{0, 3};
    QTest::newRow("closer server") << "closer:server" << QList<int>{2};
    QTest::newRow("closer none") << "closer:none" << QList<int>{1};
    QTest::newRow("close rst") << "close:rst" << QList<int>{1};
    QTest::newRow("hazard any") << "hazard:any" << QList<int>{0, 2};
    QTest::newRow("hazard kind") << "hazard:lost_final_ack" << QList<int>{0};
    QTest::newRow("lost ack") << "is:lost-final-ack" << QList<int>{0};
    QTest::newRow("time wait") << "is:time-wait" << QList<int>{0, 2, 3};
    QTest::newRow("reused") << "is:reused" << QList<int>{2};
    QTest::newRow("and") << "closer:client 443" << QList<int>{3};
}

void TestPresentation::filter_matches() {
    QFETCH(QString, text);
    QFETCH(QList<int>, ids);
    const auto a = testing::teardownScenario();
    const ConnectionMatcher m(*a);
    const ConnectionFilter f = parseConnectionFilter(text.toStdString());
    QList<int> got;
    for (const Connection& c : a->connections)
        if (m.matches(c, f))
            got << int(c.id);
    QCOMPARE(got, ids);
}

void TestPresentation::overview_counts() {
    const auto a = testing::teardownScenario();
    const OverviewSummary s = summarize(*a);
    QCOMPARE(s.stats.connections, 4u);
    QCOMPARE(s.stats.closers[std::size_t(Closer::Client)], 2u);
    QCOMPARE(s.stats.closers[std::size_t(Closer::Server)], 1u);
    QCOMPARE(s.stats.closers[std::size_t(Closer::None)], 1u);
    QCOMPARE(s.stats.timeWaitWindows, 3u);
    QCOMPARE(s.stats.peak.count, 2u);
    QCOMPARE(s.stats.peak.at, at(80.2));
    QCOMPARE(s.stats.lostFinalAck, 1u);
    QCOMPARE(s.hazardGroups.size(), std::size_t(2));
    QCOMPARE(s.hazardGroups[0].kind, std::string("reuse_within_time_wait")); // critical first
    QCOMPARE(s.hazardGroups[1].kind, std::string("lost_final_ack"));
    QCOMPARE(s.headroom.size(), std::size_t(1));
    QCOMPARE(s.headroom[0].headroom, 28230u);
    QCOMPARE(s.captureStart, at(0));
    QCOMPARE(s.captureEnd, at(100));
    QCOMPARE(s.packets, 64u);
}

QTEST_GUILESS_MAIN(TestPresentation)
#include "tst_presentation.moc"
