// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the importer suites: the public captures' oracle tables, a segment collector,
// gzip copies made at test time, and an independent walker over pcap/pcapng records that the
// tests use to check offsets and timestamps without going through libpcap.
#pragma once
#include <QByteArray>
#include <QCryptographicHash>
#include <QFile>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QtEndian>

#include <cstdint>
#include <span>
#include <vector>

#include <zlib.h>

#include "core/model/segment.h"
#include "core/model/tcp_flags.h"

namespace twlens::test {

inline QString publicCapture(const QString& name) { return QStringLiteral(TWLENS_PUBLIC_CAPTURES "/") + name; }

// One TSV file as rows of column name -> value.
inline QList<QHash<QString, QString>> readTsv(const QString& path) {
    QList<QHash<QString, QString>> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return rows;
    const QStringList header = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char('\t'));
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).remove(QLatin1Char('\n'));
        if (line.isEmpty())
            continue;
        const QStringList cells = line.split(QLatin1Char('\t'));
        QHash<QString, QString> row;
        for (qsizetype i = 0; i < header.size(); ++i)
            row.insert(header[i], i < cells.size() ? cells[i] : QString());
        rows.append(row);
    }
    return rows;
}

// Collects every segment and counts the control flags the way ORACLE.tsv does
// (syn = SYN without ACK, synack = SYN with ACK, fin and rst = flag set).
struct SegmentCollector final : SegmentSink {
    std::vector<Segment> all;
    std::uint64_t batches = 0;
    void segments(std::span<const Segment> batch) override {
        ++batches;
        all.insert(all.end(), batch.begin(), batch.end());
    }
    int count(std::uint8_t mustHave, std::uint8_t mustLack = 0) const {
        int n = 0;
        for (const auto& s : all)
            if ((s.flags & mustHave) == mustHave && (s.flags & mustLack) == 0)
                ++n;
        return n;
    }
    int syn() const { return count(tcpflag::SYN, tcpflag::ACK); }
    int synAck() const { return count(tcpflag::SYN | tcpflag::ACK); }
    int fin() const { return count(tcpflag::FIN); }
    int rst() const { return count(tcpflag::RST); }

    // A digest of everything the importer decoded, to compare two reads of the same capture.
    QByteArray digest() const {
        QCryptographicHash h(QCryptographicHash::Sha256);
        for (const auto& s : all) {
            const auto add = [&](const auto& v) { h.addData(QByteArrayView(reinterpret_cast<const char*>(&v), sizeof v)); };
            add(s.ts); add(s.frame); add(s.src.bytes); add(s.dst.bytes); add(s.vlanStack); add(s.seq); add(s.ack);
            add(s.payloadLen); add(s.tsVal); add(s.contentHash); add(s.srcPort); add(s.dstPort);
            add(s.flags); add(s.hasTimestamp); add(s.optionsTruncated); add(s.ipVersion);
        }
        return h.result();
    }
};

inline QByteArray fileSha256(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

// Writes a gzip copy of `from` to `to` with zlib (level 1: these are test copies).
inline bool gzipCopy(const QString& from, const QString& to) {
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly))
        return false;
    gzFile out = gzopen(to.toLocal8Bit().constData(), "wb1");
    if (!out)
        return false;
    bool ok = true;
    while (ok && !in.atEnd()) {
        const QByteArray chunk = in.read(1 << 20);
        ok = gzwrite(out, chunk.constData(), static_cast<unsigned>(chunk.size())) == chunk.size();
    }
    return gzclose(out) == Z_OK && ok;
}

// One record of a classic pcap file, read straight from the bytes (not through libpcap).
struct RawPcapRecord {
    std::uint64_t offset = 0;  // where the 16-byte record header starts
    std::uint32_t sec = 0;
    std::uint32_t subsec = 0;  // micro- or nanoseconds as stored
    std::uint32_t caplen = 0;
    std::uint32_t len = 0;
    QByteArray data;           // the captured bytes (may be short at a truncated end)
};

struct RawPcap {
    bool bigEndian = false;
    bool nano = false;
    std::vector<RawPcapRecord> records; // every record header present in full
};

inline RawPcap walkPcap(const QString& path) {
    RawPcap out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QByteArray all = f.readAll();
    if (all.size() < 24)
        return out;
    const auto magicBe = qFromBigEndian<std::uint32_t>(all.constData());
    out.bigEndian = magicBe == 0xA1B2C3D4u || magicBe == 0xA1B23C4Du;
    out.nano = magicBe == 0xA1B23C4Du || magicBe == 0x4D3CB2A1u;
    const auto u32 = [&](qsizetype at) {
        return out.bigEndian ? qFromBigEndian<std::uint32_t>(all.constData() + at)
                             : qFromLittleEndian<std::uint32_t>(all.constData() + at);
    };
    qsizetype at = 24;
    while (at + 16 <= all.size()) {
        RawPcapRecord r;
        r.offset = static_cast<std::uint64_t>(at);
        r.sec = u32(at);
        r.subsec = u32(at + 4);
        r.caplen = u32(at + 8);
        r.len = u32(at + 12);
        r.data = all.mid(at + 16, r.caplen);
        out.records.push_back(r);
        at += 16 + static_cast<qsizetype>(r.caplen);
    }
    return out;
}

// The end offsets of every pcapng block (little- or big-endian sections), read from the bytes.
inline std::vector<std::uint64_t> pcapngBlockEnds(const QString& path) {
    std::vector<std::uint64_t> ends;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return ends;
    const QByteArray all = f.readAll();
    qsizetype at = 0;
    bool big = false;
    while (at + 12 <= all.size()) {
        const auto type = qFromLittleEndian<std::uint32_t>(all.constData() + at);
        if (type == 0x0A0D0D0Au) // section header: the byte-order magic follows the length
            big = qFromBigEndian<std::uint32_t>(all.constData() + at + 8) == 0x1A2B3C4Du;
        const auto length = big ? qFromBigEndian<std::uint32_t>(all.constData() + at + 4)
                                : qFromLittleEndian<std::uint32_t>(all.constData() + at + 4);
        if (length < 12)
            break;
        at += length;
        ends.push_back(static_cast<std::uint64_t>(at));
    }
    return ends;
}

} // namespace twlens::test
