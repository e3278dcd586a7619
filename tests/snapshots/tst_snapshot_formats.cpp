// SPDX-License-Identifier: GPL-3.0-or-later
// Every snapshot format through the built-in registry, on files the real tools wrote inside a
// network namespace with a known socket set (make-real-fixtures.sh) and on hand-made variants
// of forms those tools do not print (tests/data/snapshots/handmade).
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "core/snapshots/counter_names.h"
#include "core/snapshots/settings_resolution.h"
#include "snapshot_test_support.h"

using namespace twlens;
using namespace twlens::test;

namespace {
constexpr std::size_t idx(TcpState s) { return static_cast<std::size_t>(s); }
TimeNs ns(std::int64_t sec, std::int64_t nanos) { return sec * kNsPerSecond + nanos; }
} // namespace

class TestSnapshotFormats : public QObject {
    Q_OBJECT
private slots:
    void detection_data();
    void detection();
    void realListings_data();
    void realListings();
    void realTimeWaitByDestination();
    void realTimers();
    void realProcNetTcp();
    void realStateFilteredNoTime();
    void realSummaries();
    void realCountersAgree();
    void realSysctl();
    void preKernel417Summary();
    void stateFilteredWithCommand();
    void stateFilteredUnknown();
    void processColumnAndEmptyTimer();
    void ipv6AndTimerSpellings();
    void badLinesWarnWithLineNumbers();
    void seriesInOneFile();
    void ssWithoutAllHidesStates();
    void procNetTcpHandmade();
    void netstatProgramsAndTimers();
    void dateLines_data();
    void dateLines();
    void sysctlAsUser();
    void nstatWithBadValue();
    void notASnapshot();
};

void TestSnapshotFormats::detection_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("kind");
    const auto add = [](const std::string& p, InputKind k) {
        QTest::newRow(std::filesystem::path(p).filename().c_str()) << QString::fromStdString(p) << int(k);
    };
    for (const char* f : {"ss-tan.txt", "ss-tano.txt", "ss-tani.txt", "ss-tanp.txt", "ss-an-netid.txt",
                          "ss-tan-notime.txt", "ss-tano-state-time-wait-notime.txt", "ss-s.txt"})
        add(realFixture(f), InputKind::Ss);
    add(realFixture("netstat-ant.txt"), InputKind::Netstat);
    add(realFixture("netstat-anto.txt"), InputKind::Netstat);
    add(realFixture("proc-net-tcp.txt"), InputKind::ProcNetTcp);
    add(realFixture("proc-net-tcp6.txt"), InputKind::ProcNetTcp);
    add(realFixture("sockstat.txt"), InputKind::Sockstat);
    add(realFixture("sockstat6.txt"), InputKind::Sockstat);
    add(realFixture("proc-net-netstat.txt"), InputKind::NetstatCounters);
    add(realFixture("nstat-a.txt"), InputKind::NetstatCounters);
    add(realFixture("sysctl.txt"), InputKind::Sysctl);
    for (const char* f : {"ss-s-pre417.txt", "ss-state-filtered-command.txt", "ss-state-filtered-unknown.txt",
                          "ss-tanop-process.txt", "ss-ipv6-timers.txt", "ss-bad-lines.txt", "ss-series.txt",
                          "ss-tn-without-a.txt", "ss-date-c-locale.txt", "ss-date-en-us.txt", "ss-date-cet.txt"})
        add(handmadeFixture(f), InputKind::Ss);
    add(handmadeFixture("proc-net-tcp-handmade.txt"), InputKind::ProcNetTcp);
    add(handmadeFixture("netstat-anp-timers.txt"), InputKind::Netstat);
    add(handmadeFixture("sysctl-user.txt"), InputKind::Sysctl);
    add(handmadeFixture("nstat-no-kernel-line.txt"), InputKind::NetstatCounters);
}

void TestSnapshotFormats::detection() {
    QFETCH(QString, path);
    QFETCH(int, kind);
    const Importer* imp = ImporterRegistry::builtin().detect(path.toStdString());
    QVERIFY2(imp, qPrintable(path));
    QCOMPARE(int(imp->kind()), kind);
}

