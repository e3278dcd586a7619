// SPDX-License-Identifier: GPL-3.0-or-later
// The human summary and the statistics behind it: TIME_WAIT peak sweep, closers, reuse gaps,
// hazards grouped by kind, exhaustion verdict first.
#include <QtTest>

#include <algorithm>
#include <array>
#include <random>
#include <sstream>
#include <string>

#include "core/output/teardown_stats.h"
#include "core/output/text_summary.h"
#include "core/output/time_format.h"
#include "sample_analysis.h"

using namespace twlens;

namespace {

// TIME_WAIT windows as (start, end) in seconds after kT0.
using Windows = QList<QPair<double, double>>;

Analysis withWindows(const Windows& windows) {
    Analysis a;
    a.addresses.push_back(*IpAddress::parse("192.0.2.1"));
    for (const auto& [start, end] : windows) {
        Connection c;
        c.id = static_cast<std::uint32_t>(a.connections.size());
        c.timeWaitCount = 1;
        c.timeWait[0] = {test::kT0 + fromSeconds(start), test::kT0 + fromSeconds(end), Side::Client,
                         TimeWaitEnd::Expired};
        a.connections.push_back(c);
    }
    return a;
}

QStringList lines(const std::string& text) { return QString::fromStdString(text).split('\n'); }

} // namespace

class TestTextSummary : public QObject {
    Q_OBJECT

private:
    std::string text_;
    QStringList lines_;

private slots:
    void initTestCase() {
        std::ostringstream out;
        writeTextSummary(test::sampleAnalysis(), out);
        text_ = out.str();
        lines_ = lines(text_);
    }

    void timeWaitPeak_data() {
        QTest::addColumn<Windows>("windows");
        QTest::addColumn<qulonglong>("count");
        QTest::addColumn<double>("at");     // seconds after kT0, -1 = none
        QTest::addColumn<double>("until");  // seconds after kT0, -1 = none
        using W = Windows;
        QTest::newRow("none") << W{} << 0ull << -1.0 << -1.0;
        QTest::newRow("one") << W{{1, 61}} << 1ull << 1.0 << 61.0;
        QTest::newRow("overlapping") << W{{0, 60}, {10, 70}, {20, 80}} << 3ull << 20.0 << 60.0;
        // Half-open windows: one ending exactly when the next starts does not overlap it.
        QTest::newRow("touching") << W{{0, 60}, {60, 120}} << 1ull << 0.0 << 60.0;
        QTest::newRow("nested") << W{{0, 100}, {10, 20}, {30, 40}} << 2ull << 10.0 << 20.0;
        QTest::newRow("unsorted input") << W{{50, 110}, {0, 60}, {55, 56}} << 3ull << 55.0 << 56.0;
        // An empty window (reused the instant it began) holds nothing, alone or beside others.
        QTest::newRow("empty") << W{{10, 10}} << 0ull << -1.0 << -1.0;
        QTest::newRow("empty ones at a start") << W{{10, 10}, {10, 10}, {10, 70}} << 1ull << 10.0 << 70.0;
        QTest::newRow("empty inside another") << W{{0, 60}, {30, 30}, {40, 50}} << 2ull << 40.0 << 50.0;
        // Whole 60 s windows (their ends follow their starts) and cut ones (ends kept apart) mixed:
        // ending together, and one cut short inside a whole one.
        QTest::newRow("whole and cut ending together") << W{{0, 60}, {30, 60}, {60, 120}} << 2ull << 30.0 << 60.0;
        QTest::newRow("cut inside whole ones") << W{{0, 60}, {5, 7}, {6, 66}, {6.5, 6.75}} << 4ull << 6.5 << 6.75;
        QTest::newRow("later higher peak") << W{{0, 5}, {1, 6}, {100, 160}, {101, 161}, {102, 162}} << 3ull
                                           << 102.0 << 160.0;
    }
    void timeWaitPeak() {
        QFETCH(Windows, windows);
        QFETCH(qulonglong, count);
        QFETCH(double, at);
        QFETCH(double, until);
        const TimeWaitPeak p = twlens::timeWaitPeak(withWindows(windows));
        QCOMPARE(qulonglong(p.count), count);
        QCOMPARE(p.at, at < 0 ? kNoTime : test::kT0 + fromSeconds(at));
        QCOMPARE(p.until, until < 0 ? kNoTime : test::kT0 + fromSeconds(until));
    }

