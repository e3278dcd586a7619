// SPDX-License-Identifier: GPL-3.0-or-later
// The pure packet decoder on frames built byte by byte: every link type, IPv4 options, IPv6
// extension headers, fragments, cut frames and malformed headers.
#include <QTest>
#include <QtEndian>

#include "core/model/tcp_flags.h"
#include "importers/capture/link_layer.h"
#include "importers/capture/packet_decoder.h"

using namespace twlens;

namespace {

QByteArray be16(std::uint16_t v) {
    char b[2];
    qToBigEndian(v, b);
    return {b, 2};
}
QByteArray be32(std::uint32_t v) {
    char b[4];
    qToBigEndian(v, b);
    return {b, 4};
}
QByteArray le32(std::uint32_t v) {
    char b[4];
    qToLittleEndian(v, b);
    return {b, 4};
}

constexpr std::uint32_t kSeq = 0xFFFFFFF0u; // near the wrap, to be sure nothing sign-extends
constexpr std::uint32_t kAck = 0x01020304u;
constexpr int kData = 100;

// TCP header (+ options, padded to 4 bytes) and `data` payload bytes.
QByteArray tcp(std::uint8_t flags, const QByteArray& options = {}, int data = kData) {
    QByteArray opts = options;
    while (opts.size() % 4)
        opts.append('\x01'); // NOP padding
    QByteArray t;
    t += be16(40000);
    t += be16(443);
    t += be32(kSeq);
    t += be32(kAck);
    t += static_cast<char>(((20 + opts.size()) / 4) << 4);
    t += static_cast<char>(flags);
    t += be16(0xFACE);
    t += be16(0); // checksum
    t += be16(0); // urgent pointer
    t += opts;
    t += QByteArray(data, 'd');
    return t;
}

QByteArray tsOption(std::uint32_t val, std::uint32_t ecr) {
    QByteArray o;
    o += '\x01';
    o += '\x01';
    o += '\x08';
    o += '\x0A';
    o += be32(val);
    o += be32(ecr);
    return o;
}

QByteArray ipv4(const QByteArray& payload, std::uint8_t proto = 6, std::uint16_t fragField = 0x4000,
                const QByteArray& options = {}) {
    QByteArray h;
    h += static_cast<char>(0x40 | ((20 + options.size()) / 4));
    h += '\0';
    h += be16(static_cast<std::uint16_t>(20 + options.size() + payload.size()));
    h += be16(0x1234);
    h += be16(fragField);
    h += '\x40';
    h += static_cast<char>(proto);
    h += be16(0);
    h += QByteArray("\xC0\x00\x02\x0A", 4); // 192.0.2.10
    h += QByteArray("\xC6\x33\x64\x01", 4); // 198.51.100.1
    return h + options + payload;
}

// IPv6 with `chain`: the extension headers (already encoded) and the first next-header value.
QByteArray ipv6(std::uint8_t firstNext, const QByteArray& chainAndPayload) {
    QByteArray h;
    h += QByteArray("\x60\x00\x00\x00", 4);
    h += be16(static_cast<std::uint16_t>(chainAndPayload.size()));
    h += static_cast<char>(firstNext);
    h += '\x40';
    h += QByteArray("\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01", 16);
    h += QByteArray("\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02", 16);
    return h + chainAndPayload;
}

// An 8-byte extension header (hop-by-hop, routing or destination options) with `next` after it.
QByteArray extHeader(std::uint8_t next) {
    QByteArray e;
    e += static_cast<char>(next);
    e += '\0'; // length 0: 8 bytes
    e += QByteArray(6, '\x01');
    return e;
}

QByteArray fragmentHeader(std::uint8_t next, std::uint16_t offset, bool more) {
    QByteArray e;
    e += static_cast<char>(next);
    e += '\0';
    e += be16(static_cast<std::uint16_t>((offset << 3) | (more ? 1 : 0)));
    e += be32(0xABCD);
    return e;
}

QByteArray ether(std::uint16_t type, const QByteArray& payload, const QList<QPair<std::uint16_t, int>>& tags = {}) {
    QByteArray f = QByteArray("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb", 12);
    for (const auto& [tpid, vid] : tags) {
        f += be16(tpid);
        f += be16(static_cast<std::uint16_t>(vid));
    }
    f += be16(type);
    return f + payload;
}

QByteArray sll(std::uint16_t protocol, const QByteArray& payload) {
    QByteArray f;
    f += be16(0);    // incoming
    f += be16(1);    // ARPHRD_ETHER
    f += be16(6);
    f += QByteArray("\x00\x11\x22\x33\x44\x55\x00\x00", 8);
    f += be16(protocol);
    return f + payload;
}

QByteArray sll2(std::uint16_t protocol, const QByteArray& payload) {
    QByteArray f;
    f += be16(protocol);
    f += be16(0);
    f += be32(3);    // ifindex
    f += be16(1);    // ARPHRD_ETHER
    f += '\0';       // packet type
    f += '\x06';
    f += QByteArray("\x00\x11\x22\x33\x44\x55\x00\x00", 8);
    return f + payload;
}

DecodeClass decode(const QByteArray& frame, int dlt, Segment& s, int wireLength = -1) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(frame.constData());
    return decodePacket({p, static_cast<std::size_t>(frame.size())},
                        static_cast<std::uint32_t>(wireLength < 0 ? frame.size() : wireLength), dlt, s);
}

