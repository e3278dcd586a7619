// SPDX-License-Identifier: GPL-3.0-or-later
// Collector bundles through the whole pipeline (analyzeFiles): the bundle twlens-collect wrote in
// the fixture namespace (.tar.gz and unpacked), hand-built bundles for the index-time fallback
// and the collector's notes, a truncated bundle, and a live run of the collector here.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/snapshots/counter_names.h"
#include "importers/analyze_files.h"
#include "importers/snapshot/collector_bundle.h"
#include "snapshot_test_support.h"

using namespace twlens;
using namespace twlens::test;

namespace {

std::shared_ptr<const Analysis> analyze(const std::vector<std::string>& paths) {
    AnalyzeRequest req;
    req.paths = paths;
    auto r = analyzeFiles(req);
    if (!r) {
        qWarning("%s", r.error().message.c_str());
        return nullptr;
    }
    return *r;
}

std::int64_t tw(const SocketSnapshot& s) { return s.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)]; }

void writeFile(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

bool hasWarning(const InputInfo& in, const std::string& fragment) {
    for (const auto& w : in.warnings)
        if (w.message.find(fragment) != std::string::npos)
            return true;
    return false;
}

// The fixture bundle: twlens-collect -i 1 -d 2 in the namespace of make-real-fixtures.sh,
// whose 11 TIME-WAIT sockets lasted through both samples.
void checkFixtureBundle(const Analysis& a, const std::string& bundlePath) {
    // sysctl + 2 x (ss -tano, ss -s, sockstat, /proc/net/netstat); uname and ip are "info".
    QCOMPARE(a.inputs.size(), std::size_t{9});
    QCOMPARE(a.inputs[0].path, bundlePath + "!sysctl.txt");
    QCOMPARE(int(a.inputs[0].kind), int(InputKind::Sysctl));
    QCOMPARE(a.inputs[1].path, bundlePath + "!samples/0001-ss-tano.txt");
    int ss = 0, summary = 0, sockstat = 0, counters = 0;
    for (const SocketSnapshot& s : a.snapshots) {
        QCOMPARE(s.timeSource, std::string("first line"));
        if (s.kind == InputKind::Ss && !s.sockets.empty()) {
            ++ss;
            QCOMPARE(tw(s), 11);
            QCOMPARE(s.timeWaitByDestination.at(0).count, 6);
            QCOMPARE(s.timeWaitByDestination[0].remotePort, std::uint16_t{8080});
        } else if (s.kind == InputKind::Ss) {
            ++summary;
            QCOMPARE(s.counters.at(std::string(counters::kSsTimeWait)), 11);
        } else if (s.kind == InputKind::Sockstat) {
            ++sockstat;
            QCOMPARE(s.timeWaitTotal, 11);
        } else if (s.kind == InputKind::NetstatCounters) {
            ++counters;
            QCOMPARE(s.counters.at(std::string(counters::kTimeWaitArmed)), 11);
        }
    }
    QCOMPARE(ss, 2);
    QCOMPARE(summary, 2);
    QCOMPARE(sockstat, 2);
    QCOMPARE(counters, 2);
    for (std::size_t i = 1; i < a.snapshots.size(); ++i)
        QVERIFY(a.snapshots[i - 1].ts <= a.snapshots[i].ts);
    // The two samples are about one second apart.
    const TimeNs span = a.snapshots.back().ts - a.snapshots.front().ts;
    QVERIFY(span > 900 * kNsPerMs && span < 3 * kNsPerSecond);
    QCOMPARE(a.settings.portLow.value, std::uint16_t{40000});
    QCOMPARE(a.settings.portHigh.value, std::uint16_t{40999});
    QCOMPARE(a.settings.portLow.source, bundlePath + "!sysctl.txt:2");
}

} // namespace

class TestSnapshotBundle : public QObject {
    Q_OBJECT
private slots:
    void fixtureTarGz();
    void fixtureUnpackedDirectory();
    void indexTimeAndNotes();
    void truncatedBundle();
    void notABundle();
    void collectorRunsHere();
    void collectorRejectsBadArguments_data();
    void collectorRejectsBadArguments();
};

void TestSnapshotBundle::fixtureTarGz() {
    const std::string path = realFixture("collector-bundle.tar.gz");
    QVERIFY(isCollectorBundle(path));
    const auto a = analyze({path});
    QVERIFY(a);
    checkFixtureBundle(*a, path);
}

void TestSnapshotBundle::fixtureUnpackedDirectory() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess tar;
    tar.start("tar", {"-xzf", QString::fromStdString(realFixture("collector-bundle.tar.gz")), "-C", dir.path()});
    QVERIFY(tar.waitForFinished(30000));
    QCOMPARE(tar.exitCode(), 0);
    // The directory tar made (holding the bundle's one top directory) and that top directory
    // both open as the bundle.
    const std::string outer = dir.path().toStdString();
    QVERIFY(isCollectorBundle(outer));
    const auto a = analyze({outer});
    QVERIFY(a);
    checkFixtureBundle(*a, outer);
}

