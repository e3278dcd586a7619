// SPDX-License-Identifier: GPL-3.0-or-later
// The analysis pipeline (importers/analyze_files.cpp) and its reader/reconstructor hand-over
// (SegmentRing): errors naming the file, cancellation, time order of captures, settings from
// sysctl inputs, and the two-thread pipeline giving exactly the single-thread result.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <stdexcept>

#include "capture_test_support.h"
#include "importers/analyze_files.h"
#include "importers/segment_ring.h"

using namespace twlens;
using namespace twlens::test;

namespace {

struct ProgressLog final : ImportObserver {
    std::vector<ImportProgress> calls;
    void progress(const ImportProgress& p) override { calls.push_back(p); }
};

// Everything the reconstructor produced, as one digest: two runs agree iff this agrees. Where
// each connection's segments and states sit in their arrays is left out: the Finaliser's two
// threads append batches in whichever order they finish them.
QByteArray analysisDigest(const Analysis& a) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    const auto add = [&](const auto& v) { h.addData(QByteArrayView(reinterpret_cast<const char*>(&v), sizeof v)); };
    for (const Connection& c : a.connections) {
        add(c.id); add(c.clientAddr); add(c.serverAddr); add(c.vlan); add(c.clientPort); add(c.serverPort);
        add(c.input); add(c.flags); add(c.start); add(c.end); add(c.reuseGap); add(c.previousIncarnation);
        add(c.nextIncarnation); add(c.segmentCount); add(c.stateCount);
        add(c.finRetransmissions); add(c.isn); add(c.packets); add(c.payloadBytes); add(c.activeCloser);
        add(c.closeKind); add(c.timeWaitCount);
        for (int i = 0; i < c.timeWaitCount; ++i) {
            add(c.timeWait[static_cast<std::size_t>(i)].start);
            add(c.timeWait[static_cast<std::size_t>(i)].end);
            add(c.timeWait[static_cast<std::size_t>(i)].side);
            add(c.timeWait[static_cast<std::size_t>(i)].reason);
        }
        for (const ControlSegment& s : a.segmentsOf(c))
            add(s);
        for (const StateChange& s : a.statesOf(c))
            add(s);
    }
    for (const IpAddress& ip : a.addresses)
        add(ip.bytes);
    for (std::uint64_t v : a.vlanStacks)
        add(v);
    return h.result();
}

Result<std::shared_ptr<const Analysis>> analyze(const QStringList& paths, ImportObserver* observer = nullptr,
                                                std::stop_token stop = {}, SettingsOverrides overrides = {}) {
    AnalyzeRequest r;
    for (const QString& p : paths)
        r.paths.push_back(p.toStdString());
    r.overrides = overrides;
    return analyzeFiles(r, observer, stop);
}

// The readable public captures (libpcap opens them), in directory order.
QStringList readablePublicCaptures() {
    QStringList out;
    const QDir dir(QStringLiteral(TWLENS_PUBLIC_CAPTURES));
    for (const QString& f : dir.entryList({QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")}, QDir::Files, QDir::Name))
        if (!f.startsWith(QStringLiteral("libpcap-")))
            out << dir.filePath(f);
    return out;
}

struct ThrowingSink final : SegmentSink {
    int calls = 0;
    void segments(std::span<const Segment>) override {
        if (++calls == 3)
            throw std::runtime_error("consumer failed");
    }
};

class PipelineEnv {
public:
    explicit PipelineEnv(const char* mode) { qputenv("TWLENS_PIPELINE", mode); }
    ~PipelineEnv() { qunsetenv("TWLENS_PIPELINE"); }
};

} // namespace

class TestAnalyzeFiles : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(tmp_.isValid()); }
    void errorsNameTheFile_data();
    void errorsNameTheFile();
    void cancellation();
    void capturesReadInTimeOrder();
    void damagedCaptureIsAnalysedAsFarAsItGoes();
    void twoThreadsGiveTheSingleThreadResult_data();
    void twoThreadsGiveTheSingleThreadResult();
    void settingsFromSysctlAndOverrides();
    void ringKeepsOrderWithTinySlots();
    void ringPassesOnConsumerFailure();

private:
    QTemporaryDir tmp_;
};