std::uint64_t stack(std::initializer_list<int> ids) {
    std::uint64_t s = 0;
    int i = 0;
    for (int id : ids)
        s |= std::uint64_t(static_cast<std::uint16_t>(id | 0x1000)) << (16 * i++);
    return s;
}

} // namespace

class TestPacketDecoder : public QObject {
    Q_OBJECT
private slots:
    void everyLinkType_data();
    void everyLinkType();
    void ipv4OptionsAreSkipped();
    void ipv6ExtensionHeaders_data();
    void ipv6ExtensionHeaders();
    void fragmentsAreCounted_data();
    void fragmentsAreCounted();
    void notTcp_data();
    void notTcp();
    void timestampOption();
    void timestampLayouts_data();
    void timestampLayouts();
    void cutFramesKeepTheLengthFromIp();
    void everyPrefixIsSafe();
    void malformedHeaders_data();
    void malformedHeaders();
    void segmentationOffloadLengthZero();
    void hashIgnoresEthernetPadding();
    void hashCoversTheHeaders();
    void moreThanFourTagsStillDecode();
};

void TestPacketDecoder::everyLinkType_data() {
    QTest::addColumn<int>("dlt");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("ipVersion");
    QTest::addColumn<quint64>("vlanStack");
    const QByteArray v4 = ipv4(tcp(tcpflag::ACK | tcpflag::PSH));
    const QByteArray v6 = ipv6(6, tcp(tcpflag::ACK | tcpflag::PSH));
    QTest::newRow("EN10MB IPv4") << 1 << ether(0x0800, v4) << 4 << quint64(0);
    QTest::newRow("EN10MB IPv6") << 1 << ether(0x86DD, v6) << 6 << quint64(0);
    QTest::newRow("802.1Q") << 1 << ether(0x0800, v4, {{0x8100, 42}}) << 4 << quint64(stack({42}));
    QTest::newRow("802.1ad + 802.1Q") << 1 << ether(0x86DD, v6, {{0x88A8, 10}, {0x8100, 20}}) << 6
                                      << quint64(stack({10, 20}));
    QTest::newRow("0x9100 + 802.1Q x2") << 1 << ether(0x0800, v4, {{0x9100, 30}, {0x8100, 20}, {0x8100, 10}}) << 4
                                        << quint64(stack({30, 20, 10}));
    QTest::newRow("VLAN 0 priority tag") << 1 << ether(0x0800, v4, {{0x8100, 0x2000}}) << 4 << quint64(stack({0}));
    QByteArray pppoe = be16(0x1100) + be16(0x1234) + be16(static_cast<std::uint16_t>(v4.size() + 2)) + be16(0x0021) + v4;
    QTest::newRow("PPPoE session") << 1 << ether(0x8864, pppoe) << 4 << quint64(0);
    QByteArray mpls = be32((100u << 12) | 0x0040u) + be32((200u << 12) | 0x0140u) + v6; // two labels, S on the 2nd
    QTest::newRow("MPLS 2 labels") << 1 << ether(0x8847, mpls) << 6 << quint64(0);
    QTest::newRow("LINUX_SLL IPv4") << 113 << sll(0x0800, v4) << 4 << quint64(0);
    QTest::newRow("LINUX_SLL IPv6") << 113 << sll(0x86DD, v6) << 6 << quint64(0);
    QTest::newRow("LINUX_SLL 802.1Q in payload") << 113 << (sll(0x8100, be16(7)) + be16(0x0800) + v4) << 4
                                                 << quint64(stack({7}));
    QTest::newRow("LINUX_SLL2 IPv4") << 276 << sll2(0x0800, v4) << 4 << quint64(0);
    QTest::newRow("LINUX_SLL2 IPv6") << 276 << sll2(0x86DD, v6) << 6 << quint64(0);
    for (int dlt : {12, 14, 101}) {
        QTest::newRow(qPrintable(QStringLiteral("RAW %1 IPv4").arg(dlt))) << dlt << v4 << 4 << quint64(0);
        QTest::newRow(qPrintable(QStringLiteral("RAW %1 IPv6").arg(dlt))) << dlt << v6 << 6 << quint64(0);
    }
    QTest::newRow("IPV4 (228)") << 228 << v4 << 4 << quint64(0);
    QTest::newRow("IPV6 (229)") << 229 << v6 << 6 << quint64(0);
    for (int dlt : {0, 108}) {
        QTest::newRow(qPrintable(QStringLiteral("%1 AF_INET LE").arg(dlt))) << dlt << (le32(2) + v4) << 4 << quint64(0);
        QTest::newRow(qPrintable(QStringLiteral("%1 AF_INET BE").arg(dlt))) << dlt << (be32(2) + v4) << 4 << quint64(0);
        for (std::uint32_t af : {24u, 28u, 30u}) {
            QTest::newRow(qPrintable(QStringLiteral("%1 AF_INET6=%2 LE").arg(dlt).arg(af)))
                << dlt << (le32(af) + v6) << 6 << quint64(0);
            QTest::newRow(qPrintable(QStringLiteral("%1 AF_INET6=%2 BE").arg(dlt).arg(af)))
                << dlt << (be32(af) + v6) << 6 << quint64(0);
        }
    }
}