    // From 65536 connections on, teardownStats works out the peak on a second thread while it
    // counts: the same figures as timeWaitPeak alone. 70,000 windows of 60 s, one a millisecond:
    // 60,000 open from the 60,000th start (59.999 s) until the first ends (60 s).
    void peakOnBigInputs() {
        Windows windows;
        for (int i = 0; i < 70000; ++i)
            windows.push_back({i * 0.001, i * 0.001 + 60});
        const Analysis a = withWindows(windows);
        const TeardownStats s = teardownStats(a);
        QCOMPARE(s.timeWaitWindows, 70000u);
        QCOMPARE(s.peak.count, 60000u);
        QCOMPARE(s.peak.at, test::kT0 + fromSeconds(59999 * 0.001));
        QCOMPARE(s.peak.until, test::kT0 + fromSeconds(60.0));
        const TimeWaitPeak alone = twlens::timeWaitPeak(a);
        QCOMPARE(s.peak.count, alone.count);
        QCOMPARE(s.peak.at, alone.at);
        QCOMPARE(s.peak.until, alone.until);
    }

    // On big inputs (65536 connections on) teardownStats counts on one thread while the peak is
    // worked out on another. Every figure must be what the small-input path (one thread) finds on
    // the two halves of the connections, added up: the counts summed, the examples the first
    // ones in connection order and the shortest gaps of both, and the peak what a plain sweep over
    // (time, +1/-1) finds; on a mix of whole and cut windows, flags, closers and reuse gaps.
    void bigInputsAsTheHalvesAddUp() {
        constexpr std::uint32_t kN = 70001;
        Analysis a;
        for (int h = 0; h < 50; ++h)
            a.addresses.push_back(*IpAddress::parse("192.0.2." + std::to_string(h + 1)));
        const TimeNs length = a.settings.twLength();
        std::mt19937_64 rng(7);
        for (std::uint32_t i = 0; i < kN; ++i) {
            Connection c;
            c.id = i;
            c.clientAddr = static_cast<std::uint32_t>(rng() % 50);
            c.serverAddr = static_cast<std::uint32_t>(rng() % 50);
            c.set(Connection::SynSeen, i % 2 == 0);
            c.set(Connection::RolesInferred, i % 3 == 0);
            c.set(Connection::OneSided, i % 5 == 0);
            c.set(Connection::MidStream, i % 7 == 0);
            // The lost final ACKs: one early, the rest late; the first five are the examples.
            c.set(Connection::LostFinalAck, i == 3 || i == 40000 || i == 40001 || i == 50000 || i == 60000 || i == 69999);
            c.activeCloser = static_cast<Closer>(i % 4);
            c.closeKind = static_cast<CloseKind>(i % 5);
            c.finRetransmissions = static_cast<std::uint16_t>(i % 3);
            c.timeWaitCount = static_cast<std::uint8_t>(i % 3);
            for (std::uint8_t w = 0; w < c.timeWaitCount; ++w) {
                const TimeNs start = test::kT0 + static_cast<TimeNs>(rng() % (600 * kNsPerSecond));
                const bool whole = rng() % 4 != 0;
                const TimeNs end = whole ? start + length : start + static_cast<TimeNs>(rng() % (length + 1));
                c.timeWait[w] = {start, end, w == 0 ? Side::Client : Side::Server,
                                 whole ? TimeWaitEnd::Expired : static_cast<TimeWaitEnd>(1 + rng() % 2)};
            }
            if (i % 10 == 1) {
                c.previousIncarnation = i - 1;
                // Gaps shrink towards the end: the shortest ones are the last connections.
                c.reuseGap = i % 30 == 1 ? kNoTime : static_cast<TimeNs>(kN - i) * kNsPerMs;
            }
            a.connections.push_back(c);
        }

        // The halves through the small-input path (each under 65536 connections).
        constexpr std::uint32_t kHalf = kN / 2;
        Analysis halves[2];
        for (Analysis& h : halves)
            h.addresses = a.addresses;
        halves[0].connections.assign(a.connections.begin(), a.connections.begin() + kHalf);
        halves[1].connections.assign(a.connections.begin() + kHalf, a.connections.end());
        const TeardownStats p = teardownStats(halves[0]), q = teardownStats(halves[1]);
        QVERIFY(p.minReuseGap != kNoTime && q.minReuseGap != kNoTime); // both halves reuse 4-tuples
        const auto sum = [](auto x, const auto& y) {
            for (std::size_t i = 0; i < x.size(); ++i)
                x[i] += y[i];
            return x;
        };
        TeardownStats e;
        e.synSeen = p.synSeen + q.synSeen;
        e.rolesInferred = p.rolesInferred + q.rolesInferred;
        e.oneSided = p.oneSided + q.oneSided;
        e.midStream = p.midStream + q.midStream;
        e.closers = sum(p.closers, q.closers);
        e.closeKinds = sum(p.closeKinds, q.closeKinds);
        e.finRetransmissions = p.finRetransmissions + q.finRetransmissions;
        e.timeWaitWindows = p.timeWaitWindows + q.timeWaitWindows;
        e.timeWaitBySide = sum(p.timeWaitBySide, q.timeWaitBySide);
        e.timeWaitByEnd = sum(p.timeWaitByEnd, q.timeWaitByEnd);
        std::vector<std::uint64_t> holders(a.addresses.size());
        for (const TeardownStats* half : {&p, &q})
            for (const TeardownStats::Holder& h : half->timeWaitHolders)
                holders[h.address] += h.windows;
        e.lostFinalAck = p.lostFinalAck + q.lostFinalAck;
        e.lostFinalAckExamples = p.lostFinalAckExamples;
        e.lostFinalAckExamples.insert(e.lostFinalAckExamples.end(), q.lostFinalAckExamples.begin(), q.lostFinalAckExamples.end());
        e.lostFinalAckExamples.resize(std::min<std::size_t>(e.lostFinalAckExamples.size(), TeardownStats::kExamples));
        e.reused = p.reused + q.reused;
        e.reusedWithinTimeWait = p.reusedWithinTimeWait + q.reusedWithinTimeWait;
        e.minReuseGap = std::min(p.minReuseGap, q.minReuseGap);
        e.maxReuseGap = std::max(p.maxReuseGap, q.maxReuseGap);
        e.reuseExamples = p.reuseExamples;
        e.reuseExamples.insert(e.reuseExamples.end(), q.reuseExamples.begin(), q.reuseExamples.end());
        std::sort(e.reuseExamples.begin(), e.reuseExamples.end(), [&](std::uint32_t x, std::uint32_t y) {
            return std::pair(a.connections[x].reuseGap, x) < std::pair(a.connections[y].reuseGap, y);
        });
        e.reuseExamples.resize(TeardownStats::kExamples);
        // The peak: every window's start and end as events, ends first at equal times (half-open).
        std::vector<std::pair<TimeNs, int>> events;
        for (const Connection& c : a.connections)
            for (std::uint8_t w = 0; w < c.timeWaitCount; ++w)
                if (c.timeWait[w].end > c.timeWait[w].start) {
                    events.emplace_back(c.timeWait[w].start, +1);
                    events.emplace_back(c.timeWait[w].end, -1);
                }
        std::sort(events.begin(), events.end());
        std::uint64_t open = 0;
        for (const auto& [t, delta] : events) {
            if (delta < 0) {
                if (open == e.peak.count && e.peak.until == kNoTime && e.peak.at != kNoTime)
                    e.peak.until = t;
                --open;
            } else if (++open > e.peak.count) {
                e.peak = {open, t, kNoTime};
            }
        }

        const TeardownStats s = teardownStats(a);
        QCOMPARE(s.connections, std::uint64_t{kN});
        QCOMPARE(s.synSeen, e.synSeen);
        QCOMPARE(s.rolesInferred, e.rolesInferred);
        QCOMPARE(s.oneSided, e.oneSided);
        QCOMPARE(s.midStream, e.midStream);
        QVERIFY(s.closers == e.closers);
        QVERIFY(s.closeKinds == e.closeKinds);
        QCOMPARE(s.finRetransmissions, e.finRetransmissions);
        QCOMPARE(s.timeWaitWindows, e.timeWaitWindows);
        QVERIFY(s.timeWaitBySide == e.timeWaitBySide);
        QVERIFY(s.timeWaitByEnd == e.timeWaitByEnd);
        QCOMPARE(s.timeWaitHolders.size(), a.addresses.size());
        for (const TeardownStats::Holder& h : s.timeWaitHolders)
            QCOMPARE(h.windows, holders[h.address]);
        QCOMPARE(s.lostFinalAck, 6u);
        QCOMPARE(s.lostFinalAckExamples, (std::vector<std::uint32_t>{3, 40000, 40001, 50000, 60000}));
        QCOMPARE(s.lostFinalAckExamples, e.lostFinalAckExamples);
        QCOMPARE(s.reused, e.reused);
        QCOMPARE(s.reusedWithinTimeWait, e.reusedWithinTimeWait);
        QCOMPARE(s.minReuseGap, e.minReuseGap);
        QCOMPARE(s.maxReuseGap, e.maxReuseGap);
        QCOMPARE(s.reuseExamples, e.reuseExamples);
        // And what the construction above makes them, so the counting itself (which both paths
        // share) is pinned too.
        QCOMPARE(s.synSeen, 35001u);
        QCOMPARE(s.rolesInferred, 23334u);
        QCOMPARE(s.oneSided, 14001u);
        QCOMPARE(s.midStream, 10001u);
        QVERIFY((s.closers == std::array<std::uint64_t, 4>{17501, 17500, 17500, 17500}));
        QVERIFY((s.closeKinds == std::array<std::uint64_t, 5>{14001, 14000, 14000, 14000, 14000}));
        QCOMPARE(s.finRetransmissions, 70000u);
        QCOMPARE(s.timeWaitWindows, 70000u);
        QVERIFY((s.timeWaitBySide == std::array<std::uint64_t, 2>{46667, 23333}));
        QCOMPARE(s.reused, 7000u);
        QCOMPARE(s.reusedWithinTimeWait, 3999u);
        QCOMPARE(s.minReuseGap, 20 * kNsPerMs);
        QCOMPARE(s.maxReuseGap, 69990 * kNsPerMs);
        QCOMPARE(s.reuseExamples, (std::vector<std::uint32_t>{69981, 69971, 69951, 69941, 69921}));
        QVERIFY(e.peak.count > 1000);
        QCOMPARE(s.peak.count, e.peak.count);
        QCOMPARE(s.peak.at, e.peak.at);
        QCOMPARE(s.peak.until, e.peak.until);
    }

