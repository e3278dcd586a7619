// SPDX-License-Identifier: GPL-3.0-or-later
// Every finding rule, positive and negative, on hand-built analyses: exhaustion verdicts and
// fixes, sysctl advice (with the facts right), TcpExt counters and the TIME_WAIT agreement of
// captures and snapshots. Clean Linux defaults must give no advice warnings.
#include <QtTest>

#include "analysis_builder.h"
#include "core/exhaustion/what_if.h"
#include "core/findings/counter_findings.h"
#include "core/findings/exhaustion_verdicts.h"
#include "core/findings/findings_pass.h"
#include "core/findings/sysctl_advice.h"
#include "core/findings/time_wait_agreement.h"
#include "core/findings/what_if_analysis.h"
#include "core/output/time_format.h"

using namespace twlens;
using namespace twlens::test;

namespace {

InputInfo named(const char* path) {
    InputInfo in;
    in.path = path;
    in.kind = InputKind::Ss;
    return in;
}

bool contains(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
}

std::vector<const Finding*> ofKind(const Analysis& a, const std::string& kind) {
    std::vector<const Finding*> out;
    for (const Finding& f : a.findings)
        if (f.kind == kind)
            out.push_back(&f);
    return out;
}

// A host that ran a sysctl input (input 0, "sysctl.txt") with Linux defaults, and a capture
// (input 1) of a few calm connections.
Analysis cleanHost() {
    Analysis a;
    InputInfo sysctl;
    sysctl.path = "sysctl.txt";
    sysctl.kind = InputKind::Sysctl;
    a.inputs.push_back(sysctl);
    addCaptureInput(a, 0, 30, "calm.pcap");
    addSysctl(a, "net.ipv4.ip_local_port_range", "32768\t60999", 0, 1);
    addSysctl(a, "net.ipv4.tcp_tw_reuse", "2", 0, 2);
    addSysctl(a, "net.ipv4.tcp_fin_timeout", "60", 0, 3);
    addSysctl(a, "net.ipv4.tcp_timestamps", "1", 0, 4);
    addSysctl(a, "net.ipv4.ip_local_reserved_ports", "", 0, 5);
    a.settings.portLow = {32768, "sysctl.txt:1"};
    a.settings.portHigh = {60999, "sysctl.txt:1"};
    a.settings.twReuse = {2, "sysctl.txt:2"};
    a.settings.finTimeout = {60, "sysctl.txt:3"};
    for (int i = 0; i < 3; ++i) {
        ConnectionSpec c;
        c.clientPort = static_cast<std::uint16_t>(40000 + i);
        c.start = i * 5;
        c.end = i * 5 + 1;
        c.clientTimeWait = i * 5 + 1;
        c.server = "192.0.2.10";
        c.input = 1;
        addConnection(a, c);
    }
    return a;
}

// A host whose client exhausted a 20-port range toward 192.0.2.10:80 (not loopback), 10/s.
Analysis exhaustedHost(int twReuse = 2, bool timestamps = true) {
    Analysis a = cleanHost();
    a.connections.clear();
    a.segments.clear();
    a.states.clear();
    a.sysctl["net.ipv4.ip_local_port_range"].value = "41000\t41019";
    a.sysctl["net.ipv4.tcp_tw_reuse"].value = std::to_string(twReuse);
    a.settings.portLow.value = 41000;
    a.settings.portHigh.value = 41019;
    a.settings.twReuse.value = twReuse;
    for (int i = 0; i < 20; ++i) {
        ConnectionSpec c;
        c.clientPort = static_cast<std::uint16_t>(41000 + i);
        c.server = "192.0.2.10";
        c.start = i * 0.1;
        c.end = i * 0.1 + 0.05;
        c.clientTimeWait = i * 0.1 + 0.05;
        c.timestamps = timestamps;
        c.input = 1;
        addConnection(a, c);
    }
    return a;
}

} // namespace

