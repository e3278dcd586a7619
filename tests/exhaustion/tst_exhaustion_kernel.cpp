// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel's own port exhaustion (tests/data/kernel/<scenario>, made by
// tests/kernel/make-fixtures.sh): a client in a network namespace with tcp_tw_reuse = 0 connected
// to 127.1.0.2:8080 and closed first, every ~0.1 s, until connect() failed with EADDRNOTAVAIL.
//   port_exhaustion: ip_local_port_range = 41000 41019, 20 connections.
//   sample: 41000 41015, 17 connections: a RST at RCV.NXT killed one TIME_WAIT early (tcp_rfc1337
//           = 0, RFC 1337 assassination) and freed its port, and one final ACK was lost.
// The client's capture, ss/netstat//proc/net/tcp snapshots and sysctl are analysed with
// analyzeFiles() as a user would load them; every expectation comes from expected.json (what the
// scenario and the kernel recorded).
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <map>

#include "core/exhaustion/port_sweep.h"
#include "core/exhaustion/what_if.h"
#include "core/findings/time_wait_agreement.h"
#include "importers/analyze_files.h"

using namespace twlens;

namespace {

const QString kDir = QStringLiteral(TWLENS_TEST_DATA "/kernel");

TimeNs epoch(const QJsonValue& v) {
    return fromSeconds(v.toDouble());
}

const Exhaustion* find(const Analysis& a, const QString& local, const QString& remote, int port) {
    for (const Exhaustion& e : a.exhaustion)
        if (e.localIp.toString() == local.toStdString() && e.remoteIp.toString() == remote.toStdString() &&
            e.remotePort == port)
            return &e;
    return nullptr;
}

const Finding* findingOf(const Analysis& a, const std::string& kind) {
    for (const Finding& f : a.findings)
        if (f.kind == kind)
            return &f;
    return nullptr;
}

struct Loaded {
    QJsonObject expected;
    std::shared_ptr<const Analysis> analysis;
    QString client, server;
    int serverPort = 0;
};

// Each scenario is analysed once and shared by the test functions.
// withCapture false: the client's snapshots and sysctl alone, as when no capture was taken.
const Loaded& load(const QString& scenario, bool withCapture = true) {
    static std::map<std::pair<QString, bool>, Loaded> cache;
    if (const auto it = cache.find({scenario, withCapture}); it != cache.end())
        return it->second;
    Loaded l;
    const QString dir = kDir + "/" + scenario;
    QFile f(dir + "/expected.json");
    if (f.open(QIODevice::ReadOnly))
        l.expected = QJsonDocument::fromJson(f.readAll()).object();
    l.client = l.expected["client"].toObject()["ip"].toString();
    l.server = l.expected["server"].toObject()["ip"].toString();
    l.serverPort = l.expected["server"].toObject()["port"].toInt();
    // The client host's files only: its capture, snapshots, counters and sysctl.
    AnalyzeRequest req;
    QStringList patterns{"*.client.*"};
    if (withCapture)
        patterns << "client.pcap";
    for (const QString& n : QDir(dir).entryList(patterns, QDir::Files, QDir::Name))
        req.paths.push_back((dir + "/" + n).toStdString());
    if (auto r = analyzeFiles(req); r.ok())
        l.analysis = *r;
    return cache.emplace(std::make_pair(scenario, withCapture), std::move(l)).first->second;
}

void scenarios() {
    QTest::addColumn<QString>("scenario");
    QTest::newRow("port_exhaustion") << "port_exhaustion";
    QTest::newRow("sample") << "sample";
}

} // namespace

class TestExhaustionKernel : public QObject {
    Q_OBJECT

private slots:
    void loads_data() { scenarios(); }
    void loads() {
        QFETCH(QString, scenario);
        const Loaded& l = load(scenario);
        QCOMPARE(l.expected["scenario"].toString(), scenario);
        QVERIFY(l.analysis);
        QVERIFY(l.analysis->inputs.size() > 20);
        QVERIFY(!l.analysis->connections.empty());
    }