    void stats() {
        const Analysis a = test::sampleAnalysis();
        const TeardownStats s = teardownStats(a);
        QCOMPARE(s.connections, 3u);
        QCOMPARE(s.closers[static_cast<int>(Closer::Client)], 1u);
        QCOMPARE(s.closers[static_cast<int>(Closer::Server)], 1u);
        QCOMPARE(s.closers[static_cast<int>(Closer::None)], 1u);
        QCOMPARE(s.closeKinds[static_cast<int>(CloseKind::Fin)], 2u);
        QCOMPARE(s.closeKinds[static_cast<int>(CloseKind::Rst)], 1u);
        QCOMPARE(s.timeWaitWindows, 2u);
        QCOMPARE(s.peak.count, 1u);
        QCOMPARE(s.peak.at, test::kT0 + 400 * kNsPerMs);
        QCOMPARE(s.timeWaitHolders.size(), std::size_t(2));
        QCOMPARE(s.lostFinalAck, 1u);
        QCOMPARE(s.lostFinalAckExamples, std::vector<std::uint32_t>{1});
        QCOMPARE(s.reused, 1u);
        QCOMPARE(s.reusedWithinTimeWait, 1u);
        QCOMPARE(s.minReuseGap, 500 * kNsPerMs);
        QCOMPARE(s.hazards.size(), std::size_t(3));
        QCOMPARE(QString::fromStdString(s.hazards[0].kind), QString("reuse_within_time_wait")); // critical first
        QCOMPARE(QString::fromStdString(s.hazards[2].kind), QString("odd, \"quoted\" kind"));
        QCOMPARE(s.warnings, 2u);
        QCOMPARE(s.snapshots, 2u);
        QCOMPARE(s.snapshotTimeWaitMax, 1234);
        QCOMPARE(s.snapshotTimeWaitMaxAt, 1u);
    }

