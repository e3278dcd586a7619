// SPDX-License-Identifier: GPL-3.0-or-later
// The small pieces the snapshot parsers stand on: time lines, ss/netstat timer texts, endpoints,
// command lines, line sources (plain, gzip, long lines, CRLF), and the core snapshot helpers.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <zlib.h>

#include "core/snapshots/snapshot_summary.h"
#include "importers/snapshot/line_source.h"
#include "importers/snapshot/text_fields.h"
#include "importers/snapshot/text_snapshot_importer.h"
#include "importers/snapshot/time_line.h"

using namespace twlens;

class TestSnapshotText : public QObject {
    Q_OBJECT
private slots:
    void timeLines_data();
    void timeLines();
    void ssDurations_data();
    void ssDurations();
    void netstatSeconds();
    void endpoints_data();
    void endpoints();
    void commandLines();
    void lineSources();
    void timeWaitByDestinationOrder();
    void visibility();
    void seriesOrder();
};

void TestSnapshotText::timeLines_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("ns");
    const int T = int(TimeLine::Kind::Time), N = int(TimeLine::Kind::NotTime), U = int(TimeLine::Kind::Unconvertible);
    const qint64 base = 1795320975LL * kNsPerSecond; // 2026-11-22 04:16:15 UTC
    QTest::newRow("epoch ns") << "1763788800.123456789" << T << qint64(1763788800LL * kNsPerSecond + 123456789);
    QTest::newRow("epoch us, comment") << "# 1763788800.123456" << T << qint64(1763788800LL * kNsPerSecond + 123456000);
    QTest::newRow("epoch s") << "1763788800" << T << qint64(1763788800LL * kNsPerSecond);
    QTest::newRow("C locale") << "Sun Nov 22 04:16:15 UTC 2026" << T << base;
    QTest::newRow("en_US") << "Sun 22 Nov 2026 04:16:15 AM UTC" << T << base;
    QTest::newRow("en_US PM") << "Sun 22 Nov 2026 04:16:15 PM UTC" << T << qint64(base + 12 * 3600 * kNsPerSecond);
    QTest::newRow("date -R") << "Sun, 22 Nov 2026 05:16:15 +0100" << T << base;
    QTest::newRow("date -Is") << "2026-11-22T04:16:15+00:00" << T << base;
    QTest::newRow("rfc-3339=ns") << "2026-11-22 06:16:15.5-00:00" << T << qint64(base + 2 * 3600 * kNsPerSecond + 500000000);
    QTest::newRow("ISO Z") << "2026-11-21T22:16:15Z" << T << qint64(base - 6 * 3600 * kNsPerSecond);
    QTest::newRow("CET") << "Sun Nov 22 05:16:15 CET 2026" << U << qint64(kNoTime);
    QTest::newRow("small number") << "12345" << N << qint64(kNoTime);
    QTest::newRow("ss row") << "ESTAB 0 0 10.0.0.1:22 10.0.0.2:5000" << N << qint64(kNoTime);
    QTest::newRow("proc row") << "   0: 0100007F:1F90 00000000:0000 0A" << N << qint64(kNoTime);
    QTest::newRow("no zone") << "Sun Nov 22 04:16:15 2026" << N << qint64(kNoTime);
    QTest::newRow("bad day") << "Sun Feb 30 04:16:15 UTC 2026" << N << qint64(kNoTime);
}

void TestSnapshotText::timeLines() {
    QFETCH(QString, line);
    QFETCH(int, kind);
    QFETCH(qint64, ns);
    const TimeLine t = parseTimeLine(line.toStdString());
    QCOMPARE(int(t.kind), kind);
    QCOMPARE(qint64(t.ts), ns);
    if (t.kind == TimeLine::Kind::Unconvertible)
        QVERIFY(t.problem.find("CET") != std::string::npos);
}