// The namespace held LISTEN 4, TIME-WAIT 11, ESTAB 6, FIN-WAIT-2 1, CLOSE-WAIT 1 (23 TCP
// sockets); every listing of the whole table must say exactly that.
void TestSnapshotFormats::realListings_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<qint64>("ts");
    for (const char* f : {"ss-tan.txt", "ss-tano.txt", "ss-tani.txt", "ss-tanp.txt", "ss-an-netid.txt",
                          "netstat-ant.txt", "netstat-anto.txt", "ss-tan-notime.txt"}) {
        QTest::newRow(f) << QString(f) << qint64(0);
    }
}

void TestSnapshotFormats::realListings() {
    QFETCH(QString, file);
    const ParsedFile p = parseFile(realFixture(file.toUtf8().constData()));
    QVERIFY(p.importer);
    QCOMPARE(int(p.outcome.status), int(ImportStatus::Ok));
    QCOMPARE(p.snapshots.size(), std::size_t{1});
    const SocketSnapshot& s = p.snapshots[0];
    QCOMPARE(s.sockets.size(), std::size_t{23});
    QCOMPARE(p.count(TcpState::Listen), 4);
    QCOMPARE(p.count(TcpState::TimeWait), 11);
    QCOMPARE(p.count(TcpState::Established), 6);
    QCOMPARE(p.count(TcpState::FinWait2), 1);
    QCOMPARE(p.count(TcpState::CloseWait), 1);
    QCOMPARE(p.count(TcpState::SynSent), 0);
    QCOMPARE(p.count(TcpState::LastAck), 0);
    if (file.contains("notime")) {
        QCOMPARE(QString::fromStdString(s.timeSource), QString("file mtime"));
        QVERIFY(p.hasWarning(1, "modification time"));
    } else {
        QCOMPARE(QString::fromStdString(s.timeSource), QString("first line"));
        QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
    }
    // Every client-side socket got its port from the namespace's 40000-40999 range.
    for (const SocketRow& r : s.sockets) {
        if (r.state == TcpState::TimeWait && r.remotePort == 8080) {
            QVERIFY(r.localPort >= 40000 && r.localPort <= 40999);
            QCOMPARE(str(r.localIp), QString("127.0.0.1").toStdString());
        }
    }
}

void TestSnapshotFormats::realTimeWaitByDestination() {
    const ParsedFile p = parseFile(realFixture("ss-tano.txt"));
    const auto& d = p.snapshots.at(0).timeWaitByDestination;
    QCOMPARE(d.size(), std::size_t{5});
    QCOMPARE(str(d[0].remoteIp), std::string("127.0.0.1"));
    QCOMPARE(d[0].remotePort, std::uint16_t{8080});
    QCOMPARE(d[0].count, 6);
    QCOMPARE(str(d[1].remoteIp), std::string("::1"));
    QCOMPARE(d[1].remotePort, std::uint16_t{7070});
    QCOMPARE(d[1].count, 2);
    for (std::size_t i = 2; i < 5; ++i) { // server-side TIME-WAIT: the peer is a client port
        QCOMPARE(d[i].count, 1);
        QVERIFY(d[i].remotePort >= 40000 && d[i].remotePort <= 40999);
    }
    QCOMPARE(p.snapshots[0].ts, ns(1795322323, 398507503));
}

