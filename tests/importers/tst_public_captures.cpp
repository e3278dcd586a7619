// SPDX-License-Identifier: GPL-3.0-or-later
// Every public capture read through the registry and the capture importer, checked against
// ORACLE.tsv (tshark and libpcap counts) and MANIFEST.tsv (link type), plain and gzip-compressed.
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include "capture_test_support.h"
#include "importers/registry.h"

using namespace twlens;
using namespace twlens::test;

namespace {

struct Expected {
    int tcp, syn, synAck, fin, rst;
};

// Where our numbers legitimately differ from ORACLE.tsv's tshark columns. tshark reads all
// 159 frames of pcpp-pcapng-example.pcapng; libpcap 1.10.3 (and so twlens) stops after frame 59
// when the second interface (LINUX_SLL, 113) appears ("an interface has a type 113 different
// from the type of the first interface"). Our counts are those of the first 59 frames, which
// `tshark -r pcpp-pcapng-example.pcapng -c 59` confirms: 59 TCP frames, 1 SYN, 1 SYN-ACK,
// 2 FINs, 0 RSTs (MANIFEST.tsv: "1 TCP conversation, 2 FINs and 0 RSTs").
const QHash<QString, Expected> kDifferFromTshark{
    {QStringLiteral("pcpp-pcapng-example.pcapng"), {59, 1, 1, 2, 0}},
};

struct ReadResult {
    ImportOutcome outcome;
    InputInfo info;
    SegmentCollector segments;
    QString importer;
};

void readCapture(const QString& path, ReadResult& r) {
    std::string whyNot;
    const Importer* imp = ImporterRegistry::builtin().detect(path.toStdString(), &whyNot);
    QVERIFY2(imp, whyNot.c_str());
    r.importer = QString::fromLatin1(imp->name().data(), imp->name().size());
    ImportContext ctx;
    ctx.info = &r.info;
    ctx.segments = &r.segments;
    r.outcome = imp->read(path.toStdString(), ctx);
}

int firstInt(const QString& cell) { return cell.section(QLatin1Char(' '), 0, 0).toInt(); }

} // namespace

class TestPublicCaptures : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void readsLikeTheOracle_data();
    void readsLikeTheOracle();
    void gzipCopyReadsIdentically_data() { readsLikeTheOracle_data(); }
    void gzipCopyReadsIdentically();
    void inputsAreNeverModified();

private:
    QHash<QString, QString> linkTypeColumn_;
    QList<QHash<QString, QString>> oracle_;
    QTemporaryDir tmp_;
};

void TestPublicCaptures::initTestCase() {
    oracle_ = readTsv(publicCapture(QStringLiteral("ORACLE.tsv")));
    const auto manifest = readTsv(publicCapture(QStringLiteral("MANIFEST.tsv")));
    QVERIFY(!oracle_.isEmpty());
    QCOMPARE(oracle_.size(), manifest.size());
    for (const auto& row : manifest)
        linkTypeColumn_.insert(row.value(QStringLiteral("file")), row.value(QStringLiteral("link_type")));
    QVERIFY(tmp_.isValid());
}

void TestPublicCaptures::readsLikeTheOracle_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("packets");
    QTest::addColumn<int>("tcp");
    QTest::addColumn<int>("syn");
    QTest::addColumn<int>("synAck");
    QTest::addColumn<int>("fin");
    QTest::addColumn<int>("rst");
    QTest::addColumn<int>("linkType");
    QTest::addColumn<QString>("libpcapError");
    if (oracle_.isEmpty())
        initTestCase();
    for (const auto& row : oracle_) {
        const QString file = row.value(QStringLiteral("file"));
        QVERIFY2(linkTypeColumn_.contains(file), qPrintable(file + QStringLiteral(" is not in MANIFEST.tsv")));
        Expected e{row.value(QStringLiteral("tcp_pkts")).toInt(), row.value(QStringLiteral("syn")).toInt(),
                   row.value(QStringLiteral("synack")).toInt(), row.value(QStringLiteral("fin")).toInt(),
                   row.value(QStringLiteral("rst")).toInt()};
        e = kDifferFromTshark.value(file, e);
        QTest::newRow(qPrintable(file)) << file << row.value(QStringLiteral("libpcap_pkts")).toInt() << e.tcp << e.syn
                                        << e.synAck << e.fin << e.rst << firstInt(linkTypeColumn_.value(file))
                                        << row.value(QStringLiteral("libpcap_error"));
    }
}