    void settingsFromTheClientSysctl_data() { scenarios(); }
    void settingsFromTheClientSysctl() {
        QFETCH(QString, scenario);
        const Loaded& l = load(scenario);
        QVERIFY(l.analysis);
        const QJsonObject sysctl = l.expected["sysctl"].toObject()["client"].toObject();
        const QStringList range = sysctl["net.ipv4.ip_local_port_range"].toString().split(' ', Qt::SkipEmptyParts);
        QCOMPARE(l.analysis->settings.portLow.value, range[0].toUShort());
        QCOMPARE(l.analysis->settings.portHigh.value, range[1].toUShort());
        QCOMPARE(l.analysis->settings.twReuse.value, sysctl["net.ipv4.tcp_tw_reuse"].toString().toInt());
        QCOMPARE(l.analysis->settings.twReuse.value, 0);
    }

    void rangeExhaustedWhenTheKernelRefused_data() {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<uint>("ports");
        QTest::addColumn<uint>("freedByRst"); // ports an assassinated TIME_WAIT gave back
        QTest::newRow("port_exhaustion") << "port_exhaustion" << 20u << 0u;
        QTest::newRow("sample") << "sample" << 16u << 1u;
    }
    void rangeExhaustedWhenTheKernelRefused() {
        QFETCH(QString, scenario);
        QFETCH(uint, ports);
        QFETCH(uint, freedByRst);
        const Loaded& l = load(scenario);
        QVERIFY(l.analysis);
        const Analysis& a = *l.analysis;
        const Exhaustion* e = find(a, l.client, l.server, l.serverPort);
        QVERIFY(e);
        QCOMPARE(a.exhaustion.front().remotePort, e->remotePort); // most at risk first
        const QJsonObject facts = l.expected["facts"].toObject();
        const QJsonArray conns = l.expected["connections"].toArray();
        QCOMPARE(facts["first_failure"].toObject()["errno"].toString(), QStringLiteral("EADDRNOTAVAIL"));
        QCOMPARE(e->usablePorts, ports);
        QCOMPARE(static_cast<uint>(facts["connections_made"].toInt()), ports + freedByRst);
        QCOMPARE(e->connections, static_cast<std::uint32_t>(conns.size()));
        QCOMPARE(e->sources, std::uint8_t(Exhaustion::FromCapture | Exhaustion::FromSnapshots));
        QCOMPARE(e->peakPortsInUse, ports);
        QCOMPARE(e->peakTimeWait, static_cast<std::uint32_t>(facts["time_wait_at_exhaustion"].toInt()));
        // Full from the last successful connect() on, and before the refused one.
        const TimeNs lastConnect = epoch(conns.last().toObject()["connect_ts"]);
        const TimeNs refused = epoch(facts["first_failure"].toObject()["ts"]);
        QVERIFY(e->exhaustedAt != kNoTime);
        QVERIFY2(e->exhaustedAt >= lastConnect && e->exhaustedAt <= refused,
                 qPrintable(QString("exhausted at %1, last connect %2, refused %3")
                                .arg(toSeconds(e->exhaustedAt), 0, 'f', 6)
                                .arg(toSeconds(lastConnect), 0, 'f', 6)
                                .arg(toSeconds(refused), 0, 'f', 6)));
        QCOMPARE(e->peakTime, e->exhaustedAt);
        // tcp_tw_reuse = 0: ports / 60 s.
        QCOMPARE(e->twReuseActive, false);
        QCOMPARE(e->maxSustainableRatePerSecond, ports / 60.0);
        QVERIFY(e->newConnectionsPerSecondPeak > e->maxSustainableRatePerSecond);
        QVERIFY(e->timestampsSeen);
        QVERIFY(e->projectedExhaustionAt != kNoTime);
        if (freedByRst == 0) {
            // A steady pace: the projection from the SYN rate lands within one connection
            // interval of the refusal.
            const TimeNs firstConnect = epoch(conns.first().toObject()["connect_ts"]);
            const TimeNs interval = (lastConnect - firstConnect) / (conns.size() - 1);
            QVERIFY2(std::llabs(e->projectedExhaustionAt - refused) <= interval,
                     qPrintable(QString("projected %1, refused %2, interval %3")
                                    .arg(toSeconds(e->projectedExhaustionAt), 0, 'f', 6)
                                    .arg(toSeconds(refused), 0, 'f', 6)
                                    .arg(toSeconds(interval), 0, 'f', 6)));
        }
    }

