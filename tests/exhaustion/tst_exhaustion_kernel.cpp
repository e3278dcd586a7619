// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel's own port exhaustion (tests/data/kernel/port_exhaustion, made by
// tests/kernel/make-fixtures.sh): a client in a network namespace with
// ip_local_port_range = 41000 41019 and tcp_tw_reuse = 0 connected to 127.1.0.2:8080 and closed
// first, every ~0.1 s, until connect() failed with EADDRNOTAVAIL. Its capture, ss/netstat/
// /proc/net/tcp snapshots and sysctl are analysed with analyzeFiles() as a user would load them;
// every expectation comes from expected.json (what the scenario and the kernel recorded).
#include <QtTest>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/exhaustion/port_sweep.h"
#include "core/exhaustion/what_if.h"
#include "core/findings/time_wait_agreement.h"
#include "importers/analyze_files.h"

using namespace twlens;

namespace {

const QString kDir = QStringLiteral(TWLENS_TEST_DATA "/kernel/port_exhaustion");

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

} // namespace

class TestExhaustionKernel : public QObject {
    Q_OBJECT
    QJsonObject expected_;
    std::shared_ptr<const Analysis> a_;
    QString client_, server_;
    int serverPort_ = 0;

private slots:
    void initTestCase() {
        QFile f(kDir + "/expected.json");
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        expected_ = QJsonDocument::fromJson(f.readAll()).object();
        QCOMPARE(expected_["scenario"].toString(), QStringLiteral("port_exhaustion"));
        client_ = expected_["client"].toObject()["ip"].toString();
        server_ = expected_["server"].toObject()["ip"].toString();
        serverPort_ = expected_["server"].toObject()["port"].toInt();
        // The client host's files only: its capture, snapshots, counters and sysctl.
        AnalyzeRequest req;
        const QStringList names = QDir(kDir).entryList({"*.client.*", "client.pcap"}, QDir::Files, QDir::Name);
        for (const QString& n : names)
            req.paths.push_back((kDir + "/" + n).toStdString());
        QVERIFY(req.paths.size() > 20);
        auto r = analyzeFiles(req);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        a_ = *r;
    }

    void settingsFromTheClientSysctl() {
        const QJsonObject sysctl = expected_["sysctl"].toObject()["client"].toObject();
        const QStringList range = sysctl["net.ipv4.ip_local_port_range"].toString().split(' ', Qt::SkipEmptyParts);
        QCOMPARE(a_->settings.portLow.value, range[0].toUShort());
        QCOMPARE(a_->settings.portHigh.value, range[1].toUShort());
        QCOMPARE(a_->settings.twReuse.value, sysctl["net.ipv4.tcp_tw_reuse"].toString().toInt());
        QCOMPARE(a_->settings.twReuse.value, 0);
    }

    void rangeExhaustedWhenTheKernelRefused() {
        const Exhaustion* e = find(*a_, client_, server_, serverPort_);
        QVERIFY(e);
        QCOMPARE(a_->exhaustion.front().remotePort, e->remotePort); // most at risk first
        const QJsonObject facts = expected_["facts"].toObject();
        const QJsonArray conns = expected_["connections"].toArray();
        QCOMPARE(facts["first_failure"].toObject()["errno"].toString(), QStringLiteral("EADDRNOTAVAIL"));
        QCOMPARE(e->usablePorts, 20u);
        QCOMPARE(e->usablePorts, static_cast<std::uint32_t>(facts["connections_made"].toInt()));
        QCOMPARE(e->connections, static_cast<std::uint32_t>(conns.size()));
        QCOMPARE(e->sources, std::uint8_t(Exhaustion::FromCapture | Exhaustion::FromSnapshots));
        QCOMPARE(e->peakPortsInUse, 20u);
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
        // tcp_tw_reuse = 0: 20 ports / 60 s.
        QCOMPARE(e->twReuseActive, false);
        QCOMPARE(e->maxSustainableRatePerSecond, 20.0 / 60.0);
        // The projection from the SYN rate lands within one connection interval of the refusal.
        const TimeNs firstConnect = epoch(conns.first().toObject()["connect_ts"]);
        const TimeNs interval = (lastConnect - firstConnect) / (conns.size() - 1);
        QVERIFY(e->projectedExhaustionAt != kNoTime);
        QVERIFY2(std::llabs(e->projectedExhaustionAt - refused) <= interval,
                 qPrintable(QString("projected %1, refused %2, interval %3")
                                .arg(toSeconds(e->projectedExhaustionAt), 0, 'f', 6)
                                .arg(toSeconds(refused), 0, 'f', 6)
                                .arg(toSeconds(interval), 0, 'f', 6)));
        QVERIFY(e->newConnectionsPerSecondPeak > e->maxSustainableRatePerSecond);
        QVERIFY(e->timestampsSeen);
    }