void TestSnapshotFormats::realTimers() {
    const ParsedFile ss = parseFile(realFixture("ss-tano.txt"));
    int tw = 0, keepalive = 0;
    for (const SocketRow& r : ss.snapshots.at(0).sockets) {
        if (r.state == TcpState::TimeWait) {
            QCOMPARE(int(r.timerKind), 3);
            QCOMPARE(r.timerMs, 58000); // "timer:(timewait,58sec,0)"
            ++tw;
        } else if (r.timerKind == 2) {
            // "timer:(keepalive,5.476ms,0)": iproute2 6.1 prints seconds.millis with "ms".
            QCOMPARE(r.timerMs, 5476);
            QCOMPARE(r.remotePort, std::uint16_t{8080});
            ++keepalive;
        } else {
            QCOMPARE(r.timerMs, -1);
        }
    }
    QCOMPARE(tw, 11);
    QCOMPARE(keepalive, 1);

    const ParsedFile ns = parseFile(realFixture("netstat-anto.txt"));
    tw = keepalive = 0;
    for (const SocketRow& r : ns.snapshots.at(0).sockets) {
        if (r.state == TcpState::TimeWait) {
            QCOMPARE(int(r.timerKind), 3);
            QCOMPARE(r.timerMs, 58400); // "timewait (58.40/0/0)"
            ++tw;
        } else if (r.timerKind == 2) {
            QCOMPARE(r.timerMs, 5400); // "keepalive (5.40/0/0)"
            ++keepalive;
        } else {
            QCOMPARE(int(r.timerKind), 0); // "off (0.00/0/0)"
        }
    }
    QCOMPARE(tw, 11);
    QCOMPARE(keepalive, 1);
}

void TestSnapshotFormats::realProcNetTcp() {
    const ParsedFile v4 = parseFile(realFixture("proc-net-tcp.txt"));
    QCOMPARE(v4.snapshots.size(), std::size_t{1});
    QCOMPARE(v4.snapshots[0].sockets.size(), std::size_t{18});
    QCOMPARE(v4.count(TcpState::Listen), 2);
    QCOMPARE(v4.count(TcpState::TimeWait), 9);
    QCOMPARE(v4.count(TcpState::Established), 5);
    QCOMPARE(v4.count(TcpState::FinWait2), 1);
    QCOMPARE(v4.count(TcpState::CloseWait), 1);
    const SocketRow& l0 = v4.snapshots[0].sockets[0]; // "0100007F:1F90 00000000:0000 0A"
    QCOMPARE(str(l0.localIp), std::string("127.0.0.1"));
    QCOMPARE(l0.localPort, std::uint16_t{8080});
    QVERIFY(l0.remoteIp.isUnspecified());
    const SocketRow& l1 = v4.snapshots[0].sockets[1]; // "0200007F:2382"
    QCOMPARE(str(l1.localIp), std::string("127.0.0.2"));
    QCOMPARE(l1.localPort, std::uint16_t{9090});
    for (const SocketRow& r : v4.snapshots[0].sockets) {
        if (r.state == TcpState::TimeWait) {
            QCOMPARE(int(r.timerKind), 3);
            QCOMPARE(r.timerMs, 58390); // tm->when 0x16CF ticks of 10 ms
        }
    }
    const ParsedFile v6 = parseFile(realFixture("proc-net-tcp6.txt"));
    QCOMPARE(v6.snapshots.at(0).sockets.size(), std::size_t{5});
    QCOMPARE(v6.count(TcpState::Listen), 2);
    QCOMPARE(v6.count(TcpState::TimeWait), 2);
    QCOMPARE(v6.count(TcpState::Established), 1);
    bool mapped = false, loop7070 = false;
    for (const SocketRow& r : v6.snapshots[0].sockets) {
        mapped |= r.state == TcpState::Established && r.localPort == 6060 && str(r.localIp) == "127.0.0.1";
        loop7070 |= r.state == TcpState::Listen && r.localPort == 7070 && str(r.localIp) == "::1";
        if (r.state == TcpState::TimeWait) {
            QCOMPARE(str(r.remoteIp), std::string("::1"));
            QCOMPARE(r.remotePort, std::uint16_t{7070});
            QCOMPARE(r.timerMs, 58380);
        }
    }
    QVERIFY(mapped);   // ::ffff:127.0.0.1 is kept IPv4-mapped and compares equal to 127.0.0.1
    QVERIFY(loop7070);
}