void TestSnapshotText::ssDurations_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("empty") << "" << qint64(0);
    QTest::newRow("52sec") << "52sec" << qint64(52000);
    QTest::newRow("5.200sec") << "5.200sec" << qint64(5200);
    QTest::newRow("5.432ms (iproute2 6.1)") << "5.432ms" << qint64(5432);
    QTest::newRow("800ms") << "800ms" << qint64(800);
    QTest::newRow("1min5sec") << "1min5sec" << qint64(65000);
    QTest::newRow("119min") << "119min" << qint64(119 * 60000);
    QTest::newRow("bad unit") << "5h" << qint64(-1);
    QTest::newRow("garbage") << "abc" << qint64(-1);
    QTest::newRow("short fraction") << "5.2sec" << qint64(-1);
}

void TestSnapshotText::ssDurations() {
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const auto v = text::parseSsDurationMs(text.toStdString());
    QCOMPARE(v ? qint64(*v) : qint64(-1), ms);
}

void TestSnapshotText::netstatSeconds() {
    QCOMPARE(*text::parseSecondsMs("52.00"), 52000);
    QCOMPARE(*text::parseSecondsMs("7192.31"), 7192310);
    QCOMPARE(*text::parseSecondsMs("0.2"), 200);
    QVERIFY(!text::parseSecondsMs("1.x"));
}

void TestSnapshotText::endpoints_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<int>("port");
    QTest::newRow("v4") << "192.0.2.10:443" << "192.0.2.10" << 443;
    QTest::newRow("mapped") << "[::ffff:192.0.2.10]:443" << "192.0.2.10" << 443;
    QTest::newRow("v6") << "[2001:db8::1]:80" << "2001:db8::1" << 80;
    QTest::newRow("netstat v6") << ":::22" << "::" << 22;
    QTest::newRow("zone v4") << "127.0.0.53%lo:53" << "127.0.0.53" << 53;
    QTest::newRow("zone inside") << "[fe80::1%eth0]:22" << "fe80::1" << 22;
    QTest::newRow("zone after") << "[fe80::1]%eth0:22" << "fe80::1" << 22;
    QTest::newRow("wildcards") << "*:*" << "::" << 0;
    QTest::newRow("wildcard port") << "0.0.0.0:*" << "0.0.0.0" << 0;
    QTest::newRow("bad port") << "10.0.0.1:65536" << "" << -1;
    QTest::newRow("no port") << "10.0.0.1" << "" << -1;
    QTest::newRow("bad address") << "10.0.0.256:1" << "" << -1;
}

void TestSnapshotText::endpoints() {
    QFETCH(QString, text);
    QFETCH(QString, ip);
    QFETCH(int, port);
    const auto e = text::parseEndpoint(text.toStdString());
    if (port < 0) {
        QVERIFY(!e);
        return;
    }
    QVERIFY(e);
    QCOMPARE(QString::fromStdString(e->ip.toString()), ip);
    QCOMPARE(int(e->port), port);
}

void TestSnapshotText::commandLines() {
    std::string_view w[8];
    QCOMPARE(commandWords("$ ss -tan state time-wait", w, 8), std::size_t{4});
    QCOMPARE(w[3], std::string_view("time-wait"));
    QCOMPARE(commandWords("root@web1:~# sudo ss -tn", w, 8), std::size_t{2});
    QCOMPARE(w[0], std::string_view("ss"));
    QCOMPARE(commandWords("# cat /proc/net/sockstat", w, 8), std::size_t{2});
    QCOMPARE(commandWords("ESTAB 0 0 1.2.3.4:1 5.6.7.8:2", w, 8), std::size_t{0});
    QCOMPARE(commandWords("# 1763788800", w, 8), std::size_t{0});
}

