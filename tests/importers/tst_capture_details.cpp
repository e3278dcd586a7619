// SPDX-License-Identifier: GPL-3.0-or-later
// What the capture importer keeps from the public captures beyond counts: nanosecond times,
// VLAN stacks, lengths of snaplen-cut frames, tap-duplicate hashes, progress, cancellation,
// detection by content and damage inside gzip.
#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <set>

#include "capture_test_support.h"
#include "importers/batch_sink.h"
#include "importers/capture/pcap_importer.h"
#include "importers/registry.h"

using namespace twlens;
using namespace twlens::test;

namespace {

ImportOutcome readInto(const QString& path, InputInfo& info, SegmentSink& sink, ImportObserver* observer = nullptr,
                       std::stop_token stop = {}) {
    const Importer* imp = ImporterRegistry::builtin().detect(path.toStdString());
    if (!imp)
        return {ImportStatus::Failed, "not detected"};
    ImportContext ctx;
    ctx.info = &info;
    ctx.segments = &sink;
    ctx.observer = observer;
    ctx.stop = stop;
    return imp->read(path.toStdString(), ctx);
}

std::vector<int> vlanIds(std::uint64_t stack) {
    std::vector<int> ids;
    for (; stack != 0; stack >>= 16)
        ids.push_back(static_cast<int>(stack & 0x0FFF));
    return ids;
}

std::uint16_t be16(const QByteArray& b, qsizetype at) { return qFromBigEndian<std::uint16_t>(b.constData() + at); }

struct ProgressLog final : ImportObserver {
    std::vector<ImportProgress> calls;
    std::vector<InputWarning> warnings;
    void progress(const ImportProgress& p) override { calls.push_back(p); }
    void warning(std::uint32_t, const InputWarning& w) override { warnings.push_back(w); }
};

// A BatchSink lending two fixed buffers, as the analysis pipeline's ring does.
struct TwoBufferSink final : BatchSink {
    std::vector<Segment> buffers[2]{std::vector<Segment>(700), std::vector<Segment>(700)};
    int next = 0;
    int acquired = -1;
    SegmentCollector copy;
    std::span<Segment> acquireBatch() override {
        acquired = next;
        next ^= 1;
        return buffers[acquired];
    }
    void commitBatch(std::size_t count) override {
        copy.segments(std::span<const Segment>(buffers[acquired]).first(count));
        acquired = -1;
    }
};

// A pcap file header and records written by hand.
QByteArray pcapFile(std::uint32_t linkType, const std::vector<QByteArray>& frames) {
    QByteArray out;
    const auto put32 = [&](std::uint32_t v) {
        char b[4];
        qToLittleEndian(v, b);
        out.append(b, 4);
    };
    const auto put16 = [&](std::uint16_t v) {
        char b[2];
        qToLittleEndian(v, b);
        out.append(b, 2);
    };
    put32(0xA1B2C3D4);
    put16(2);
    put16(4);
    put32(0);
    put32(0);
    put32(65535);
    put32(linkType);
    std::uint32_t t = 1700000000;
    for (const QByteArray& f : frames) {
        put32(t++);
        put32(0);
        put32(static_cast<std::uint32_t>(f.size()));
        put32(static_cast<std::uint32_t>(f.size()));
        out.append(f);
    }
    return out;
}

} // namespace

class TestCaptureDetails : public QObject {
    Q_OBJECT
private slots:
    void nanosecondTimesKept();
    void microsecondTimesScaled();
    void invalidSubsecondFieldsNormalised();
    void vlanStacksKeyConnections();
    void tripleTaggedFrames();
    void snaplenCutFramesKeepTheirLengths_data();
    void snaplenCutFramesKeepTheirLengths();
    void tapDuplicatesHashAlike();
    void progressThrottledAndComplete();
    void cancellationStopsTheRead();
    void batchSinkIsFilledInPlace();
    void detectsByContentNotName();
    void unsupportedLinkTypeWarns();
    void damageInsideGzipKeepsTheStart();
    void firstPacketTimeForOrdering();

private:
    QTemporaryDir tmp_;
};