    void timeWaitCountsEqualTheKernels_data() { scenarios(); }
    void timeWaitCountsEqualTheKernels() {
        QFETCH(QString, scenario);
        const Loaded& l = load(scenario);
        QVERIFY(l.analysis);
        const Exhaustion* e = find(*l.analysis, l.client, l.server, l.serverPort);
        QVERIFY(e);
        QVERIFY(e->series.size() < kSeriesBudget); // not thinned: exact levels
        int compared = 0;
        for (const QJsonValue& v : l.expected["snapshots"].toArray()) {
            const QJsonObject s = v.toObject();
            if (!s["time_wait_count"].toObject().contains("client"))
                continue;
            const TimeNs ts = epoch(s["ts"].toObject()["client"]);
            const auto expectedCount = static_cast<std::uint32_t>(s["time_wait_count"].toObject()["client"].toInt());
            QVERIFY2(levelAt(e->series, ts).timeWait == expectedCount,
                     qPrintable(s["label"].toString() + QString(": %1 predicted, ss %2")
                                                             .arg(levelAt(e->series, ts).timeWait)
                                                             .arg(expectedCount)));
            ++compared;
        }
        QVERIFY(compared >= 9);
    }

    void predictedTimeWaitAgreesWithSs_data() { scenarios(); }
    void predictedTimeWaitAgreesWithSs() {
        QFETCH(QString, scenario);
        const Loaded& l = load(scenario);
        QVERIFY(l.analysis);
        const Analysis& a = *l.analysis;
        const std::vector<TimeWaitAgreement> all = compareTimeWait(a);
        QVERIFY(all.size() >= 4);
        std::uint32_t matched = 0;
        for (const TimeWaitAgreement& r : all) {
            QCOMPARE(r.onlyPredicted, 0u);
            QCOMPARE(r.onlySnapshot, 0u);
            QCOMPARE(r.beforeCapture, 0u);
            matched += r.matched;
        }
        // The listings within the capture (first to last packet) and what ss counted in them.
        std::uint32_t expectedMatched = 0;
        TimeNs first = kNoTime, last = kNoTime;
        for (const InputInfo& in : a.inputs)
            if (in.kind == InputKind::Pcap || in.kind == InputKind::Pcapng) {
                first = in.firstTs;
                last = in.lastTs;
            }
        for (const QJsonValue& v : l.expected["snapshots"].toArray()) {
            const QJsonObject s = v.toObject();
            const TimeNs ts = epoch(s["ts"].toObject()["client"]);
            if (s["time_wait_count"].toObject().contains("client") && ts >= first && ts <= last)
                expectedMatched += static_cast<std::uint32_t>(s["time_wait_count"].toObject()["client"].toInt());
        }
        QVERIFY(expectedMatched > 0);
        QCOMPARE(matched, expectedMatched);
        const Finding* f = findingOf(a, "time_wait_agreement");
        QVERIFY(f);
        QCOMPARE(f->severity, Severity::Info);
    }

    void findingsOnTheKernelRun_data() { rangeExhaustedWhenTheKernelRefused_data(); }
    void findingsOnTheKernelRun() {
        QFETCH(QString, scenario);
        QFETCH(uint, ports);
        const Loaded& l = load(scenario);
        QVERIFY(l.analysis);
        const Analysis& a = *l.analysis;
        const Finding* verdict = findingOf(a, "exhaustion_verdict");
        QVERIFY(verdict);
        QCOMPARE(verdict->severity, Severity::Critical);
        QVERIFY(verdict->summary.find("exhausted") != std::string::npos);
        QVERIFY(verdict->summary.find("EADDRNOTAVAIL") != std::string::npos);
        QVERIFY(verdict->evidence.find("01-sysctl.client.sysctl.txt:2: net.ipv4.ip_local_port_range") != std::string::npos);
        const Finding* narrow = findingOf(a, "narrow_port_range");
        QVERIFY(narrow);
        QCOMPARE(narrow->severity, Severity::Warning);
        QVERIFY(narrow->summary.find("Only " + std::to_string(ports) + " usable") != std::string::npos);
        const Finding* fixes = findingOf(a, "exhaustion_fixes");
        QVERIFY(fixes);
        // 127.1.0.2 is loopback: the default tcp_tw_reuse = 2 would have covered it.
        QVERIFY(fixes->summary.find("the default 2 would do the same here") != std::string::npos);
        QVERIFY(!findingOf(a, "tcp_tw_reuse_loopback_only")); // tcp_tw_reuse = 0, not 2
        QVERIFY(!findingOf(a, "tcp_tw_recycle_present"));
        QVERIFY(!findingOf(a, "tcp_fin_timeout_not_time_wait"));
        QVERIFY(!findingOf(a, "time_wait_overflow"));
    }