    void hazardExamplesMostSevereFirst() {
        Analysis a;
        for (int i = 0; i < 8; ++i)
            a.hazards.push_back({"lost_final_ack", kNoIndex, test::kT0 + i, i == 6 ? Severity::Critical : Severity::Info,
                                 "", std::to_string(i), {}});
        const TeardownStats s = teardownStats(a);
        QCOMPARE(s.hazards.size(), std::size_t(1));
        QCOMPARE(s.hazards[0].count, 8u);
        QCOMPARE(s.hazards[0].worst, Severity::Critical);
        QCOMPARE(s.hazards[0].examples, (std::vector<std::uint32_t>{6, 0, 1, 2, 3}));
    }

    void verdictComesFirst() {
        QCOMPARE(lines_[0], QString("twlens: 3 TCP connections in 2 inputs"));
        QCOMPARE(lines_[1], QString("  PORTS EXHAUSTED 10.0.0.1 -> 10.0.0.2:80 at 2009-11-18 16:38:23.123456789 UTC: "
                                    "all 1000 ports held (990 in TIME_WAIT)"));
        QCOMPARE(lines_[2], QString("    new connections: peak 25.5/s, sustainable 16.7/s"));
        QCOMPARE(lines_[3], QString("  ... 1 more destination, none at risk (all in the JSON \"exhaustion\" list)"));
        QVERIFY(lines_.indexOf("  Closed first by: client 1, server 1, both (simultaneous) 0; ended by RST 1, still open 0") > 0);
        QVERIFY(lines_.indexOf("  TIME_WAIT: 2 windows (client side 1, server side 1), peak 1 at once at "
                               "2009-11-18 16:38:21.523456789 UTC") > 0);
        QVERIFY(lines_.indexOf("  Lost final ACKs: 1; reused 4-tuples: 1 (1 within the 60 s TIME_WAIT)") > 0);
        QVERIFY(lines_.indexOf("  Hazards: 3 (critical 1, warning 1, info 1)") > 0);
        QVERIFY(lines_.indexOf("    most severe first: reuse_within_time_wait 1, lost_final_ack 1, odd, \"quoted\" kind 1") > 0);
        QVERIFY(lines_.indexOf("  Input warnings: 2 (listed under Inputs)") > 0);
        QVERIFY(lines_.indexOf("  Hazards: 3 (critical 1, warning 1, info 1)") < lines_.indexOf("Inputs"));
    }