void TestCaptureDetails::nanosecondTimesKept() {
    const QString path = publicCapture(QStringLiteral("pcpp-nanosecs_big_endian.pcap"));
    const RawPcap raw = walkPcap(path);
    QVERIFY(raw.nano && raw.bigEndian);
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(path, info, c).status, ImportStatus::Ok);
    QCOMPARE(c.all.size(), raw.records.size());
    int finerThanMicro = 0;
    for (const Segment& s : c.all) {
        const RawPcapRecord& r = raw.records[s.frame - 1];
        QCOMPARE(s.ts, TimeNs{r.sec} * kNsPerSecond + r.subsec);
        if (s.ts % 1000 != 0)
            ++finerThanMicro;
    }
    QVERIFY(finerThanMicro > 0); // the file has sub-microsecond digits, and they survived
    QCOMPARE(info.firstTs, c.all.front().ts);
    QCOMPARE(info.lastTs, c.all.back().ts);
}

void TestCaptureDetails::microsecondTimesScaled() {
    const QString path = publicCapture(QStringLiteral("tcpdump-pptp.pcap")); // big-endian usec
    const RawPcap raw = walkPcap(path);
    QVERIFY(!raw.nano && raw.bigEndian);
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(path, info, c).status, ImportStatus::Ok);
    QVERIFY(!c.all.empty());
    for (const Segment& s : c.all) {
        const RawPcapRecord& r = raw.records[s.frame - 1];
        QCOMPARE(s.ts, TimeNs{r.sec} * kNsPerSecond + TimeNs{r.subsec} * kNsPerUs);
    }
}

void TestCaptureDetails::invalidSubsecondFieldsNormalised() {
    const QString path = publicCapture(QStringLiteral("tcpdump-timestamp_invalid_nano.pcap"));
    const RawPcap raw = walkPcap(path);
    QCOMPARE(raw.records.size(), std::size_t{3});
    InputInfo info;
    SegmentCollector c;
    ProgressLog log;
    QCOMPARE(readInto(path, info, c, &log).status, ImportStatus::Ok);
    QCOMPARE(c.all.size(), std::size_t{3});
    int invalid = 0;
    for (const Segment& s : c.all) {
        const RawPcapRecord& r = raw.records[s.frame - 1];
        if (r.subsec >= kNsPerSecond)
            ++invalid;
        // Carried into the seconds: 1000000000 ns is one more second, 2147483648 ns is 2.147483648 s.
        QCOMPARE(s.ts, TimeNs{r.sec} * kNsPerSecond + TimeNs{r.subsec});
        QVERIFY(s.ts % kNsPerSecond >= 0);
    }
    QCOMPARE(invalid, 2);
    // Warned once, naming the first bad frame; the observer heard it too.
    QCOMPARE(info.warnings.size(), std::size_t{1});
    QVERIFY(QString::fromStdString(info.warnings[0].message).startsWith(QStringLiteral("frame 2:")));
    QCOMPARE(log.warnings.size(), std::size_t{1});
}

void TestCaptureDetails::vlanStacksKeyConnections() {
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(publicCapture(QStringLiteral("zeek-vlan-collisions.pcap")), info, c).status, ImportStatus::Ok);
    std::set<std::uint64_t> stacks;
    for (const Segment& s : c.all)
        stacks.insert(s.vlanStack);
    QCOMPARE(stacks.size(), std::size_t{3});
    std::set<std::vector<int>> ids;
    for (std::uint64_t st : stacks)
        ids.insert(vlanIds(st));
    // MANIFEST: untagged, 802.1Q VLAN 42, and QinQ 10/20 (outer 10).
    QCOMPARE(ids, (std::set<std::vector<int>>{{}, {42}, {10, 20}}));
}

void TestCaptureDetails::tripleTaggedFrames() {
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(publicCapture(QStringLiteral("zeek-vlan-qinqinq.pcap")), info, c).status, ImportStatus::Ok);
    QCOMPARE(c.all.size(), std::size_t{14});
    for (const Segment& s : c.all)
        QCOMPARE(vlanIds(s.vlanStack), (std::vector<int>{30, 20, 10})); // outermost first
}