void TestSnapshotBundle::indexTimeAndNotes() {
    QTemporaryDir dir;
    const std::filesystem::path root = dir.path().toStdString();
    writeFile(root / "twlens-index.tsv", "# twlens-collect bundle 1\n"
                                         "# member\tkind\tepoch\tnote\n"
                                         "ss.txt\tss\t1763788800.25\t\n"
                                         "sysctl.txt\tsysctl\t1763788799\t\n"
                                         "uname.txt\tinfo\t1763788799\t\n"
                                         "capture.pcap\tskipped\t1763788799\tthe capture needs root\n"
                                         "gone.txt\tsockstat\t1763788801\t\n"
                                         "../escape.txt\tss\t1763788801\t\n");
    writeFile(root / "ss.txt", "State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"
                               "TIME-WAIT 0 0 192.0.2.1:40000 198.51.100.1:80\n");
    writeFile(root / "sysctl.txt", "net.ipv4.tcp_tw_reuse = 1\n");
    writeFile(root / "uname.txt", "Linux web1 6.1.0 #1 SMP x86_64 GNU/Linux\n");
    const auto a = analyze({root.string()});
    QVERIFY(a);
    QCOMPARE(a->inputs.size(), std::size_t{2});
    QCOMPARE(a->snapshots.size(), std::size_t{1});
    QCOMPARE(a->snapshots[0].timeSource, std::string("bundle index"));
    QCOMPARE(a->snapshots[0].ts, 1763788800 * kNsPerSecond + 250 * kNsPerMs);
    QCOMPARE(tw(a->snapshots[0]), 1);
    QCOMPARE(a->settings.twReuse.value, 1);
    const InputInfo& first = a->inputs[0];
    QVERIFY(hasWarning(first, "capture.pcap: skipped by the collector (the capture needs root)"));
    QVERIFY(hasWarning(first, "gone.txt: listed in the index but missing"));
    QVERIFY(hasWarning(first, "twlens-index.tsv line 8: not a MEMBER"));
    QVERIFY(!hasWarning(first, "modification time"));
}

void TestSnapshotBundle::truncatedBundle() {
    QTemporaryDir dir;
    const std::string cut = dir.path().toStdString() + "/cut.tar.gz";
    {
        QFile in(QString::fromStdString(realFixture("collector-bundle.tar.gz")));
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray all = in.readAll();
        QFile out(QString::fromStdString(cut));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(all.left(all.size() / 2));
    }
    QVERIFY(isCollectorBundle(cut));
    const auto a = analyze({cut});
    QVERIFY(a);
    QVERIFY(!a->inputs.empty());
    QVERIFY(a->inputs.size() < 9);
    QVERIFY(hasWarning(a->inputs[0], "ends early"));
    QVERIFY(hasWarning(a->inputs[0], "missing from the bundle"));
}

void TestSnapshotBundle::notABundle() {
    QVERIFY(!isCollectorBundle(realFixture("ss-tan.txt")));
    QVERIFY(!isCollectorBundle(std::string(TWLENS_PUBLIC_CAPTURES) + "/zeek-http-get.pcap"));
    QTemporaryDir dir;
    QVERIFY(!isCollectorBundle(dir.path().toStdString()));
    AnalyzeRequest req;
    req.paths = {handmadeFixture("not-a-snapshot.txt")};
    const auto r = analyzeFiles(req);
    QVERIFY(!r);
    QVERIFY(r.error().message.find("not a capture or a snapshot I know") != std::string::npos);
}

// The collector as a sysadmin runs it: no root needed, here in the test's own namespace for
// three one-second samples; the bundle it writes is read back whole.
void TestSnapshotBundle::collectorRunsHere() {
    QTemporaryDir dir;
    const QString out = dir.path() + "/run.tar.gz";
    const auto before = std::chrono::system_clock::now();
    QProcess p;
    p.start("dash", {QString(TWLENS_SOURCE_DIR) + "/installer/twlens-collect", "-i", "1", "-d", "3", "-o", out});
    QVERIFY(p.waitForFinished(60000));
    const auto after = std::chrono::system_clock::now();
    QCOMPARE(p.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()).trimmed(), out);
    const auto a = analyze({out.toStdString()});
    QVERIFY(a);
    int ss = 0;
    const TimeNs lo = std::chrono::duration_cast<std::chrono::nanoseconds>(before.time_since_epoch()).count();
    const TimeNs hi = std::chrono::duration_cast<std::chrono::nanoseconds>(after.time_since_epoch()).count();
    for (const SocketSnapshot& s : a->snapshots) {
        QVERIFY(s.ts >= lo - kNsPerSecond && s.ts <= hi);
        QCOMPARE(s.timeSource, std::string("first line"));
        if (s.kind == InputKind::Ss && s.counters.empty())
            ++ss;
    }
    QCOMPARE(a->snapshots.size(), std::size_t{12}); // 3 samples x (ss -tano, ss -s, sockstat, netstat)
    QVERIFY(ss >= 1);
    QVERIFY(a->sysctl.count("net.ipv4.ip_local_port_range"));
    for (const InputInfo& in : a->inputs)
        QVERIFY2(in.warnings.empty(), in.path.c_str());
}

void TestSnapshotBundle::collectorRejectsBadArguments_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("interval too long") << QStringList{"-i", "301"};
    QTest::newRow("duration zero") << QStringList{"-d", "0"};
    QTest::newRow("duration too long") << QStringList{"-d", "3601"};
    QTest::newRow("not a number") << QStringList{"-i", "1s"};
    QTest::newRow("capture cap") << QStringList{"-p", "-c", "5000"};
    QTest::newRow("stray argument") << QStringList{"now"};
    QTest::newRow("output directory missing") << QStringList{"-o", "/nonexistent-twlens/x.tar.gz"};
}

void TestSnapshotBundle::collectorRejectsBadArguments() {
    QFETCH(QStringList, args);
    QProcess p;
    p.start("dash", QStringList{QString(TWLENS_SOURCE_DIR) + "/installer/twlens-collect"} + args);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().startsWith("twlens-collect: "));
    QVERIFY(p.readAllStandardOutput().isEmpty());
}

QTEST_GUILESS_MAIN(TestSnapshotBundle)
#include "tst_snapshot_bundle.moc"