// `ss -tano state time-wait` has no State column and the file no command line: the timewait
// timers say the state. The file has no time line either.
void TestSnapshotFormats::realStateFilteredNoTime() {
    const ParsedFile p = parseFile(realFixture("ss-tano-state-time-wait-notime.txt"));
    QCOMPARE(p.snapshots.size(), std::size_t{1});
    QCOMPARE(p.snapshots[0].sockets.size(), std::size_t{11});
    QCOMPARE(p.count(TcpState::TimeWait), 11);
    QCOMPARE(p.count(TcpState::Established), -1);
    QCOMPARE(p.count(TcpState::Listen), -1);
    QCOMPARE(p.info.warnings.size(), std::size_t{1});
    QVERIFY(p.hasWarning(1, "modification time"));
}

void TestSnapshotFormats::realSummaries() {
    const ParsedFile s = parseFile(realFixture("ss-s.txt"));
    const auto& c = s.snapshots.at(0).counters;
    QCOMPARE(c.at(std::string(counters::kSsTcpTotal)), 24);
    QCOMPARE(c.at(std::string(counters::kSsEstab)), 7); // 6 ESTABLISHED + 1 CLOSE-WAIT
    QCOMPARE(c.at(std::string(counters::kSsClosed)), 12);
    QCOMPARE(c.at(std::string(counters::kSsOrphaned)), 0);
    QCOMPARE(c.at(std::string(counters::kSsTimeWait)), 11);
    QCOMPARE(c.at("ss.sockets"), 19);
    QCOMPARE(c.at("ss.TCP.total"), 12);
    QCOMPARE(c.at("ss.TCP.IP"), 9);
    QCOMPARE(c.at("ss.TCP.IPv6"), 3);
    QCOMPARE(s.snapshots[0].timeWaitTotal, 11);
    QCOMPARE(s.count(TcpState::TimeWait), 11);
    QCOMPARE(s.count(TcpState::Established), -1); // "estab" mixes ESTABLISHED and CLOSE-WAIT
    QCOMPARE(s.snapshots[0].ts, ns(1795322323, 458617710));

    const ParsedFile st = parseFile(realFixture("sockstat.txt"));
    const auto& sc = st.snapshots.at(0).counters;
    QCOMPARE(sc.at(std::string(counters::kSockstatTcpInUse)), 9);
    QCOMPARE(sc.at(std::string(counters::kSockstatTcpOrphan)), 0);
    QCOMPARE(sc.at(std::string(counters::kSockstatTcpTimeWait)), 11);
    QCOMPARE(sc.at(std::string(counters::kSockstatTcpAlloc)), 13);
    QCOMPARE(sc.at("TCP.mem"), 299);
    QCOMPARE(sc.at("sockets.used"), 12);
    QCOMPARE(sc.at("FRAG.memory"), 0);
    QCOMPARE(st.snapshots[0].timeWaitTotal, 11);
    QCOMPARE(st.count(TcpState::TimeWait), 11);

    const ParsedFile s6 = parseFile(realFixture("sockstat6.txt"));
    QCOMPARE(s6.snapshots.at(0).counters.at(std::string(counters::kSockstatTcp6InUse)), 3);
    QCOMPARE(s6.snapshots[0].timeWaitTotal, -1); // sockstat6 has no tw field
    QCOMPARE(s6.count(TcpState::TimeWait), -1);
}

// The kernel's TIME-WAIT counters seen four ways at (almost) the same moment must agree.
void TestSnapshotFormats::realCountersAgree() {
    const ParsedFile mib = parseFile(realFixture("proc-net-netstat.txt"));
    const ParsedFile nstat = parseFile(realFixture("nstat-a.txt"));
    QVERIFY2(mib.info.warnings.empty(), mib.warningsText().c_str());
    QVERIFY2(nstat.info.warnings.empty(), nstat.warningsText().c_str());
    const auto& a = mib.snapshots.at(0).counters;
    const auto& b = nstat.snapshots.at(0).counters;
    QCOMPARE(a.at(std::string(counters::kTimeWaitArmed)), 11);
    QCOMPARE(b.at(std::string(counters::kTimeWaitArmed)), 11);
    QCOMPARE(a.at(std::string(counters::kTimeWaitRecycled)), 0);
    QCOMPARE(a.at(std::string(counters::kTimeWaitOverflow)), 0);
    QVERIFY(a.size() > 100); // every TcpExt, IpExt and MPTcpExt name, beyond the first 32 columns
    QCOMPARE(a.count("IpExtInOctets"), std::size_t{1});
    // The scenario opened 15 connections (6 + 3 + 2 closed, 4 kept), all inside the namespace.
    QCOMPARE(b.at("TcpPassiveOpens"), 15);
    QCOMPARE(b.at("TcpActiveOpens"), 15);
}