void TestPacketDecoder::everyLinkType() {
    QFETCH(int, dlt);
    QFETCH(QByteArray, frame);
    QFETCH(int, ipVersion);
    QFETCH(quint64, vlanStack);
    QVERIFY(isSupportedLinkType(dlt));
    Segment s;
    QCOMPARE(decode(frame, dlt, s), DecodeClass::Tcp);
    QCOMPARE(int(s.ipVersion), ipVersion);
    QCOMPARE(s.src.toString(), ipVersion == 4 ? std::string("192.0.2.10") : std::string("2001:db8::1"));
    QCOMPARE(s.dst.toString(), ipVersion == 4 ? std::string("198.51.100.1") : std::string("2001:db8::2"));
    QCOMPARE(s.srcPort, std::uint16_t{40000});
    QCOMPARE(s.dstPort, std::uint16_t{443});
    QCOMPARE(s.seq, kSeq);
    QCOMPARE(s.ack, kAck);
    QCOMPARE(s.flags, std::uint8_t(tcpflag::ACK | tcpflag::PSH));
    QCOMPARE(s.payloadLen, std::uint32_t{kData});
    QCOMPARE(s.vlanStack, vlanStack);
    QCOMPARE(s.hasTimestamp, false);
    QCOMPARE(s.optionsTruncated, false);
}

void TestPacketDecoder::ipv4OptionsAreSkipped() {
    // IHL 7: 8 bytes of options (Router Alert + padding) before TCP.
    const QByteArray opts("\x94\x04\x00\x00\x01\x01\x01\x00", 8);
    Segment s;
    QCOMPARE(decode(ether(0x0800, ipv4(tcp(tcpflag::SYN, {}, 0), 6, 0x4000, opts)), 1, s), DecodeClass::Tcp);
    QCOMPARE(s.flags, tcpflag::SYN);
    QCOMPARE(s.seq, kSeq);
    QCOMPARE(s.payloadLen, 0u);
}

void TestPacketDecoder::ipv6ExtensionHeaders_data() {
    QTest::addColumn<QByteArray>("packet");
    const QByteArray t = tcp(tcpflag::FIN | tcpflag::ACK);
    QTest::newRow("hop-by-hop") << ipv6(0, extHeader(6) + t);
    QTest::newRow("routing") << ipv6(43, extHeader(6) + t);
    QTest::newRow("destination options") << ipv6(60, extHeader(6) + t);
    QTest::newRow("hop, dest, routing, dest") << ipv6(0, extHeader(60) + extHeader(43) + extHeader(60) + extHeader(6) + t);
    QByteArray longer = extHeader(6);
    longer[1] = '\x02'; // 24 bytes
    longer += QByteArray(16, '\x01');
    QTest::newRow("hop-by-hop 24 bytes") << ipv6(0, longer + t);
    QTest::newRow("atomic fragment (RFC 6946)") << ipv6(44, fragmentHeader(6, 0, false) + t);
    QTest::newRow("hop + atomic fragment") << ipv6(0, extHeader(44) + fragmentHeader(6, 0, false) + t);
}