void TestPublicCaptures::readsLikeTheOracle() {
    QFETCH(QString, file);
    QFETCH(int, packets);
    QFETCH(int, tcp);
    QFETCH(int, syn);
    QFETCH(int, synAck);
    QFETCH(int, fin);
    QFETCH(int, rst);
    QFETCH(int, linkType);
    QFETCH(QString, libpcapError);

    const QString path = publicCapture(file);
    ReadResult r;
    readCapture(path, r);
    QCOMPARE(r.importer, file.endsWith(QStringLiteral(".pcapng")) ? QStringLiteral("pcapng") : QStringLiteral("pcap"));

    // ORACLE's libpcap_error comes from pcap_loop; our importer calls pcap_next_ex, whose
    // message is the same text without the "pcap_loop: " prefix.
    const QString reason = QString(libpcapError).remove(QStringLiteral("pcap_loop: "));
    if (!libpcapError.isEmpty() && packets == 0) {
        // Unreadable: refused at open with libpcap's own reason.
        QCOMPARE(r.outcome.status, ImportStatus::Failed);
        QCOMPARE(QString::fromStdString(r.outcome.error), reason);
        QVERIFY(r.segments.all.empty());
        return;
    }
    QCOMPARE(r.outcome.status, ImportStatus::Ok);
    QCOMPARE(r.info.kind, file.endsWith(QStringLiteral(".pcapng")) ? InputKind::Pcapng : InputKind::Pcap);
    QCOMPARE(r.info.linkType, linkType);
    QCOMPARE(r.info.compressed, false);
    QCOMPARE(r.info.sizeBytes, static_cast<std::uint64_t>(QFileInfo(path).size()));
    QCOMPARE(r.info.packets, static_cast<std::uint64_t>(packets));
    QCOMPARE(r.info.tcpPackets, static_cast<std::uint64_t>(tcp));
    QCOMPARE(r.segments.all.size(), static_cast<std::size_t>(tcp));
    // Every frame falls in exactly one class.
    QCOMPARE(r.info.tcpPackets + r.info.nonTcpPackets + r.info.ipFragments + r.info.undecodable, r.info.packets);
    QCOMPARE(r.segments.syn(), syn);
    QCOMPARE(r.segments.synAck(), synAck);
    QCOMPARE(r.segments.fin(), fin);
    QCOMPARE(r.segments.rst(), rst);
    if (packets > 0) {
        QVERIFY(r.info.firstTs != kNoTime);
        QVERIFY(r.info.lastTs != kNoTime);
    } else {
        QCOMPARE(r.info.firstTs, kNoTime);
    }
    // Frame numbers are 1-based positions in the file and increase.
    for (std::size_t i = 1; i < r.segments.all.size(); ++i)
        QVERIFY(r.segments.all[i].frame > r.segments.all[i - 1].frame);

    if (libpcapError.isEmpty()) {
        QVERIFY(r.info.warnings.empty() || file == QStringLiteral("tcpdump-timestamp_invalid_nano.pcap"));
        return;
    }
    // Damaged part-way: everything before the damage is kept, plus one warning naming where.
    QCOMPARE(r.info.warnings.size(), std::size_t{1});
    const InputWarning& w = r.info.warnings.front();
    QVERIFY2(QString::fromStdString(w.message).contains(reason), w.message.c_str());
    QVERIFY(w.offset != InputWarning::kNone);
    QVERIFY(w.offset <= static_cast<std::uint64_t>(QFileInfo(path).size()));
    if (r.info.kind == InputKind::Pcap) {
        // libpcap stopped inside the record after the last packet it returned.
        const RawPcap raw = walkPcap(path);
        const std::uint64_t next = raw.records.size() > static_cast<std::size_t>(packets)
                                       ? raw.records[static_cast<std::size_t>(packets)].offset
                                       : raw.records.back().offset + 16 + raw.records.back().caplen;
        QVERIFY2(w.offset > next && w.offset <= next + 16, qPrintable(QString::number(w.offset)));
    } else {
        // pcapng is read block by block: libpcap stopped at the end of a whole block.
        const auto ends = pcapngBlockEnds(path);
        QVERIFY2(std::find(ends.begin(), ends.end(), w.offset) != ends.end(), qPrintable(QString::number(w.offset)));
    }
}