void TestCaptureDetails::snaplenCutFramesKeepTheirLengths_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("cutFrames"); // frames with caplen < len, from MANIFEST.tsv
    QTest::newRow("truncated-header") << QStringLiteral("zeek-truncated-header.pcap") << 24;
    // MANIFEST counts the 690 cut 1514-byte frames; one 946-byte frame is cut to 96 bytes too
    // (tshark: frame.cap_len < frame.len on 691 frames).
    QTest::newRow("timestamp (caplen 96)") << QStringLiteral("zeek-timestamp.pcap") << 691;
    QTest::newRow("rst data cut by 1") << QStringLiteral("tcpdump-tcp_rst_data-trunc.pcap") << 1;
}

void TestCaptureDetails::snaplenCutFramesKeepTheirLengths() {
    QFETCH(QString, file);
    QFETCH(int, cutFrames);
    const QString path = publicCapture(file);
    const RawPcap raw = walkPcap(path);
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(path, info, c).status, ImportStatus::Ok);
    QCOMPARE(c.all.size(), raw.records.size());
    int cut = 0;
    std::uint64_t payloadFromIp = 0, payloadCaptured = 0;
    for (const Segment& s : c.all) {
        const RawPcapRecord& r = raw.records[s.frame - 1];
        // Ethernet + IPv4 in these files: IP total length at 16, IHL at 14, TCP data offset at 14+IHL+12.
        const int ihl = (static_cast<std::uint8_t>(r.data[14]) & 0x0F) * 4;
        const int doff = (static_cast<std::uint8_t>(r.data[14 + ihl + 12]) >> 4) * 4;
        const int expected = be16(r.data, 16) - ihl - doff;
        QCOMPARE(s.payloadLen, static_cast<std::uint32_t>(expected));
        QCOMPARE(s.optionsTruncated, static_cast<int>(r.caplen) < 14 + ihl + doff);
        if (r.caplen < r.len)
            ++cut;
        payloadFromIp += s.payloadLen;
        payloadCaptured += static_cast<std::uint64_t>(std::max<qsizetype>(0, r.data.size() - 14 - ihl - doff));
    }
    QCOMPARE(cut, cutFrames);
    QVERIFY(payloadFromIp > payloadCaptured); // the cut bytes are still counted
    QCOMPARE(info.undecodable, std::uint64_t{0});
}

void TestCaptureDetails::tapDuplicatesHashAlike() {
    // MANIFEST: every server packet of tcpdump-pptp.pcap is captured twice, a 54-byte frame and a
    // 60-byte copy with Ethernet padding. The hash covers the IP datagram only, so the pairs match.
    const QString path = publicCapture(QStringLiteral("tcpdump-pptp.pcap"));
    const RawPcap raw = walkPcap(path);
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(path, info, c).status, ImportStatus::Ok);
    int pairs = 0, paddedPairs = 0;
    for (std::size_t i = 1; i < c.all.size(); ++i) {
        const Segment& a = c.all[i - 1];
        const Segment& b = c.all[i];
        const bool sameSegment = a.src == b.src && a.srcPort == b.srcPort && a.seq == b.seq && a.ack == b.ack &&
                                 a.flags == b.flags && a.payloadLen == b.payloadLen;
        if (!sameSegment)
            continue;
        ++pairs;
        QCOMPARE(b.contentHash, a.contentHash);
        if (raw.records[a.frame - 1].caplen != raw.records[b.frame - 1].caplen)
            ++paddedPairs;
    }
    QVERIFY(pairs >= 5);
    QVERIFY(paddedPairs >= 1);
    // Different segments hash differently.
    QSet<std::uint32_t> distinct;
    for (const Segment& s : c.all)
        distinct.insert(s.contentHash);
    QCOMPARE(static_cast<std::size_t>(distinct.size()), c.all.size() - static_cast<std::size_t>(pairs));
}