void TestPacketDecoder::ipv6ExtensionHeaders() {
    QFETCH(QByteArray, packet);
    Segment s;
    QCOMPARE(decode(packet, 229, s), DecodeClass::Tcp);
    QCOMPARE(s.flags, std::uint8_t(tcpflag::FIN | tcpflag::ACK));
    QCOMPARE(s.seq, kSeq);
    QCOMPARE(s.payloadLen, std::uint32_t{kData}); // the extension headers are not payload
    QCOMPARE(int(s.ipVersion), 6);
}

void TestPacketDecoder::fragmentsAreCounted_data() {
    QTest::addColumn<int>("dlt");
    QTest::addColumn<QByteArray>("frame");
    const QByteArray t = tcp(tcpflag::ACK);
    QTest::newRow("IPv4 first fragment (MF)") << 1 << ether(0x0800, ipv4(t, 6, 0x2000));
    QTest::newRow("IPv4 later fragment") << 1 << ether(0x0800, ipv4(t.left(64), 6, 0x0010));
    QTest::newRow("IPv4 last fragment") << 228 << ipv4(t.left(40), 6, 0x0020);
    QTest::newRow("IPv4 UDP fragment") << 228 << ipv4(QByteArray(40, 'u'), 17, 0x2000);
    QTest::newRow("IPv6 first fragment") << 229 << ipv6(44, fragmentHeader(6, 0, true) + t);
    QTest::newRow("IPv6 later fragment") << 229 << ipv6(44, fragmentHeader(6, 185, true) + t.left(48));
    QTest::newRow("IPv6 last fragment after hop-by-hop") << 229 << ipv6(0, extHeader(44) + fragmentHeader(6, 370, false) + t.left(8));
}

void TestPacketDecoder::fragmentsAreCounted() {
    QFETCH(int, dlt);
    QFETCH(QByteArray, frame);
    Segment s;
    QCOMPARE(decode(frame, dlt, s), DecodeClass::Fragment);
}

void TestPacketDecoder::notTcp_data() {
    QTest::addColumn<int>("dlt");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("ARP") << 1 << ether(0x0806, QByteArray(28, 'a'));
    QTest::newRow("802.3 length + LLC") << 1 << ether(0x0030, QByteArray(48, 'l'));
    QTest::newRow("UDP over IPv4") << 1 << ether(0x0800, ipv4(QByteArray(20, 'u'), 17));
    QTest::newRow("ICMPv6") << 229 << ipv6(58, QByteArray(16, 'i'));
    QTest::newRow("IPv6 no next header") << 229 << ipv6(59, {});
    QTest::newRow("IPv6 ESP stops the walk") << 229 << ipv6(50, QByteArray(40, 'e'));
    QTest::newRow("IPv6 AH (unknown to the walk)") << 229 << ipv6(51, extHeader(6) + tcp(tcpflag::ACK));
    QTest::newRow("NULL with AF_UNIX") << 0 << (le32(1) + QByteArray(40, 'x'));
    QTest::newRow("RAW with version 5") << 101 << QByteArray(40, '\x50');
    QTest::newRow("IPV4 link carrying IPv6") << 228 << ipv6(6, tcp(tcpflag::ACK));
    QTest::newRow("SLL2 ARP") << 276 << sll2(0x0806, QByteArray(28, 'a'));
    QTest::newRow("PPPoE LCP") << 1 << ether(0x8864, be16(0x1100) + be16(1) + be16(6) + be16(0xC021) + QByteArray(4, 'c'));
}

void TestPacketDecoder::notTcp() {
    QFETCH(int, dlt);
    QFETCH(QByteArray, frame);
    Segment s;
    QCOMPARE(decode(frame, dlt, s), DecodeClass::NonTcp);
}