void TestPublicCaptures::gzipCopyReadsIdentically() {
    QFETCH(QString, file);
    const QString plain = publicCapture(file);
    const QString gz = tmp_.filePath(file + QStringLiteral(".gz"));
    QVERIFY(gzipCopy(plain, gz));

    ReadResult a, b;
    readCapture(plain, a);
    readCapture(gz, b);
    QCOMPARE(b.importer, a.importer);
    QCOMPARE(b.outcome.status, a.outcome.status);
    QCOMPARE(b.outcome.error, a.outcome.error);
    if (a.outcome.status == ImportStatus::Failed)
        return;
    QCOMPARE(b.info.compressed, true);
    QCOMPARE(b.info.sizeBytes, static_cast<std::uint64_t>(QFileInfo(gz).size()));
    QCOMPARE(b.info.kind, a.info.kind);
    QCOMPARE(b.info.linkType, a.info.linkType);
    QCOMPARE(b.info.packets, a.info.packets);
    QCOMPARE(b.info.tcpPackets, a.info.tcpPackets);
    QCOMPARE(b.info.nonTcpPackets, a.info.nonTcpPackets);
    QCOMPARE(b.info.undecodable, a.info.undecodable);
    QCOMPARE(b.info.firstTs, a.info.firstTs);
    QCOMPARE(b.info.lastTs, a.info.lastTs);
    QCOMPARE(b.segments.all.size(), a.segments.all.size());
    QCOMPARE(b.segments.digest(), a.segments.digest());
    QCOMPARE(b.info.warnings.size(), a.info.warnings.size());
    for (std::size_t i = 0; i < a.info.warnings.size(); ++i) {
        // Offsets in a gzip input count decompressed bytes, so they equal the plain file's.
        QCOMPARE(b.info.warnings[i].offset, a.info.warnings[i].offset);
        if (a.info.warnings[i].offset != InputWarning::kNone)
            QVERIFY(QString::fromStdString(b.info.warnings[i].message).contains(QStringLiteral("decompressed")));
    }
}

void TestPublicCaptures::inputsAreNeverModified() {
    const QDir dir(QStringLiteral(TWLENS_PUBLIC_CAPTURES));
    const QStringList files = dir.entryList({QStringLiteral("*.pcap"), QStringLiteral("*.pcapng")}, QDir::Files);
    QVERIFY(files.size() >= 40);
    QHash<QString, QByteArray> before;
    QHash<QString, QDateTime> mtimes;
    for (const QString& f : files) {
        before.insert(f, fileSha256(dir.filePath(f)));
        mtimes.insert(f, QFileInfo(dir.filePath(f)).lastModified());
    }
    for (const QString& f : files) {
        ReadResult r;
        readCapture(dir.filePath(f), r);
    }
    for (const QString& f : files) {
        QCOMPARE(fileSha256(dir.filePath(f)), before.value(f));
        QCOMPARE(QFileInfo(dir.filePath(f)).lastModified(), mtimes.value(f));
    }
}

QTEST_GUILESS_MAIN(TestPublicCaptures)
#include "tst_public_captures.moc"