void TestSnapshotFormats::realSysctl() {
    const ParsedFile p = parseFile(realFixture("sysctl.txt"), 3);
    QVERIFY(p.snapshots.empty());
    QCOMPARE(p.sysctl.size(), std::size_t{8});
    const SysctlValue& range = p.sysctl.at("net.ipv4.ip_local_port_range");
    QCOMPARE(range.value, std::string("40000 40999"));
    QCOMPARE(range.line, 2u);
    QCOMPARE(range.input, 3u);
    QCOMPARE(p.sysctl.at("net.ipv4.ip_local_reserved_ports").value, std::string());
    QCOMPARE(p.sysctl.at("net.ipv4.tcp_max_tw_buckets").value, std::string("131072"));
    std::vector<InputInfo> inputs(4);
    inputs[3].path = "sysctl.txt";
    std::vector<std::string> problems;
    const Settings s = resolveSettings(p.sysctl, inputs, {}, &problems);
    QCOMPARE(s.portLow.value, std::uint16_t{40000});
    QCOMPARE(s.portHigh.value, std::uint16_t{40999});
    QCOMPARE(s.twReuse.value, 2);
    QCOMPARE(s.maxTwBuckets.value, 131072L);
    QVERIFY(problems.empty());
}

void TestSnapshotFormats::preKernel417Summary() {
    const ParsedFile p = parseFile(handmadeFixture("ss-s-pre417.txt"));
    QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
    const auto& c = p.snapshots.at(0).counters;
    QCOMPARE(c.at("ss.sockets"), 1234);
    QCOMPARE(c.at("ss.kernel"), 1456);
    QCOMPARE(c.at("ss.total"), 4000);
    QCOMPARE(c.at("ss.estab"), 100);
    QCOMPARE(c.at("ss.closed"), 3800);
    QCOMPARE(c.at("ss.orphaned"), 2);
    QCOMPARE(c.at("ss.synrecv"), 0);
    QCOMPARE(c.at("ss.timewait"), 3790);
    QCOMPARE(c.at("ss.timewait2"), 0);
    QCOMPARE(c.at("ss.ports"), 1500);
    QCOMPARE(c.at("ss.*.total"), 1456);
    QCOMPARE(c.count("ss.*.IP"), std::size_t{0});
    QCOMPARE(c.at("ss.TCP.IPv6"), 50);
    QCOMPARE(p.snapshots[0].timeWaitTotal, 3790);
    QCOMPARE(p.snapshots[0].ts, ns(1763788800, 500000000));
}

void TestSnapshotFormats::stateFilteredWithCommand() {
    const ParsedFile p = parseFile(handmadeFixture("ss-state-filtered-command.txt"));
    QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
    const SocketSnapshot& s = p.snapshots.at(0);
    QCOMPARE(s.sockets.size(), std::size_t{3});
    QCOMPARE(p.count(TcpState::TimeWait), 3);
    QCOMPARE(p.count(TcpState::Established), -1);
    QCOMPARE(s.ts, ns(1795320975, 0)); // "Sun Nov 22 04:16:15 UTC 2026"
    QCOMPARE(s.sockets[2].line, 6u);
    QCOMPARE(str(s.sockets[2].remoteIp), std::string("198.51.100.8"));
    QCOMPARE(s.sockets[2].remotePort, std::uint16_t{80});
    QCOMPARE(s.timeWaitByDestination.at(0).count, 2);
    QCOMPARE(str(s.timeWaitByDestination[0].remoteIp), std::string("198.51.100.7"));
}