void TestSnapshotText::lineSources() {
    // A long line (past the 1 MiB block), CRLF endings and no final newline, plain and gzip.
    const std::string longLine(3u << 20, 'x');
    const std::string text = "first\r\n" + longLine + "\nlast";
    QTemporaryDir dir;
    const std::string plain = dir.path().toStdString() + "/p.txt";
    const std::string gz = dir.path().toStdString() + "/p.txt.gz";
    std::ofstream(plain, std::ios::binary) << text;
    gzFile g = gzopen(gz.c_str(), "wb");
    QVERIFY(g);
    QCOMPARE(gzwrite(g, text.data(), static_cast<unsigned>(text.size())), int(text.size()));
    gzclose(g);
    for (const std::string& p : {plain, gz}) {
        FileLineSource src(p);
        QVERIFY(src.ok());
        std::string_view l;
        QVERIFY(src.next(l));
        QCOMPARE(l, std::string_view("first"));
        QVERIFY(src.next(l));
        QCOMPARE(l.size(), longLine.size());
        QVERIFY(src.next(l));
        QCOMPARE(l, std::string_view("last"));
        QCOMPARE(src.lineNumber(), 3u);
        QVERIFY(!src.next(l));
        QCOMPARE(src.bytesConsumed(), std::uint64_t(text.size()));
    }
    MemoryLineSource m("a\n\nb\n");
    std::string_view l;
    QVERIFY(m.next(l) && l == "a");
    QVERIFY(m.next(l) && l.empty());
    QVERIFY(m.next(l) && l == "b");
    QVERIFY(!m.next(l));
    FileLineSource missing(dir.path().toStdString() + "/none");
    QVERIFY(!missing.ok());
    QVERIFY(!missing.error().empty());
}

void TestSnapshotText::timeWaitByDestinationOrder() {
    auto row = [](const char* ip, std::uint16_t port, TcpState s) {
        SocketRow r;
        r.remoteIp = *IpAddress::parse(ip);
        r.remotePort = port;
        r.state = s;
        return r;
    };
    const std::vector<SocketRow> rows{row("10.0.0.2", 80, TcpState::TimeWait), row("10.0.0.1", 80, TcpState::TimeWait),
                                      row("10.0.0.2", 80, TcpState::TimeWait), row("10.0.0.2", 443, TcpState::Established),
                                      row("::ffff:10.0.0.1", 80, TcpState::TimeWait), row("10.0.0.3", 80, TcpState::TimeWait)};
    const auto d = countTimeWaitByDestination(rows);
    QCOMPARE(d.size(), std::size_t{3});
    // Ties (2 and 2) in address order; the IPv4-mapped spelling counts with 10.0.0.1.
    QCOMPARE(d[0].remoteIp.toString(), std::string("10.0.0.1"));
    QCOMPARE(d[0].count, 2);
    QCOMPARE(d[1].remoteIp.toString(), std::string("10.0.0.2"));
    QCOMPARE(d[1].count, 2);
    QCOMPARE(d[2].count, 1);
}

void TestSnapshotText::visibility() {
    SocketSnapshot s;
    SocketRow r;
    r.state = TcpState::Established;
    s.sockets = {r, r};
    summarizeSocketRows(s, StateVisibility::ssWithoutAll());
    QCOMPARE(s.stateCounts[size_t(TcpState::Established)], 2);
    QCOMPARE(s.stateCounts[size_t(TcpState::TimeWait)], -1);
    QCOMPARE(s.stateCounts[size_t(TcpState::FinWait2)], 0);
    summarizeSocketRows(s, StateVisibility::only(TcpState::Established));
    QCOMPARE(s.stateCounts[size_t(TcpState::CloseWait)], -1);
    QCOMPARE(s.stateCounts[size_t(TcpState::Established)], 2);
}

void TestSnapshotText::seriesOrder() {
    std::vector<SocketSnapshot> v(4);
    v[0].ts = 30;
    v[0].input = 0;
    v[1].ts = kNoTime;
    v[2].ts = 10;
    v[2].input = 2;
    v[3].ts = 10;
    v[3].input = 1;
    sortSnapshotSeries(v);
    QCOMPARE(v[0].input, 1u);
    QCOMPARE(v[1].input, 2u);
    QCOMPARE(v[2].ts, 30);
    QCOMPARE(v[3].ts, kNoTime);
}

QTEST_GUILESS_MAIN(TestSnapshotText)
#include "tst_snapshot_text.moc"