    void exactLines_data() {
        QTest::addColumn<QString>("line");
        const char* expected[] = {
            "  captures/edge.pcap: pcap, 25 packets (23 TCP), 2009-11-18 16:38:21.123456789 UTC + 3.000000001 s",
            "    not analysed: 2 non-TCP, 0 IP fragments, 0 undecodable",
            "    warning: byte 5696: invalid packet capture length 4325376",
            "    warning: line 12: unknown state 'FOO'",
            "Connections: 3",
            "  handshake seen 2, started mid-stream 1, roles guessed 1, one direction only 0",
            "  active closer: client 1, server 1, both 0, none 1",
            "  close kind: fin 2, rst 1, simultaneous 0, half_closed 0, open 0",
            "TIME_WAIT (60 s per window, default)",
            "  windows: 2 (client side 1, server side 1)",
            "  ended: expired 1, 4-tuple reused 1, killed by RST 0",
            "  peak: 1 at once from 2009-11-18 16:38:21.523456789 UTC for 0.5 s",
            "  held by: 10.0.0.1 (1), 10.0.0.2 (1)",
            "Lost final ACKs: 1 (FIN retransmissions: 2)",
            "  #1 10.0.0.1:40312 -> 10.0.0.2:80: FIN retransmitted 2 times",
            "Reused 4-tuples: 1 (gap 0.5 s; 1 within 60 s)",
            "  #1 10.0.0.1:40312 -> 10.0.0.2:80: reopened 0.5 s after #0 closed",
            "Hazards: 3",
            "  reuse_within_time_wait: 1, worst critical (RFC 1337)",
            "    #1 2009-11-18 16:38:22.023456789 UTC: SYN reopened 10.0.0.1:40312 -> 10.0.0.2:80 0.5 s into TIME_WAIT",
            "  odd, \"quoted\" kind: 1, worst info",
            "    2009-11-18 16:38:26.123456789 UTC: a hazard not tied to one connection",
            "Snapshots: 2, 2009-11-18 16:38:22.123456789 UTC + 1 s",
            "  most TIME_WAIT sockets: 1234 in snap\xff/ss-tan.txt at 2009-11-18 16:38:23.123456789 UTC",
            "Findings: 1",
            "  [warning] tcp_tw_reuse = 2 reuses TIME_WAIT ports for loopback connections only",
            "    evidence: sysctl.txt:5: net.ipv4.tcp_tw_reuse = 2",
            "Settings: TIME_WAIT 60 s (default), ports 20000-20999 (sysctl.txt:3), tcp_tw_reuse 2 (default), "
            "tcp_rfc1337 1 (command line)",
        };
        for (const char* l : expected)
            QTest::newRow(l) << QString(l);
    }
    void exactLines() {
        QFETCH(QString, line);
        QVERIFY2(lines_.contains(line), qPrintable("missing line: " + line + "\n" + QString::fromStdString(text_)));
    }