void TestAnalyzeFiles::errorsNameTheFile_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing") << tmp_.filePath(QStringLiteral("nope.pcap")) << QStringLiteral("No such file or directory");
    QDir(tmp_.path()).mkdir(QStringLiteral("plain-dir"));
    QTest::newRow("directory, not a bundle") << tmp_.filePath(QStringLiteral("plain-dir"))
                                             << QStringLiteral("is a directory");
    const QString junk = tmp_.filePath(QStringLiteral("junk.bin"));
    QFile f(junk);
    if (f.open(QIODevice::WriteOnly))
        f.write(QByteArray(512, '\0'));
    f.close();
    QTest::newRow("unknown format") << junk << QStringLiteral("not a capture or a snapshot I know");
    QTest::newRow("archaic pcap") << publicCapture(QStringLiteral("libpcap-pcap-invalid-version-1.pcap"))
                                  << QStringLiteral("archaic pcap savefile format");
    QTest::newRow("broken pcapng") << publicCapture(QStringLiteral("libpcap-shb-option-too-long.pcapng"))
                                   << QStringLiteral("block total length in header and trailer don't match");
}

void TestAnalyzeFiles::errorsNameTheFile() {
    QFETCH(QString, path);
    QFETCH(QString, reason);
    // A good capture before the bad input does not save the analysis: an input that cannot be
    // read at all fails the whole run (the CLI exits 2).
    const auto r = analyze({publicCapture(QStringLiteral("zeek-http-get.pcap")), path});
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.error().message), path + QStringLiteral(": ") + reason);
}

void TestAnalyzeFiles::cancellation() {
    std::stop_source stop;
    stop.request_stop();
    const auto r = analyze({publicCapture(QStringLiteral("zeek-echo-connections.pcap"))}, nullptr, stop.get_token());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().message, std::string("cancelled"));
}

void TestAnalyzeFiles::capturesReadInTimeOrder() {
    // pcpp-nanosecs_big_endian (2025) is given first, zeek-http-get (2009) second: the reader takes
    // the older one first, while Analysis::inputs keeps the order the user gave.
    const QString newer = publicCapture(QStringLiteral("pcpp-nanosecs_big_endian.pcap"));
    const QString older = publicCapture(QStringLiteral("zeek-http-get.pcap"));
    ProgressLog log;
    const auto r = analyze({newer, older}, &log);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    const Analysis& a = **r;
    QCOMPARE(a.inputs.size(), std::size_t{2});
    QCOMPARE(QString::fromStdString(a.inputs[0].path), newer);
    QCOMPARE(QString::fromStdString(a.inputs[1].path), older);
    QVERIFY(a.inputs[1].firstTs < a.inputs[0].firstTs);
    std::vector<std::uint32_t> order;
    for (const ImportProgress& p : log.calls)
        if (order.empty() || order.back() != p.input)
            order.push_back(p.input);
    QCOMPARE(order, (std::vector<std::uint32_t>{1, 0}));
    QCOMPARE(log.calls.back().packets, a.inputs[0].packets + a.inputs[1].packets);
    QCOMPARE(a.inputs[0].tcpPackets, std::uint64_t{10});
    QCOMPARE(a.inputs[1].tcpPackets, std::uint64_t{14});
    // Two different connections, ordered by start time, each from its own input.
    QCOMPARE(a.connections.size(), std::size_t{2});
    QCOMPARE(a.connections[0].input, std::uint16_t{1});
    QCOMPARE(a.connections[1].input, std::uint16_t{0});
}

void TestAnalyzeFiles::damagedCaptureIsAnalysedAsFarAsItGoes() {
    const QString path = publicCapture(QStringLiteral("suricata-pgsql-5000-query-results.pcap"));
    const auto r = analyze({path});
    QVERIFY(r.ok());
    const Analysis& a = **r;
    QCOMPARE(a.inputs.size(), std::size_t{1});
    QCOMPARE(a.inputs[0].kind, InputKind::Pcap);
    QCOMPARE(a.inputs[0].packets, std::uint64_t{785});
    QCOMPARE(a.inputs[0].warnings.size(), std::size_t{1});
    QVERIFY(a.inputs[0].warnings[0].offset != InputWarning::kNone);
    QVERIFY(QString::fromStdString(a.inputs[0].warnings[0].message).contains(QStringLiteral("truncated dump file")));
    QCOMPARE(a.connections.size(), std::size_t{2}); // MANIFEST: 2 PostgreSQL connections
}

void TestAnalyzeFiles::twoThreadsGiveTheSingleThreadResult_data() {
    QTest::addColumn<QStringList>("paths");
    QTest::newRow("echo connections (82582 packets)") << QStringList{publicCapture(QStringLiteral("zeek-echo-connections.pcap"))};
    QTest::newRow("every readable public capture") << readablePublicCaptures();
    const QString gz = tmp_.filePath(QStringLiteral("example.pcap.gz"));
    gzipCopy(publicCapture(QStringLiteral("pcpp-example.pcap")), gz);
    QTest::newRow("gzip + plain") << QStringList{gz, publicCapture(QStringLiteral("suricata-decode-sll2-02.pcap"))};
}