    void timeWaitCountsEqualTheKernels() {
        const Exhaustion* e = find(*a_, client_, server_, serverPort_);
        QVERIFY(e);
        QVERIFY(e->series.size() < kSeriesBudget); // not thinned: exact levels
        int compared = 0;
        for (const QJsonValue& v : expected_["snapshots"].toArray()) {
            const QJsonObject s = v.toObject();
            if (!s["time_wait_count"].toObject().contains("client"))
                continue;
            const TimeNs ts = epoch(s["ts"].toObject()["client"]);
            const auto expectedCount = static_cast<std::uint32_t>(s["time_wait_count"].toObject()["client"].toInt());
            QCOMPARE(levelAt(e->series, ts).timeWait, expectedCount);
            ++compared;
        }
        QCOMPARE(compared, 9);
    }

    void predictedTimeWaitAgreesWithSs() {
        const std::vector<TimeWaitAgreement> all = compareTimeWait(*a_);
        // Listings within the capture (first to last packet): the during snapshots after the first SYN.
        QVERIFY(!all.empty());
        std::uint32_t matched = 0;
        for (const TimeWaitAgreement& r : all) {
            QCOMPARE(r.onlyPredicted, 0u);
            QCOMPARE(r.onlySnapshot, 0u);
            QCOMPARE(r.beforeCapture, 0u);
            matched += r.matched;
        }
        std::uint32_t expectedMatched = 0;
        const TimeNs first = a_->connections.front().start;
        const TimeNs last = a_->inputs.back().lastTs;
        for (const QJsonValue& v : expected_["snapshots"].toArray()) {
            const QJsonObject s = v.toObject();
            const TimeNs ts = epoch(s["ts"].toObject()["client"]);
            if (s["time_wait_count"].toObject().contains("client") && ts >= first && ts <= last)
                expectedMatched += static_cast<std::uint32_t>(s["time_wait_count"].toObject()["client"].toInt());
        }
        QCOMPARE(matched, expectedMatched);
        QCOMPARE(matched, 4u + 8u + 12u + 15u + 18u);
        const Finding* f = findingOf(*a_, "time_wait_agreement");
        QVERIFY(f);
        QCOMPARE(f->severity, Severity::Info);
    }

    void findingsOnTheKernelRun() {
        const Finding* verdict = findingOf(*a_, "exhaustion_verdict");
        QVERIFY(verdict);
        QCOMPARE(verdict->severity, Severity::Critical);
        QVERIFY(verdict->summary.find("exhausted") != std::string::npos);
        QVERIFY(verdict->summary.find("EADDRNOTAVAIL") != std::string::npos);
        QVERIFY(verdict->evidence.find("01-sysctl.client.sysctl.txt:2: net.ipv4.ip_local_port_range") != std::string::npos);
        const Finding* narrow = findingOf(*a_, "narrow_port_range");
        QVERIFY(narrow);
        QCOMPARE(narrow->severity, Severity::Warning);
        QVERIFY(narrow->summary.find("Only 20 usable") != std::string::npos);
        QVERIFY(findingOf(*a_, "exhaustion_fixes"));
        QVERIFY(!findingOf(*a_, "tcp_tw_reuse_loopback_only")); // tcp_tw_reuse = 0, not 2
        QVERIFY(!findingOf(*a_, "tcp_tw_recycle_present"));
        QVERIFY(!findingOf(*a_, "time_wait_overflow"));
    }

    void whatIfOnTheKernelRun() {
        const Exhaustion* e = find(*a_, client_, server_, serverPort_);
        QVERIFY(e);
        // The Linux default tcp_tw_reuse = 2 covers this loopback destination (127.1.0.2), and
        // the connections carried timestamps: connect() would have reused TIME_WAIT ports.
        WhatIf w;
        w.twReuse = 2;
        const Exhaustion reuse = project(*e, a_->settings, w);
        QCOMPARE(reuse.twReuseActive, true);
        QCOMPARE(reuse.maxSustainableRatePerSecond, 20.0);
        QCOMPARE(reuse.projectedExhaustionAt, kNoTime);
        // Pooling: enough requests per connection keep the rate under 20 ports / 60 s.
        WhatIf pool;
        pool.reuseFactor = std::ceil(e->newConnectionsPerSecondPeak / e->maxSustainableRatePerSecond);
        QCOMPARE(project(*e, a_->settings, pool).projectedExhaustionAt, kNoTime);
        pool.reuseFactor -= 1;
        QVERIFY(project(*e, a_->settings, pool).projectedExhaustionAt != kNoTime);
    }
};

QTEST_GUILESS_MAIN(TestExhaustionKernel)
#include "tst_exhaustion_kernel.moc"