void TestSnapshotFormats::stateFilteredUnknown() {
    const ParsedFile p = parseFile(handmadeFixture("ss-state-filtered-unknown.txt"));
    const SocketSnapshot& s = p.snapshots.at(0);
    QCOMPARE(s.sockets.size(), std::size_t{2});
    QCOMPARE(int(s.sockets[0].state), int(TcpState::None));
    QCOMPARE(p.count(TcpState::TimeWait), -1);
    QCOMPARE(p.info.warnings.size(), std::size_t{1}); // once, at the first row
    QVERIFY(p.hasWarning(3, "no State column"));
}

void TestSnapshotFormats::processColumnAndEmptyTimer() {
    const ParsedFile p = parseFile(handmadeFixture("ss-tanop-process.txt"));
    QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
    const auto& r = p.snapshots.at(0).sockets;
    QCOMPARE(r.size(), std::size_t{3});
    QCOMPARE(p.snapshots[0].ts, ns(1763788800, 0)); // "# 1763788800"
    QCOMPARE(int(r[0].timerKind), 2);
    QCOMPARE(r[0].timerMs, 119 * 60'000); // after users:(("sshd: admin [priv]",...))
    QVERIFY(r[1].localIp.isUnspecified()); // "*:80"
    QCOMPARE(r[1].localPort, std::uint16_t{80});
    QCOMPARE(r[1].remotePort, std::uint16_t{0}); // "*:*"
    QCOMPARE(int(r[2].state), int(TcpState::TimeWait));
    QCOMPARE(r[2].timerMs, 0); // "timer:(timewait,,0)"
    QCOMPARE(int(r[2].timerKind), 3);
}

void TestSnapshotFormats::ipv6AndTimerSpellings() {
    const ParsedFile p = parseFile(handmadeFixture("ss-ipv6-timers.txt"));
    QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
    const auto& r = p.snapshots.at(0).sockets;
    QCOMPARE(r.size(), std::size_t{7});
    QCOMPARE(str(r[0].localIp), std::string("192.0.2.10")); // [::ffff:192.0.2.10]
    QVERIFY(r[0].localIp.isV4());
    QCOMPARE(r[0].remotePort, std::uint16_t{50123});
    QCOMPARE(r[0].timerMs, 52000);
    QCOMPARE(str(r[1].localIp), std::string("2001:db8::10"));
    QCOMPARE(r[1].timerMs, 5200);  // 5.200sec
    QCOMPARE(r[2].timerMs, 800);   // 800ms
    QCOMPARE(r[3].timerMs, 0);     // empty
    QCOMPARE(str(r[4].localIp), std::string("fe80::1")); // zone dropped
    QCOMPARE(r[4].timerMs, 65000); // 1min5sec
    QCOMPARE(str(r[5].remoteIp), std::string("::1"));
    QCOMPARE(int(r[5].timerKind), 1);
    QCOMPARE(r[5].timerMs, 5432);  // 5.432ms = 5.432 s
    QVERIFY(r[6].localIp.isUnspecified());
    QVERIFY(!r[6].localIp.isV4()); // [::]
    QCOMPARE(p.count(TcpState::TimeWait), 4);
    const auto& d = p.snapshots[0].timeWaitByDestination;
    QCOMPARE(d.size(), std::size_t{4}); // distinct remote ports
}

void TestSnapshotFormats::badLinesWarnWithLineNumbers() {
    const ParsedFile p = parseFile(handmadeFixture("ss-bad-lines.txt"));
    QCOMPARE(int(p.outcome.status), int(ImportStatus::Ok));
    const auto& r = p.snapshots.at(0).sockets;
    QCOMPARE(r.size(), std::size_t{3});
    QCOMPARE(r[0].line, 3u);
    QCOMPARE(r[1].line, 6u);
    QCOMPARE(r[1].timerMs, -1); // kept without its unreadable timer
    QCOMPARE(r[2].line, 9u);
    QCOMPARE(r[2].timerMs, 30000);
    QCOMPARE(p.info.warnings.size(), std::size_t{5});
    QVERIFY(p.hasWarning(4, "unknown socket state 'BOGUS'"));
    QVERIFY(p.hasWarning(5, "10.0.0.999:5002"));
    QVERIFY(p.hasWarning(6, "timer value 'abc'"));
    QVERIFY(p.hasWarning(7, "not an ss socket line"));
    QVERIFY(p.hasWarning(8, "10.0.0.2:70000"));
    QCOMPARE(p.info.warnings[0].text(), std::string("line 4: unknown socket state 'BOGUS'; line skipped"));
}

void TestSnapshotFormats::seriesInOneFile() {
    const ParsedFile p = parseFile(handmadeFixture("ss-series.txt"));
    QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
    QCOMPARE(p.snapshots.size(), std::size_t{3});
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(p.snapshots[i].ts, ns(1763788800 + std::int64_t(i), 0));
        QCOMPARE(p.count(TcpState::TimeWait, i), std::int64_t(i + 1));
    }
    QCOMPARE(p.snapshots[1].timeSource, std::string("line 5"));
    QCOMPARE(p.count(TcpState::Established, 2), 0);
    QCOMPARE(p.info.firstTs, ns(1763788800, 0));
    QCOMPARE(p.info.lastTs, ns(1763788802, 0));
}