void TestPacketDecoder::timestampOption() {
    // MSS, SACK-permitted, then timestamps (RFC 7323 §3: kind 8, length 10).
    const QByteArray opts = QByteArray("\x02\x04\x05\xb4\x04\x02", 6) + tsOption(123456789u, 987654321u);
    Segment s;
    QCOMPARE(decode(ether(0x0800, ipv4(tcp(tcpflag::SYN, opts, 0))), 1, s), DecodeClass::Tcp);
    QVERIFY(s.hasTimestamp);
    QCOMPARE(s.tsVal, 123456789u);
    QCOMPARE(s.optionsTruncated, false);
    QCOMPARE(s.payloadLen, 0u);

    // A malformed option length ends the walk without reading past it.
    const QByteArray bad = QByteArray("\x02\x00", 2) + tsOption(1, 2);
    QCOMPARE(decode(ether(0x0800, ipv4(tcp(tcpflag::SYN, bad, 0))), 1, s), DecodeClass::Tcp);
    QVERIFY(!s.hasTimestamp);
}

// The usual layout (NOP, NOP, Timestamps and nothing else) is read straight off; every other one
// is walked. Both must give what the walk gives: the last Timestamps option's TSval (Linux's
// tcp_parse_options keeps the last), none when it is cut or malformed.
void TestPacketDecoder::timestampLayouts_data() {
    QTest::addColumn<QByteArray>("options");
    QTest::addColumn<bool>("has");
    QTest::addColumn<quint32>("tsVal");
    const QByteArray nop("\x01", 1), sack = QByteArray("\x01\x01\x05\x0A", 4) + be32(1000) + be32(2000);
    QTest::newRow("NOP NOP TS") << tsOption(0xDEADBEEF, 5) << true << quint32(0xDEADBEEF);
    QTest::newRow("TS NOP NOP") << tsOption(42, 5).mid(2) + nop + nop << true << quint32(42);
    QTest::newRow("NOP NOP TS, SACK") << tsOption(43, 5) + sack << true << quint32(43);
    QTest::newRow("two TS: the last") << tsOption(44, 5) + tsOption(45, 6) << true << quint32(45);
    QTest::newRow("NOP NOP, kind 8 length 9") << QByteArray("\x01\x01\x08\x09", 4) + be32(46) + be32(7) << false << quint32(0);
    QTest::newRow("NOP NOP, kind 9 length 10") << QByteArray("\x01\x01\x09\x0A", 4) + be32(47) + be32(7) << false << quint32(0);
    QTest::newRow("NOP NOP NOP NOP, then 8 bytes of EOL") << nop + nop + nop + nop + QByteArray(8, '\0') << false << quint32(0);
}

void TestPacketDecoder::timestampLayouts() {
    QFETCH(QByteArray, options);
    QFETCH(bool, has);
    QFETCH(quint32, tsVal);
    Segment s;
    QCOMPARE(decode(ether(0x0800, ipv4(tcp(tcpflag::ACK, options, 100))), 1, s), DecodeClass::Tcp);
    QCOMPARE(s.hasTimestamp, has);
    QCOMPARE(s.tsVal, tsVal);
    QCOMPARE(s.optionsTruncated, false);
    QCOMPARE(s.payloadLen, 100u);
    // The same over IPv6; and cut one byte into the options' end, reported as cut (what survives
    // of the options depends on the layout: TS first keeps its TSval).
    QCOMPARE(decode(ether(0x86DD, ipv6(6, tcp(tcpflag::ACK, options, 100))), 1, s), DecodeClass::Tcp);
    QCOMPARE(s.hasTimestamp, has);
    QCOMPARE(s.tsVal, tsVal);
    const QByteArray frame = ether(0x0800, ipv4(tcp(tcpflag::ACK, options, 0)));
    QCOMPARE(decode(frame.left(frame.size() - 1), 1, s, static_cast<int>(frame.size())), DecodeClass::Tcp);
    QVERIFY(s.optionsTruncated);
}