void TestCaptureDetails::progressThrottledAndComplete() {
    const QString path = publicCapture(QStringLiteral("zeek-echo-connections.pcap"));
    InputInfo info;
    SegmentCollector c;
    ProgressLog log;
    std::uint64_t packetsSoFar = 1000; // as if an earlier input had 1000 packets
    const Importer* imp = ImporterRegistry::builtin().detect(path.toStdString());
    QVERIFY(imp);
    ImportContext ctx;
    ctx.info = &info;
    ctx.segments = &c;
    ctx.observer = &log;
    ctx.inputIndex = 1;
    ctx.inputCount = 2;
    ctx.packetsSoFar = &packetsSoFar;
    QCOMPARE(imp->read(path.toStdString(), ctx).status, ImportStatus::Ok);
    QVERIFY(!log.calls.empty());
    const ImportProgress& last = log.calls.back();
    QCOMPARE(last.input, 1u);
    QCOMPARE(last.inputCount, 2u);
    QCOMPARE(last.bytesTotal, static_cast<std::uint64_t>(QFileInfo(path).size()));
    QCOMPARE(last.bytesDone, last.bytesTotal);
    QCOMPARE(last.packets, 1000 + info.packets);
    QCOMPARE(packetsSoFar, 1000 + info.packets);
    for (std::size_t i = 1; i < log.calls.size(); ++i)
        QVERIFY(log.calls[i].bytesDone >= log.calls[i - 1].bytesDone);
    // Batches, not single packets: 82582 segments in batches of at most 1024.
    QCOMPARE(c.all.size(), std::size_t{82582});
    QVERIFY(c.batches <= 82582 / 1024 + 1);
}

void TestCaptureDetails::cancellationStopsTheRead() {
    std::stop_source stop;
    stop.request_stop();
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(publicCapture(QStringLiteral("zeek-echo-connections.pcap")), info, c, nullptr, stop.get_token()).status,
             ImportStatus::Cancelled);
    QVERIFY(info.packets > 0 && info.packets <= 4096); // the stop token is checked every 4096 packets
}

void TestCaptureDetails::batchSinkIsFilledInPlace() {
    const QString path = publicCapture(QStringLiteral("pcpp-example.pcap"));
    InputInfo a, b;
    SegmentCollector viaCopy;
    TwoBufferSink inPlace;
    QCOMPARE(readInto(path, a, viaCopy).status, ImportStatus::Ok);
    QCOMPARE(readInto(path, b, inPlace).status, ImportStatus::Ok);
    QCOMPARE(inPlace.copy.all.size(), viaCopy.all.size());
    QCOMPARE(inPlace.copy.digest(), viaCopy.digest());
    QCOMPARE(inPlace.acquired, -1); // every buffer lent was handed back
    QVERIFY(inPlace.copy.batches >= viaCopy.all.size() / 700);
}

void TestCaptureDetails::detectsByContentNotName() {
    QVERIFY(tmp_.isValid());
    const QString pcapAsTxt = tmp_.filePath(QStringLiteral("capture.txt"));
    const QString pcapngAsLog = tmp_.filePath(QStringLiteral("capture.log"));
    const QString gzNoSuffix = tmp_.filePath(QStringLiteral("compressed"));
    const QString zeros = tmp_.filePath(QStringLiteral("zeros.pcap"));
    const QString empty = tmp_.filePath(QStringLiteral("empty.pcap"));
    QVERIFY(QFile::copy(publicCapture(QStringLiteral("zeek-http-get.pcap")), pcapAsTxt));
    QVERIFY(QFile::copy(publicCapture(QStringLiteral("zeek-ldap_escaping_test.pcapng")), pcapngAsLog));
    QVERIFY(gzipCopy(publicCapture(QStringLiteral("pcpp-nanosecs_big_endian.pcap")), gzNoSuffix));
    {
        QFile z(zeros);
        QVERIFY(z.open(QIODevice::WriteOnly));
        z.write(QByteArray(4096, '\0'));
        QFile e(empty);
        QVERIFY(e.open(QIODevice::WriteOnly));
    }
    const auto& reg = ImporterRegistry::builtin();
    std::string why;
    const Importer* imp = reg.detect(pcapAsTxt.toStdString(), &why);
    QVERIFY(imp);
    QCOMPARE(imp->kind(), InputKind::Pcap);
    imp = reg.detect(pcapngAsLog.toStdString(), &why);
    QVERIFY(imp);
    QCOMPARE(imp->kind(), InputKind::Pcapng);
    imp = reg.detect(gzNoSuffix.toStdString(), &why);
    QVERIFY(imp);
    QCOMPARE(imp->kind(), InputKind::Pcap);

    QVERIFY(!reg.detect(zeros.toStdString(), &why));
    QCOMPARE(why, std::string("not a capture or a snapshot I know"));
    QVERIFY(!reg.detect(empty.toStdString(), &why));
    QCOMPARE(why, std::string("not a capture or a snapshot I know"));
    QVERIFY(!reg.detect(tmp_.filePath(QStringLiteral("missing")).toStdString(), &why));
    QCOMPARE(why, std::string("No such file or directory"));
    QVERIFY(!reg.detect(tmp_.path().toStdString(), &why));
    QCOMPARE(why, std::string("is a directory"));

    // Reading by content: the renamed capture reads like the original.
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(pcapAsTxt, info, c).status, ImportStatus::Ok);
    QCOMPARE(info.tcpPackets, std::uint64_t{14});
}