void TestSnapshotFormats::ssWithoutAllHidesStates() {
    const ParsedFile p = parseFile(handmadeFixture("ss-tn-without-a.txt"));
    QCOMPARE(p.count(TcpState::Established), 2);
    QCOMPARE(p.count(TcpState::TimeWait), -1);
    QCOMPARE(p.count(TcpState::Listen), -1);
    QCOMPARE(p.count(TcpState::FinWait1), 0);
    QVERIFY(p.hasWarning(1, "without -a"));
}

void TestSnapshotFormats::procNetTcpHandmade() {
    const ParsedFile p = parseFile(handmadeFixture("proc-net-tcp-handmade.txt"));
    const auto& r = p.snapshots.at(0).sockets;
    QCOMPARE(r.size(), std::size_t{4});
    QCOMPARE(str(r[0].localIp), std::string("192.0.2.10")); // 0A0200C0 on little-endian
    QCOMPARE(r[0].localPort, std::uint16_t{443});
    QCOMPARE(int(r[0].state), int(TcpState::Listen));
    QCOMPARE(str(r[1].remoteIp), std::string("198.51.100.7"));
    QCOMPARE(r[1].remotePort, std::uint16_t{50123});
    QCOMPARE(int(r[1].state), int(TcpState::TimeWait));
    QCOMPARE(int(r[1].timerKind), 3);
    QCOMPARE(r[1].timerMs, 60000); // 0x1770 ticks
    QCOMPARE(int(r[2].timerKind), 2);
    QCOMPARE(r[2].timerMs, 30000); // keepalive, 0xBB8 ticks
    QCOMPARE(str(r[3].localIp), std::string("2001:db8::1"));
    QCOMPARE(str(r[3].remoteIp), std::string("2001:db8::77"));
    QCOMPARE(r[3].timerMs, 1000);
    QCOMPARE(p.info.warnings.size(), std::size_t{2});
    QVERIFY(p.hasWarning(6, "hex address 'ZZZZ0000:01BB'"));
    QVERIFY(p.hasWarning(7, "unknown state code '0F'"));
}

void TestSnapshotFormats::netstatProgramsAndTimers() {
    const ParsedFile p = parseFile(handmadeFixture("netstat-anp-timers.txt"));
    const auto& r = p.snapshots.at(0).sockets;
    QCOMPARE(r.size(), std::size_t{5});
    QCOMPARE(int(r[0].timerKind), 0);
    QCOMPARE(r[1].timerMs, 7192310);
    QCOMPARE(int(r[1].timerKind), 2);
    QCOMPARE(r[2].timerMs, 200);
    QCOMPARE(int(r[2].timerKind), 1);
    QCOMPARE(r[3].timerMs, 52000);
    QCOMPARE(int(r[3].state), int(TcpState::TimeWait));
    QCOMPARE(int(r[4].state), int(TcpState::FinWait2));
    QCOMPARE(r[4].timerMs, 3500);
    QCOMPARE(str(r[4].localIp), std::string("2001:db8::10"));
    QCOMPARE(p.info.warnings.size(), std::size_t{1});
    QVERIFY(p.hasWarning(8, "netstat -W")); // the cut IPv6 address
}