void TestPacketDecoder::cutFramesKeepTheLengthFromIp() {
    const QByteArray frame = ether(0x0800, ipv4(tcp(tcpflag::ACK, tsOption(7, 8), 1400)));
    Segment s;
    // Cut to 54 bytes (Ethernet + IPv4 + the fixed TCP header): flags, seq, ack survive; the
    // options do not; the payload length still comes from the IP total length.
    QCOMPARE(decode(frame.left(54), 1, s, static_cast<int>(frame.size())), DecodeClass::Tcp);
    QCOMPARE(s.flags, tcpflag::ACK);
    QCOMPARE(s.seq, kSeq);
    QCOMPARE(s.ack, kAck);
    QCOMPARE(s.payloadLen, 1400u);
    QVERIFY(s.optionsTruncated);
    QVERIFY(!s.hasTimestamp);
    // Cut after the options: timestamps known, payload still 1400.
    QCOMPARE(decode(frame.left(14 + 20 + 32), 1, s, static_cast<int>(frame.size())), DecodeClass::Tcp);
    QVERIFY(!s.optionsTruncated);
    QVERIFY(s.hasTimestamp);
    QCOMPARE(s.tsVal, 7u);
    QCOMPARE(s.payloadLen, 1400u);
    // Cut inside the fixed TCP header: not decodable.
    QCOMPARE(decode(frame.left(53), 1, s, static_cast<int>(frame.size())), DecodeClass::Undecodable);
}

void TestPacketDecoder::everyPrefixIsSafe() {
    // Every cut of every link type either decodes or is classified; none reads past the end
    // (the sanitizer builds check the second part).
    const QByteArray v4 = ipv4(tcp(tcpflag::ACK, tsOption(1, 2), 8));
    const QByteArray v6 = ipv6(0, extHeader(44) + fragmentHeader(6, 0, false) + tcp(tcpflag::ACK, {}, 8));
    const QList<QPair<int, QByteArray>> frames{
        {1, ether(0x0800, v4, {{0x8100, 5}, {0x88A8, 6}})}, {113, sll(0x86DD, v6)}, {276, sll2(0x0800, v4)},
        {101, v6}, {0, le32(30) + v6}, {108, be32(2) + v4}, {1, ether(0x8864, be16(0x1100) + be16(1) + be16(6) + be16(0x0057) + v6)}};
    for (const auto& [dlt, frame] : frames) {
        Segment s;
        QCOMPARE(decode(frame, dlt, s), DecodeClass::Tcp);
        for (qsizetype n = 0; n < frame.size(); ++n) {
            // A heap copy of exactly n bytes, so an overread would leave the allocation.
            std::vector<std::uint8_t> cut(frame.begin(), frame.begin() + n);
            const DecodeClass c = decodePacket(cut, static_cast<std::uint32_t>(frame.size()), dlt, s);
            QVERIFY(c == DecodeClass::Tcp || c == DecodeClass::Undecodable);
        }
    }
}

void TestPacketDecoder::malformedHeaders_data() {
    QTest::addColumn<int>("dlt");
    QTest::addColumn<QByteArray>("frame");
    QByteArray badIhl = ipv4(tcp(tcpflag::ACK));
    badIhl[0] = '\x44';
    QTest::newRow("IPv4 IHL 4") << 228 << badIhl;
    QByteArray badDoff = ipv4(tcp(tcpflag::ACK));
    badDoff[20 + 12] = '\x40';
    QTest::newRow("TCP data offset 4") << 228 << badDoff;
    QByteArray shortTotal = ipv4(tcp(tcpflag::ACK));
    shortTotal[2] = '\0';
    shortTotal[3] = '\x18'; // 24 < IP + TCP headers
    QTest::newRow("IPv4 total length shorter than the headers") << 228 << shortTotal;
    QByteArray v4InV6Type = ether(0x86DD, ipv4(tcp(tcpflag::ACK)));
    QTest::newRow("EtherType IPv6 with an IPv4 header") << 1 << v4InV6Type;
    QTest::newRow("unsupported DLT 105") << 105 << ipv4(tcp(tcpflag::ACK));
    QTest::newRow("Ethernet header cut") << 1 << QByteArray(13, '\0');
    QTest::newRow("VLAN tag cut") << 1 << (QByteArray(12, '\0') + be16(0x8100) + be16(1));
    QTest::newRow("IPv6 extension header cut") << 229 << ipv6(0, QByteArray(1, '\x06'));
    QByteArray extPastEnd = ipv6(0, extHeader(6) + tcp(tcpflag::ACK, {}, 0));
    extPastEnd[41] = '\x10'; // hop-by-hop claims 136 bytes, more than the payload length
    QTest::newRow("IPv6 extension header past the payload length") << 229 << extPastEnd;
}

void TestPacketDecoder::malformedHeaders() {
    QFETCH(int, dlt);
    QFETCH(QByteArray, frame);
    Segment s;
    QCOMPARE(decode(frame, dlt, s), DecodeClass::Undecodable);
}