void TestCaptureDetails::unsupportedLinkTypeWarns() {
    // 802.11 (DLT 105) is not decoded: its frames are counted, warned about once, and skipped.
    const QString path = tmp_.filePath(QStringLiteral("wifi.pcap"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(pcapFile(105, {QByteArray(60, 'x'), QByteArray(80, 'y')}));
    f.close();
    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(path, info, c).status, ImportStatus::Ok);
    QCOMPARE(info.linkType, 105);
    QCOMPARE(info.packets, std::uint64_t{2});
    QCOMPARE(info.undecodable, std::uint64_t{2});
    QCOMPARE(info.warnings.size(), std::size_t{1});
    QVERIFY(QString::fromStdString(info.warnings[0].message).contains(QStringLiteral("link type 105")));
}

void TestCaptureDetails::damageInsideGzipKeepsTheStart() {
    // A gzip copy cut in the middle of its compressed stream: what inflates is kept.
    const QString full = tmp_.filePath(QStringLiteral("example.pcap.gz"));
    const QString cut = tmp_.filePath(QStringLiteral("example-cut.pcap.gz"));
    QVERIFY(gzipCopy(publicCapture(QStringLiteral("pcpp-example.pcap")), full));
    QFile in(full);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray bytes = in.readAll();
    QFile out(cut);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes.left(bytes.size() / 2));
    out.close();

    InputInfo info;
    SegmentCollector c;
    QCOMPARE(readInto(cut, info, c).status, ImportStatus::Ok);
    QVERIFY(info.compressed);
    QVERIFY(info.packets > 100 && info.packets < 4631);
    QCOMPARE(info.warnings.size(), std::size_t{1});
    QVERIFY(info.warnings[0].offset != InputWarning::kNone);
    QVERIFY(info.warnings[0].offset > info.packets * 16); // decompressed offset: past every record header read
}

void TestCaptureDetails::firstPacketTimeForOrdering() {
    const QString path = publicCapture(QStringLiteral("pcpp-nanosecs_big_endian.pcap"));
    const RawPcap raw = walkPcap(path);
    const auto t = firstPacketTime(path.toStdString());
    QVERIFY(t.ok() && t->has_value());
    QCOMPARE(**t, TimeNs{raw.records[0].sec} * kNsPerSecond + raw.records[0].subsec);
    const auto none = firstPacketTime(publicCapture(QStringLiteral("zeek-empty.pcap")).toStdString());
    QVERIFY(none.ok() && !none->has_value());
    const auto bad = firstPacketTime(publicCapture(QStringLiteral("libpcap-pcap-invalid-version-1.pcap")).toStdString());
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message, std::string("archaic pcap savefile format"));
}

QTEST_GUILESS_MAIN(TestCaptureDetails)
#include "tst_capture_details.moc"