void TestAnalyzeFiles::twoThreadsGiveTheSingleThreadResult() {
    QFETCH(QStringList, paths);
    QByteArray single, threaded;
    std::size_t connections = 0;
    std::uint64_t packets = 0;
    {
        PipelineEnv env("single");
        const auto r = analyze(paths);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        single = analysisDigest(**r);
        connections = (*r)->connections.size();
        for (const InputInfo& in : (*r)->inputs)
            packets += in.tcpPackets;
    }
    {
        PipelineEnv env("threaded");
        ProgressLog log;
        const auto r = analyze(paths, &log);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
        threaded = analysisDigest(**r);
        QCOMPARE((*r)->connections.size(), connections);
        QVERIFY(!log.calls.empty());
        QVERIFY(log.calls.back().connections <= connections);
    }
    QVERIFY(connections > 0);
    QVERIFY(packets > 0);
    QCOMPARE(threaded, single);
}

void TestAnalyzeFiles::settingsFromSysctlAndOverrides() {
    const QString sysctl = tmp_.filePath(QStringLiteral("sysctl.txt"));
    QFile f(sysctl);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("net.ipv4.ip_local_port_range = 40000\t40999\n"
            "net.ipv4.tcp_tw_reuse = 1\n"
            "net.ipv4.tcp_rfc1337 = banana\n");
    f.close();
    SettingsOverrides o;
    o.hasTwSeconds = true;
    o.twSeconds = 30.0;
    // The sysctl file is given after the capture; snapshots are still read first.
    const auto r = analyze({publicCapture(QStringLiteral("zeek-http-get.pcap")), sysctl}, nullptr, {}, o);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    const Analysis& a = **r;
    QCOMPARE(a.inputs.size(), std::size_t{2});
    QCOMPARE(a.inputs[1].kind, InputKind::Sysctl);
    QCOMPARE(a.settings.portLow.value, std::uint16_t{40000});
    QCOMPARE(a.settings.portHigh.value, std::uint16_t{40999});
    QCOMPARE(QString::fromStdString(a.settings.portLow.source), sysctl + QStringLiteral(":1"));
    QCOMPARE(a.settings.twReuse.value, 1);
    QCOMPARE(a.settings.twSeconds.value, 30.0);
    QCOMPARE(a.settings.twSeconds.source, std::string("command line"));
    QCOMPARE(a.settings.rfc1337.value, 0); // unreadable: the default stays, with a warning
    bool warned = false;
    for (const InputWarning& w : a.inputs[1].warnings)
        warned = warned || QString::fromStdString(w.message).contains(QStringLiteral("tcp_rfc1337"));
    QVERIFY(warned);
    // The reconstructor ran with those settings: the client's TIME_WAIT lasts 30 s.
    QCOMPARE(a.connections.size(), std::size_t{1});
    const Connection& c = a.connections[0];
    QCOMPARE(int(c.timeWaitCount), 1);
    QCOMPARE(c.timeWait[0].end - c.timeWait[0].start, 30 * kNsPerSecond);
}

void TestAnalyzeFiles::ringKeepsOrderWithTinySlots() {
    SegmentCollector out;
    std::uint64_t counted = 0;
    {
        SegmentRing ring(out, [&out] { return static_cast<std::uint64_t>(out.all.size()); }, 2, 3);
        // Through the copying path (segments()) and the in-place path (acquire/commit).
        std::vector<Segment> batch(10);
        for (std::size_t i = 0; i < batch.size(); ++i)
            batch[i].frame = i + 1;
        ring.segments(batch);
        for (std::uint64_t f = 11; f <= 1000;) {
            const std::span<Segment> slot = ring.acquireBatch();
            QCOMPARE(slot.size(), std::size_t{3});
            std::size_t n = 0;
            for (; n < 2 && f <= 1000; ++n) // leave slots part-filled on purpose
                slot[n].frame = f++;
            ring.commitBatch(n);
        }
        ring.finish();
        counted = *ring.countForProducer();
    }
    QCOMPARE(out.all.size(), std::size_t{1000});
    for (std::size_t i = 0; i < out.all.size(); ++i)
        QCOMPARE(out.all[i].frame, static_cast<std::uint64_t>(i + 1));
    QCOMPARE(counted, std::uint64_t{1000});
}

void TestAnalyzeFiles::ringPassesOnConsumerFailure() {
    ThrowingSink sink;
    SegmentRing ring(sink, {}, 2, 4);
    std::vector<Segment> batch(4);
    for (int i = 0; i < 50; ++i) // more batches than slots: must not block after the failure
        ring.segments(batch);
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, ring.finish());
    QCOMPARE(sink.calls, 3); // nothing more reached the failed consumer
}

QTEST_GUILESS_MAIN(TestAnalyzeFiles)
#include "tst_analyze_files.moc"