void TestSnapshotFormats::dateLines_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<qint64>("ts");
    QTest::addColumn<QString>("source");
    QTest::newRow("C locale") << "ss-date-c-locale.txt" << qint64(ns(1795320975, 0)) << "first line";
    QTest::newRow("en_US") << "ss-date-en-us.txt" << qint64(ns(1795320975, 0)) << "first line";
    QTest::newRow("CET: mtime") << "ss-date-cet.txt" << qint64(0) << "file mtime";
}

void TestSnapshotFormats::dateLines() {
    QFETCH(QString, file);
    QFETCH(qint64, ts);
    QFETCH(QString, source);
    // A copy with a known mtime, so the fallback is checkable.
    const std::string copy = std::string(TWLENS_BINARY_DIR) + "/snap-" + file.toStdString();
    std::filesystem::copy_file(handmadeFixture(file.toUtf8().constData()), copy,
                               std::filesystem::copy_options::overwrite_existing);
    const auto mtime = std::filesystem::file_time_type::clock::now();
    std::filesystem::last_write_time(copy, mtime);
    const ParsedFile p = parseFile(copy);
    std::filesystem::remove(copy);
    QCOMPARE(QString::fromStdString(p.snapshots.at(0).timeSource), source);
    if (source == "file mtime") {
        QVERIFY(p.hasWarning(1, "time zone CET"));
        QVERIFY(p.hasWarning(1, "modification time"));
        const auto sys = std::chrono::file_clock::to_sys(mtime);
        QCOMPARE(p.snapshots[0].ts, std::chrono::duration_cast<std::chrono::nanoseconds>(sys.time_since_epoch()).count());
    } else {
        QVERIFY2(p.info.warnings.empty(), p.warningsText().c_str());
        QCOMPARE(p.snapshots[0].ts, ts);
    }
}

void TestSnapshotFormats::sysctlAsUser() {
    const ParsedFile p = parseFile(handmadeFixture("sysctl-user.txt"));
    QCOMPARE(p.sysctl.size(), std::size_t{4});
    QCOMPARE(p.sysctl.at("net.ipv4.ip_local_port_range").value, std::string("1024 1043"));
    QCOMPARE(p.sysctl.at("net.ipv4.ip_local_port_range").line, 3u);
    QCOMPARE(p.sysctl.at("net.ipv4.tcp_tw_recycle").value, std::string("1"));
    QCOMPARE(p.info.warnings.size(), std::size_t{1});
    QVERIFY(p.hasWarning(6, "not a sysctl line"));
}

void TestSnapshotFormats::nstatWithBadValue() {
    const ParsedFile p = parseFile(handmadeFixture("nstat-no-kernel-line.txt"));
    const auto& c = p.snapshots.at(0).counters;
    QCOMPARE(c.size(), std::size_t{3});
    QCOMPARE(c.at(std::string(counters::kTimeWaitArmed)), 17);
    QCOMPARE(c.at(std::string(counters::kTimeWaitRecycled)), 3);
    QCOMPARE(c.at(std::string(counters::kTimeWaitOverflow)), 5);
    QVERIFY(p.hasWarning(4, "TcpExtTWKilled"));
    QVERIFY(p.hasWarning(1, "modification time"));
}

void TestSnapshotFormats::notASnapshot() {
    const ParsedFile p = parseFile(handmadeFixture("not-a-snapshot.txt"));
    QVERIFY(!p.importer);
    QCOMPARE(p.whyNot, std::string("not a capture or a snapshot I know"));
}

QTEST_GUILESS_MAIN(TestSnapshotFormats)
#include "tst_snapshot_formats.moc"