    void noConnections() {
        Analysis a;
        InputInfo in;
        in.path = "empty.pcap";
        in.kind = InputKind::Pcap;
        a.inputs.push_back(in);
        std::ostringstream out;
        writeTextSummary(a, out);
        const QStringList l = lines(out.str());
        QCOMPARE(l[0], QString("twlens: 0 TCP connections in 1 input"));
        QCOMPARE(l[1], QString("  No TCP connections found."));
        QCOMPARE(l[2], QString("  Hazards: none"));
        QVERIFY(l.contains("  empty.pcap: pcap, 0 packets (0 TCP)"));
        QVERIFY(out.str().find("Lost final ACKs") == std::string::npos);
    }

    void timeTexts_data() {
        QTest::addColumn<qint64>("ns");
        QTest::addColumn<QString>("utc");
        QTest::addColumn<QString>("duration");
        QTest::newRow("microseconds") << qint64(1258562301'123456000LL) << "2009-11-18 16:38:21.123456 UTC"
                                      << "1258562301.123456 s";
        QTest::newRow("nanoseconds") << qint64(test::kT0) << "2009-11-18 16:38:21.123456789 UTC"
                                     << "1258562301.123456789 s";
        QTest::newRow("whole second") << qint64(60 * kNsPerSecond) << "1970-01-01 00:01:00.000000 UTC" << "60 s";
        QTest::newRow("before 1970") << qint64(-500 * kNsPerMs) << "1969-12-31 23:59:59.500000 UTC" << "-0.5 s";
    }
    void timeTexts() {
        QFETCH(qint64, ns);
        QFETCH(QString, utc);
        QFETCH(QString, duration);
        QCOMPARE(QString::fromStdString(utcText(ns)), utc);
        QCOMPARE(QString::fromStdString(durationText(ns)), duration);
    }
};

QTEST_GUILESS_MAIN(TestTextSummary)
#include "tst_text_summary.moc"