class TestFindings : public QObject {
    Q_OBJECT
private slots:
    void cleanDefaultsGiveNoAdvice() {
        Analysis a = cleanHost();
        computeExhaustionAndFindings(a);
        QCOMPARE(a.exhaustion.size(), std::size_t(1));
        QCOMPARE(a.findings.size(), std::size_t(1));
        const Finding& f = a.findings.front();
        QCOMPARE(f.kind, std::string("exhaustion_verdict"));
        QCOMPARE(f.severity, Severity::Info);
        QVERIFY(contains(f.summary, "peak 3 of 28232 usable ports in use (0.0%)")); // 3 / 28232 < 0.05%
        QVERIFY(contains(f.summary, "no exhaustion at this rate"));
        QCOMPARE(f.evidence, std::string("calm.pcap; sysctl.txt:1: net.ipv4.ip_local_port_range = 32768\t60999"));
    }

    void exhaustedVerdictAndFixes() {
        Analysis a = exhaustedHost(1);
        computeExhaustionAndFindings(a);
        const auto verdicts = ofKind(a, "exhaustion_verdict");
        QCOMPARE(verdicts.size(), std::size_t(1));
        const Finding& v = *verdicts.front();
        QCOMPARE(v.severity, Severity::Critical);
        QCOMPARE(a.exhaustion.front().exhaustedAt, at(1.9));
        QVERIFY(contains(v.summary, ("exhausted 10.0.0.1 -> 192.0.2.10:80 at " + utcText(at(1.9))).c_str()));
        QVERIFY(contains(v.summary, "all 20 usable ports held"));
        QVERIFY(contains(v.summary, "EADDRNOTAVAIL"));
        QVERIFY(contains(v.summary, "; at that rate 20 ports last 2 s from empty")); // 10/s
        // tcp_tw_reuse = 1 with timestamps: the TIME_WAIT ports come back after 1000 ms.
        QVERIFY(contains(v.summary, "(20 ports / 1000 ms tcp_tw_reuse delay)"));
        QVERIFY(contains(v.evidence, "sysctl.txt:1: net.ipv4.ip_local_port_range = 41000\t41019"));
        const auto fixes = ofKind(a, "exhaustion_fixes");
        QCOMPARE(fixes.size(), std::size_t(1));
        QVERIFY(contains(fixes.front()->summary, "4) tcp_tw_reuse is already active toward it"));
        QVERIFY(contains(fixes.front()->evidence, "sysctl.txt:2: net.ipv4.tcp_tw_reuse = 1"));
    }

    void fixesBestFirstWithWhatIfFigures() {
        Analysis a = exhaustedHost(0);
        computeExhaustionAndFindings(a);
        const Exhaustion& e = a.exhaustion.front();
        // 20 SYNs 0.1 s apart: 19 in the 1.9 s span -> 10/s; 20 ports / 60 s sustain 1/3 per s.
        QCOMPARE(e.newConnectionsPerSecondPeak, 10.0);
        const auto fixes = ofKind(a, "exhaustion_fixes");
        QCOMPARE(fixes.size(), std::size_t(1));
        const std::string& t = fixes.front()->summary;
        QCOMPARE(fixes.front()->severity, Severity::Warning);
        const auto pool = t.find("1) reuse connections (HTTP keep-alive, connection pools): 30 or more requests per connection");
        const auto closer = t.find("2) let the side that can afford TIME_WAIT close first");
        const auto tuples = t.find("3) more 4-tuples");
        const auto reuse = t.find("4) net.ipv4.tcp_tw_reuse = 1 for outgoing connections");
        const auto never = t.find("never net.ipv4.tcp_tw_recycle (removed in Linux 4.12");
        QVERIFY(pool != std::string::npos);
        QVERIFY(pool < closer && closer < tuples && tuples < reuse && reuse < never);
        QVERIFY(contains(t, "sustainable 20.0/s")); // 20 ports / 1 s with reuse
        // The suggested pool size is the smallest that stops the projection.
        WhatIf w;
        w.reuseFactor = 30;
        QCOMPARE(project(e, a.settings, w).projectedExhaustionAt, kNoTime);
        w.reuseFactor = 29;
        QVERIFY(project(e, a.settings, w).projectedExhaustionAt != kNoTime);
    }