    // Without the capture the snapshot series alone must see the range fill: exhausted at the
    // first listing that shows every port held, TIME_WAIT as ss counted it, a growth above the
    // sustainable rate.
    void snapshotsAlone_data() { rangeExhaustedWhenTheKernelRefused_data(); }
    void snapshotsAlone() {
        QFETCH(QString, scenario);
        QFETCH(uint, ports);
        const Loaded& l = load(scenario, false);
        QVERIFY(l.analysis);
        QVERIFY(l.analysis->connections.empty());
        const Exhaustion* e = find(*l.analysis, l.client, l.server, l.serverPort);
        QVERIFY(e);
        QCOMPARE(e->sources, std::uint8_t(Exhaustion::FromSnapshots));
        QCOMPARE(e->usablePorts, ports);
        QCOMPARE(e->peakPortsInUse, ports);
        TimeNs firstFull = kNoTime;
        std::uint32_t mostTimeWait = 0;
        for (const QJsonValue& v : l.expected["snapshots"].toArray()) {
            const QJsonObject s = v.toObject();
            if (!s["time_wait_count"].toObject().contains("client"))
                continue;
            const auto count = static_cast<std::uint32_t>(s["time_wait_count"].toObject()["client"].toInt());
            mostTimeWait = std::max(mostTimeWait, count);
            if (count == ports && firstFull == kNoTime)
                firstFull = epoch(s["ts"].toObject()["client"]);
        }
        QVERIFY(firstFull != kNoTime);
        // The listing's own time line is nanoseconds; expected.json holds it as a double.
        QVERIFY(std::llabs(e->exhaustedAt - firstFull) < kNsPerUs);
        QCOMPARE(e->peakTimeWait, mostTimeWait);
        QVERIFY(e->portsGrowthPerSecond > e->maxSustainableRatePerSecond);
        QVERIFY(e->projectedExhaustionAt != kNoTime);
        const Finding* verdict = findingOf(*l.analysis, "exhaustion_verdict");
        QVERIFY(verdict);
        QCOMPARE(verdict->severity, Severity::Critical);
        QVERIFY(verdict->evidence.find(".client.") != std::string::npos); // cites a snapshot file
        QVERIFY(!findingOf(*l.analysis, "time_wait_agreement"));           // no capture to compare with
    }

    void whatIfOnTheKernelRun_data() { scenarios(); }
    void whatIfOnTheKernelRun() {
        QFETCH(QString, scenario);
        const Loaded& l = load(scenario);
        QVERIFY(l.analysis);
        const Exhaustion* e = find(*l.analysis, l.client, l.server, l.serverPort);
        QVERIFY(e);
        // The Linux default tcp_tw_reuse = 2 covers this loopback destination (127.1.0.2), and
        // the connections carried timestamps: connect() would have reused TIME_WAIT ports.
        WhatIf w;
        w.twReuse = 2;
        const Exhaustion reuse = project(*e, l.analysis->settings, w);
        QCOMPARE(reuse.twReuseActive, true);
        QCOMPARE(reuse.maxSustainableRatePerSecond, static_cast<double>(e->usablePorts)); // ports / 1 s
        QCOMPARE(reuse.projectedExhaustionAt, kNoTime);
        // Pooling: enough requests per connection keep the rate under ports / 60 s.
        WhatIf pool;
        pool.reuseFactor = std::ceil(e->newConnectionsPerSecondPeak / e->maxSustainableRatePerSecond);
        QCOMPARE(project(*e, l.analysis->settings, pool).projectedExhaustionAt, kNoTime);
        pool.reuseFactor -= 1;
        QVERIFY(project(*e, l.analysis->settings, pool).projectedExhaustionAt != kNoTime);
    }
};

QTEST_GUILESS_MAIN(TestExhaustionKernel)
#include "tst_exhaustion_kernel.moc"