void TestPacketDecoder::segmentationOffloadLengthZero() {
    // Captured on the sending host before TSO: IPv4 total length 0 (Wireshark: "reported as 0,
    // presumed to be because of TSO"); the frame length is the length.
    QByteArray frame = ether(0x0800, ipv4(tcp(tcpflag::ACK, {}, 3000)));
    frame[14 + 2] = '\0';
    frame[14 + 3] = '\0';
    Segment s;
    QCOMPARE(decode(frame, 1, s), DecodeClass::Tcp);
    QCOMPARE(s.payloadLen, 3000u);
}

void TestPacketDecoder::hashIgnoresEthernetPadding() {
    const QByteArray frame = ether(0x0800, ipv4(tcp(tcpflag::ACK, {}, 0))); // 54 bytes
    Segment a, b, c;
    QCOMPARE(decode(frame, 1, a), DecodeClass::Tcp);
    QCOMPARE(decode(frame + QByteArray(6, '\0'), 1, b), DecodeClass::Tcp); // padded to 60
    QCOMPARE(b.contentHash, a.contentHash);
    QByteArray other = frame;
    other[14 + 4] = '\x99'; // another IP ID: another datagram
    QCOMPARE(decode(other, 1, c), DecodeClass::Tcp);
    QVERIFY(c.contentHash != a.contentHash);
    // hashBytes looks at every byte, whatever the length.
    for (std::size_t n = 1; n < 40; ++n) {
        std::vector<std::uint8_t> x(n, 0x5A);
        const std::uint32_t h = hashBytes(x.data(), n);
        x[n - 1] ^= 1;
        QVERIFY(hashBytes(x.data(), n) != h);
    }
}

// contentHash is taken over the IP and TCP headers: they fix the payload (the same sequence range
// and length carry the same bytes, and the checksum covers them), and anything in them that
// changes between transmissions (IPv4 ID, timestamps option, checksum, window) tells them apart.
void TestPacketDecoder::hashCoversTheHeaders() {
    const QByteArray frame = ether(0x0800, ipv4(tcp(tcpflag::ACK | tcpflag::PSH, tsOption(1000, 2000), 100)));
    Segment a;
    QCOMPARE(decode(frame, 1, a), DecodeClass::Tcp);
    const int tcpAt = 14 + 20;
    const auto hashWith = [&](int at, char value) {
        QByteArray other = frame;
        other[at] = value;
        Segment s;
        if (decode(other, 1, s) != DecodeClass::Tcp)
            return std::uint32_t{0};
        return s.contentHash;
    };
    QCOMPARE(hashWith(frame.size() - 1, 'x'), a.contentHash); // the payload's last byte
    QVERIFY(hashWith(14 + 4, '\x77') != a.contentHash);       // IPv4 ID
    QVERIFY(hashWith(tcpAt + 14, '\x01') != a.contentHash);   // window
    QVERIFY(hashWith(tcpAt + 16, '\x42') != a.contentHash);   // checksum
    QVERIFY(hashWith(tcpAt + 20 + 2 + 5, '\x09') != a.contentHash); // the timestamps option's TSval
    // A snaplen cut inside the options hashes what was captured.
    Segment cut;
    QCOMPARE(decode(frame.left(tcpAt + 24), 1, cut, static_cast<int>(frame.size())), DecodeClass::Tcp);
    QVERIFY(cut.optionsTruncated);
    QVERIFY(cut.contentHash != a.contentHash);
}

void TestPacketDecoder::moreThanFourTagsStillDecode() {
    const QByteArray frame =
        ether(0x0800, ipv4(tcp(tcpflag::ACK)), {{0x88A8, 1}, {0x8100, 2}, {0x8100, 3}, {0x8100, 4}, {0x8100, 5}});
    Segment s;
    QCOMPARE(decode(frame, 1, s), DecodeClass::Tcp);
    QCOMPARE(s.vlanStack, stack({1, 2, 3, 4})); // the key keeps the outer four
    const LinkFrame link = decodeLinkLayer(
        {reinterpret_cast<const std::uint8_t*>(frame.constData()), static_cast<std::size_t>(frame.size())}, 1);
    QCOMPARE(int(link.vlanTags), 5);
}

QTEST_GUILESS_MAIN(TestPacketDecoder)
#include "tst_packet_decoder.moc"