    void fixesWithoutTimestamps() {
        Analysis a = exhaustedHost(0, false);
        computeExhaustionAndFindings(a);
        const auto fixes = ofKind(a, "exhaustion_fixes");
        QCOMPARE(fixes.size(), std::size_t(1));
        QVERIFY(contains(fixes.front()->summary, "would not help here: it needs TCP timestamps"));
    }

    void projectedAndHalfFullVerdicts() {
        Analysis a;
        a.settings.portLow.value = 41000;
        a.settings.portHigh.value = 41019;
        Exhaustion projected;
        projected.localIp = ip("10.0.0.1");
        projected.remoteIp = ip("2001:db8::2");
        projected.remotePort = 443;
        projected.usablePorts = 20;
        projected.peakPortsInUse = 4;
        projected.newConnectionsPerSecondPeak = 2.0;
        projected.maxSustainableRatePerSecond = 20.0 / 60;
        projected.projectedExhaustionAt = at(10);
        Exhaustion half = projected;
        half.remoteIp = ip("10.0.0.3");
        half.projectedExhaustionAt = kNoTime;
        half.peakPortsInUse = 10;
        half.newConnectionsPerSecondPeak = 0.2;
        a.exhaustion = {projected, half};
        addExhaustionVerdicts(a, a.findings);
        QCOMPARE(a.findings.size(), std::size_t(2));
        QCOMPARE(a.findings[0].severity, Severity::Warning);
        QVERIFY(contains(a.findings[0].summary, ("10.0.0.1 -> [2001:db8::2]:443 run out at " + utcText(at(10))).c_str()));
        QVERIFY(contains(a.findings[0].summary, "uses up all 20 ports in 10 s")); // 20 / 2 per s
        QVERIFY(contains(a.findings[0].summary, "peaked at 2.00/s against a sustainable 0.333/s (20 ports / 60 s TIME_WAIT)"));
        QCOMPARE(a.findings[1].severity, Severity::Warning); // half full
        QVERIFY(contains(a.findings[1].summary, "peak 10 of 20 usable ports in use (50%)"));
        QVERIFY(contains(a.findings[1].summary, "it would hold about rate x hold time = 12 ports")); // 0.2/s x 60 s
        QVERIFY(atRisk(a.exhaustion[1]));
        a.exhaustion[1].peakPortsInUse = 9;
        QVERIFY(!atRisk(a.exhaustion[1]));
    }

    void verdictsAreCapped() {
        Analysis a;
        for (int i = 0; i < 12; ++i) {
            Exhaustion e;
            e.localIp = ip("10.0.0.1");
            e.remoteIp = ip("10.0.1.1");
            e.remotePort = static_cast<std::uint16_t>(1000 + i);
            e.usablePorts = 100;
            e.peakPortsInUse = static_cast<std::uint32_t>(12 - i);
            a.exhaustion.push_back(e);
        }
        // Nothing at risk: the busiest destination alone, then one line for the rest.
        addExhaustionVerdicts(a, a.findings);
        QCOMPARE(a.findings.size(), std::size_t(2));
        QVERIFY(contains(a.findings[0].summary, "10.0.0.1 -> 10.0.1.1:1000: peak 12 of 100 usable ports in use (12%)"));
        QCOMPARE(a.findings[1].severity, Severity::Info);
        QCOMPARE(a.findings[1].summary,
                 std::string("11 more destinations: at most 11 ports in use toward any of them (11% of the usable ports), 0 at risk"));
        addExhaustionFixes(a, a.findings);
        QVERIFY(ofKind(a, "exhaustion_fixes").empty()); // nothing at risk, no fixes
        // All at risk: kMaxVerdicts of them, then the rest counted.
        for (Exhaustion& e : a.exhaustion)
            e.peakPortsInUse += 60;
        a.findings.clear();
        addExhaustionVerdicts(a, a.findings);
        QCOMPARE(a.findings.size(), kMaxVerdicts + 1);
        QCOMPARE(a.findings.back().severity, Severity::Warning);
        QCOMPARE(a.findings.back().summary,
                 std::string("2 more destinations: at most 62 ports in use toward any of them (62% of the usable ports), 2 at risk"));
        addExhaustionFixes(a, a.findings);
        QCOMPARE(ofKind(a, "exhaustion_fixes").size(), std::size_t(1));
    }

    void twRecycle_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("severity");
        QTest::newRow("on") << "1" << int(Severity::Warning);
        QTest::newRow("off but present") << "0" << int(Severity::Info);
    }
    void twRecycle() {
        QFETCH(QString, value);
        QFETCH(int, severity);
        Analysis a = cleanHost();
        addSysctl(a, "net.ipv4.tcp_tw_recycle", value.toStdString(), 0, 7);
        addSysctlAdvice(a, a.findings);
        const auto f = ofKind(a, "tcp_tw_recycle_present");
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(int(f.front()->severity), severity);
        QCOMPARE(f.front()->evidence, "sysctl.txt:7: net.ipv4.tcp_tw_recycle = " + value.toStdString());
        QVERIFY(contains(f.front()->summary, "removed in Linux 4.12: remove it from sysctl.conf"));
        QVERIFY(contains(f.front()->summary, "broke clients behind NAT"));
        QVERIFY(contains(f.front()->summary, "tcp_tw_reuse = 1 instead"));
    }

    void twReuseTwoIsLoopbackOnly() {
        Analysis a = exhaustedHost(2);
        computeExhaustionAndFindings(a);
        const auto f = ofKind(a, "tcp_tw_reuse_loopback_only");
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(f.front()->severity, Severity::Warning);
        QVERIFY(contains(f.front()->summary, "tcp_tw_reuse = 2 reuses TIME_WAIT ports for loopback connections only"));
        QVERIFY(contains(f.front()->summary, "nothing for 10.0.0.1 -> 192.0.2.10:80"));
        QVERIFY(contains(f.front()->summary, "1 enables it for all outgoing connections"));
        QVERIFY(contains(f.front()->summary, "never helps a server's incoming connections"));
        QCOMPARE(f.front()->evidence, std::string("sysctl.txt:2: net.ipv4.tcp_tw_reuse = 2"));
    }
    void twReuseTwoQuietForLoopbackOrCalm() {
        // The same load toward a loopback destination: 2 covers it.
        Analysis a = exhaustedHost(2);
        for (IpAddress& addr : a.addresses)
            if (addr == ip("192.0.2.10"))
                addr = ip("127.0.0.2");
        computeExhaustionAndFindings(a);
        QVERIFY(ofKind(a, "tcp_tw_reuse_loopback_only").empty());
        QCOMPARE(a.exhaustion.front().twReuseActive, true);
        // Calm non-loopback traffic: nothing to say about 2.
        Analysis calm = cleanHost();
        computeExhaustionAndFindings(calm);
        QVERIFY(ofKind(calm, "tcp_tw_reuse_loopback_only").empty());
        // 1 is not 2.
        Analysis one = exhaustedHost(1);
        computeExhaustionAndFindings(one);
        QVERIFY(ofKind(one, "tcp_tw_reuse_loopback_only").empty());
    }

    void twReuseOnAServer() {
        Analysis a = cleanHost();
        a.connections.clear();
        a.segments.clear();
        a.states.clear();
        a.sysctl["net.ipv4.tcp_tw_reuse"].value = "1";
        a.settings.twReuse.value = 1;
        for (int i = 0; i < 4; ++i) {
            ConnectionSpec c;
            c.client = "198.51.100.7";
            c.clientPort = static_cast<std::uint16_t>(50000 + i);
            c.server = "10.0.0.1";
            c.start = i;
            c.end = i + 0.5;
            c.clientClosed = i + 0.5;
            c.serverTimeWait = i + 0.4;
            addConnection(a, c);
        }
        addSysctlAdvice(a, a.findings);
        auto f = ofKind(a, "tcp_tw_reuse_server_side");
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(f.front()->severity, Severity::Info);
        QVERIFY(contains(f.front()->summary, "All 4 TIME_WAIT windows in the captures are on the server side"));
        QVERIFY(contains(f.front()->summary, "only affects connect()"));
        // A client-side TIME_WAIT too: tcp_tw_reuse can matter, nothing said.
        ConnectionSpec client;
        client.clientTimeWait = 9;
        addConnection(a, client);
        a.findings.clear();
        addSysctlAdvice(a, a.findings);
        QVERIFY(ofKind(a, "tcp_tw_reuse_server_side").empty());
    }

    void finTimeoutDoesNotShortenTimeWait() {
        Analysis a = cleanHost();
        a.sysctl["net.ipv4.tcp_fin_timeout"].value = "10";
        a.settings.finTimeout = {10, "sysctl.txt:3"};
        addSysctlAdvice(a, a.findings);
        const auto f = ofKind(a, "tcp_fin_timeout_not_time_wait");
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(f.front()->severity, Severity::Info);
        QVERIFY(contains(f.front()->summary, "net.ipv4.tcp_fin_timeout = 10 does not shorten TIME_WAIT"));
        QVERIFY(contains(f.front()->summary, "orphaned socket"));
        QVERIFY(contains(f.front()->summary, "FIN_WAIT_2"));
        QVERIFY(contains(f.front()->summary, "fixed 60 s on Linux (TCP_TIMEWAIT_LEN)"));
        QCOMPARE(f.front()->evidence, std::string("sysctl.txt:3: net.ipv4.tcp_fin_timeout = 10"));
        // The default 60, or no sysctl at all: nothing.
        Analysis dflt;
        addSysctlAdvice(dflt, dflt.findings);
        QVERIFY(dflt.findings.empty());
    }

    void narrowPortRange_data() {
        QTest::addColumn<int>("low");
        QTest::addColumn<int>("high");
        QTest::addColumn<QString>("reserved");
        QTest::addColumn<QString>("expected"); // empty: no finding
        QTest::newRow("default") << 32768 << 60999 << "" << "";
        QTest::newRow("wide") << 1024 << 65535 << "" << "";
        QTest::newRow("20 ports") << 41000 << 41019 << "" << "Only 20 usable ephemeral ports (41000-41019): each destination sustains at most 0.333/s";
        QTest::newRow("reserved make it narrow") << 32768 << 60999 << "32768-40000" << "Only 20999 usable ephemeral ports (32768-60999, 7233 of them reserved): each destination sustains at most 350.0/s";
    }
    void narrowPortRange() {
        QFETCH(int, low);
        QFETCH(int, high);
        QFETCH(QString, reserved);
        QFETCH(QString, expected);
        Analysis a = cleanHost();
        a.settings.portLow.value = static_cast<std::uint16_t>(low);
        a.settings.portHigh.value = static_cast<std::uint16_t>(high);
        a.settings.reservedPorts = {reserved.toStdString(), "sysctl.txt:5"};
        a.sysctl["net.ipv4.ip_local_port_range"].value = std::to_string(low) + "\t" + std::to_string(high);
        a.sysctl["net.ipv4.ip_local_reserved_ports"].value = reserved.toStdString();
        addSysctlAdvice(a, a.findings);
        const auto f = ofKind(a, "narrow_port_range");
        if (expected.isEmpty()) {
            QVERIFY(f.empty());
            return;
        }
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(f.front()->severity, Severity::Warning);
        QVERIFY2(contains(f.front()->summary, expected.toStdString().c_str()), f.front()->summary.c_str());
        QVERIFY(contains(f.front()->evidence, "sysctl.txt:1: net.ipv4.ip_local_port_range"));
        if (!reserved.isEmpty())
            QVERIFY(contains(f.front()->evidence, "sysctl.txt:5: net.ipv4.ip_local_reserved_ports = 32768-40000"));
    }
    void unreadableReservedPorts() {
        Analysis a = cleanHost();
        a.settings.reservedPorts = {"40000,abc", "sysctl.txt:5"};
        addSysctlAdvice(a, a.findings);
        const auto f = ofKind(a, "reserved_ports_unreadable");
        QCOMPARE(f.size(), std::size_t(1));
        QVERIFY(contains(f.front()->summary, "cannot read reserved ports 'abc'"));
    }

    void counters() {
        Analysis a;
        a.inputs.resize(2);
        a.inputs[0].path = "netstat-1.txt";
        a.inputs[1].path = "netstat-2.txt";
        SocketSnapshot first, second;
        first.ts = at(0);
        first.input = 0;
        first.counters = {{"TcpExtTCPTimeWaitOverflow", 5}, {"TcpExtTWRecycled", 0}};
        second.ts = at(60);
        second.input = 1;
        second.counters = {{"TcpExtTCPTimeWaitOverflow", 12}, {"TcpExtTWRecycled", 3}};
        a.snapshots = {first, second};
        a.settings.maxTwBuckets = {4096, "sysctl.txt:9"};
        addCounterFindings(a, a.findings);
        QCOMPARE(a.findings.size(), std::size_t(2));
        const Finding& overflow = a.findings[0];
        QCOMPARE(overflow.kind, std::string("time_wait_overflow"));
        QCOMPARE(overflow.severity, Severity::Warning);
        QVERIFY(contains(overflow.summary, ("TcpExtTCPTimeWaitOverflow = 12 (+7 between " + utcText(at(0)) + " and " +
                                            utcText(at(60)) + ")").c_str()));
        QVERIFY(contains(overflow.summary, "net.ipv4.tcp_max_tw_buckets = 4096"));
        QVERIFY(contains(overflow.summary, "destroyed without TIME_WAIT"));
        QVERIFY(contains(overflow.evidence, "netstat-2.txt ("));
        QVERIFY(contains(overflow.evidence, "): TcpExtTCPTimeWaitOverflow 12; sysctl.txt:9: net.ipv4.tcp_max_tw_buckets = 4096"));
        const Finding& recycled = a.findings[1];
        QCOMPARE(recycled.kind, std::string("tw_reuse_happened"));
        QCOMPARE(recycled.severity, Severity::Info);
        QVERIFY(contains(recycled.summary, "TcpExtTWRecycled = 3"));
        QVERIFY(contains(recycled.summary, "through net.ipv4.tcp_tw_reuse or for sockets bound to a port before connect()"));
        QVERIFY(contains(recycled.summary, "nothing to do with the removed tcp_tw_recycle"));
        // Zero counters: nothing.
        Analysis quiet;
        quiet.inputs.resize(1);
        first.counters = {{"TcpExtTCPTimeWaitOverflow", 0}, {"TcpExtTWRecycled", 0}};
        quiet.snapshots = {first};
        addCounterFindings(quiet, quiet.findings);
        QVERIFY(quiet.findings.empty());
    }

    void timeWaitAgreement() {
        Analysis a;
        addCaptureInput(a, 0, 30);
        a.inputs.push_back(named("ss-5.txt"));
        a.inputs.push_back(named("ss-20.txt"));
        // Client 10.0.0.1 closes first three times; 10.0.0.9 is another host's.
        for (int i = 0; i < 3; ++i) {
            ConnectionSpec c;
            c.clientPort = static_cast<std::uint16_t>(41000 + i);
            c.start = i;
            c.end = i + 0.5;
            c.clientTimeWait = i + 0.5;
            c.twSeconds = i == 2 ? 4.0 : 60.0; // the third window ends at 6.5 s
            addConnection(a, c);
        }
        ConnectionSpec other;
        other.client = "10.0.0.9";
        other.clientTimeWait = 0.5;
        addConnection(a, other);
        // At 5 s: the three windows are open; the snapshot misses 41001 and shows one unknown.
        a.snapshots.push_back(listing(5, 1,
                                      {row(TcpState::TimeWait, "10.0.0.1", 41000, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41002, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41007, "10.0.0.2", 80)}));
        // At 20 s: 41000 and 41001 in TIME_WAIT, and a row whose timer dates it before the capture.
        SocketRow old = row(TcpState::TimeWait, "10.0.0.1", 41009, "10.0.0.2", 80);
        old.timerKind = 3;
        old.timerMs = 30'000; // began 30 s before 20 s, i.e. at -10 s
        a.snapshots.push_back(listing(20, 2,
                                      {row(TcpState::TimeWait, "10.0.0.1", 41000, "10.0.0.2", 80),
                                       row(TcpState::TimeWait, "10.0.0.1", 41001, "10.0.0.2", 80), old}));
        // After the capture: not compared.
        a.snapshots.push_back(listing(40, 2, {row(TcpState::TimeWait, "10.0.0.1", 41000, "10.0.0.2", 80)}));

        const auto r = compareTimeWait(a);
        QCOMPARE(r.size(), std::size_t(2));
        QCOMPARE(r[0].snapshot, 0u);
        QCOMPARE(r[0].matched, 2u);
        QCOMPARE(r[0].onlyPredicted, 1u); // 41001 (10.0.0.9's window is another host's)
        QCOMPARE(r[0].onlySnapshot, 1u);  // 41007
        QCOMPARE(r[0].beforeCapture, 0u);
        QCOMPARE(r[1].matched, 2u);
        QCOMPARE(r[1].onlyPredicted, 0u);
        QCOMPARE(r[1].onlySnapshot, 0u);
        QCOMPARE(r[1].beforeCapture, 1u);

        addTimeWaitAgreement(a, a.findings);
        QCOMPARE(a.findings.size(), std::size_t(1));
        QCOMPARE(a.findings[0].severity, Severity::Warning);
        QVERIFY(contains(a.findings[0].summary, "seen in 2 snapshots: 4 matched, 1 only predicted, 1 only in a snapshot "
                                                "(1 began before the capture, not compared)"));
        QCOMPARE(a.findings[0].evidence,
                 "ss-5.txt (" + utcText(at(5)) + "): 2 matched, 1 only predicted, 1 only in the snapshot");
    }

    void timeWaitAgreementTolerance() {
        Analysis a;
        addCaptureInput(a, 0, 30);
        a.inputs.push_back(named("ss.txt"));
        ConnectionSpec c;
        c.clientTimeWait = 5.1; // starts 100 ms after the snapshot's time line
        addConnection(a, c);
        a.snapshots.push_back(listing(5, 1, {row(TcpState::TimeWait, "10.0.0.1", 41000, "10.0.0.2", 80)}));
        auto r = compareTimeWait(a);
        QCOMPARE(r.size(), std::size_t(1));
        QCOMPARE(r[0].matched, 1u);
        // The snapshot taken just before the window: not "only predicted" either.
        a.snapshots.front().sockets.clear();
        a.snapshots.front().sockets.push_back(row(TcpState::Established, "10.0.0.1", 41000, "10.0.0.2", 80));
        r = compareTimeWait(a);
        QCOMPARE(r[0].onlyPredicted, 0u);
        QCOMPARE(r[0].matched, 0u);
        addTimeWaitAgreement(a, a.findings);
        QCOMPARE(a.findings.front().severity, Severity::Info);
        QVERIFY(contains(a.findings.front().summary, "the capture explains the kernel's TIME_WAIT sockets"));
    }

    void wholeAnalysisUnderAWhatIf() {
        Analysis a = exhaustedHost(0);
        Finding other;
        other.kind = "snapshot_trend"; // another pass's finding: kept
        a.findings.push_back(other);
        computeExhaustionAndFindings(a);
        const std::size_t measuredFindings = a.findings.size();
        QCOMPARE(analysisWithWhatIf(a, WhatIf{}).findings.size(), measuredFindings); // neutral: unchanged

        WhatIf pool;
        pool.reuseFactor = 30;
        const Analysis p = analysisWithWhatIf(a, pool);
        QCOMPARE(p.exhaustion.size(), std::size_t(1));
        const Exhaustion& e = p.exhaustion.front();
        QCOMPARE(e.exhaustedAt, kNoTime);            // hypothetical: nothing measured
        QCOMPARE(e.projectedExhaustionAt, kNoTime);  // 10/s / 30 is not above 20 ports / 60 s
        QCOMPARE(e.newConnectionsPerSecondPeak, 10.0 / 30);
        QCOMPARE(e.peakTimeWait, 1u);                // ceil(20 / 30)
        QCOMPARE(e.peakPortsInUse, 1u);
        QCOMPARE(p.findings.front().kind, std::string("snapshot_trend"));
        QVERIFY(!ofKind(p, "what_if").empty());
        QCOMPARE(ofKind(p, "what_if").front()->summary,
                 std::string("What-if: 30 requests per connection (new-connection rates divided by it). The exhaustion "
                             "figures below are projections from the measured load, not measurements."));
        const auto verdicts = ofKind(p, "exhaustion_verdict");
        QCOMPARE(verdicts.size(), std::size_t(1));
        QCOMPARE(verdicts.front()->severity, Severity::Info);
        QVERIFY(contains(verdicts.front()->summary, "peak 1 of 20 usable ports in use (5.0%)"));
        QVERIFY(ofKind(p, "exhaustion_fixes").empty());
        QCOMPARE(ofKind(p, "narrow_port_range").size(), std::size_t(1)); // the range did not change

        WhatIf reuse;
        reuse.twReuse = 1;
        const Analysis r = analysisWithWhatIf(a, reuse);
        QCOMPARE(r.settings.twReuse.value, 1);
        QCOMPARE(r.settings.twReuse.source, std::string("what-if"));
        QCOMPARE(r.exhaustion.front().twReuseActive, true);
        QCOMPARE(r.exhaustion.front().maxSustainableRatePerSecond, 20.0);
        QCOMPARE(r.exhaustion.front().peakTimeWait, 1u); // 20 x 1 s / 60 s, rounded up
        QVERIFY(contains(ofKind(r, "exhaustion_verdict").front()->summary, "(20 ports / 1000 ms tcp_tw_reuse delay)"));
        QVERIFY(contains(ofKind(r, "what_if").front()->summary, "What-if: tcp_tw_reuse = 1."));

        WhatIf wider;
        wider.portLow = 20000;
        wider.portHigh = 60999;
        const Analysis w = analysisWithWhatIf(a, wider);
        QCOMPARE(w.exhaustion.front().usablePorts, 41000u);
        QVERIFY(ofKind(w, "narrow_port_range").empty());
        QVERIFY(contains(ofKind(w, "what_if").front()->summary, "What-if: port range 20000-60999."));
        QVERIFY(contains(ofKind(w, "exhaustion_verdict").front()->evidence,
                         "what-if: net.ipv4.ip_local_port_range = 20000 60999"));
    }

    void noSnapshotsNoAgreement() {
        Analysis a = cleanHost();
        addTimeWaitAgreement(a, a.findings);
        QVERIFY(a.findings.empty());
    }
};

QTEST_GUILESS_MAIN(TestFindings)
#include "tst_findings.moc"
