// SPDX-License-Identifier: GPL-3.0-or-later
// Every public capture through the whole analysis (importers + reconstructor), asserting what its
// MANIFEST.tsv line states: connections, who closed first, how, TIME_WAIT windows, FIN
// retransmissions, half-closes, reuse. Each expectation was checked against the packets with
// tshark; where MANIFEST/ORACLE (tshark's counters) and the engine differ, the row says who is
// right and why.
#include <QFile>
#include <QHash>
#include <QSet>
#include <QTest>

#include "core/model/tcp_flags.h"
#include "importers/analyze_files.h"
#include "layout_checks.h"

using namespace twlens;

namespace {

QString capturePath(const QString& file) { return QStringLiteral(TWLENS_PUBLIC_CAPTURES "/") + file; }

struct Expect {
    bool readable = true;
    int connections = 0;
    int client = 0, server = 0, both = 0, none = 0;                  // active closer
    int fin = 0, rst = 0, simultaneous = 0, halfClosed = 0, open = 0; // close kind
    int timeWait = 0;        // TIME_WAIT windows over all connections
    int finRetransmissions = 0;
    int lostFinalAcks = 0;
    int halfCloseData = 0;   // Connection::HalfClose
    int linked = 0;          // connections with a previous incarnation
    int oneSided = 0;
    int rolesInferred = 0;
};

Expect unreadable() {
    Expect e;
    e.readable = false;
    return e;
}

// clang-format off
// {readable, n, closer c/s/b/none, kind fin/rst/simultaneous/half_closed/open, tw, finRtx, lost, halfClose, linked, oneSided, inferred}
const QHash<QString, Expect> kExpect{
    // "SERVER closes first ... server does the active close"
    {"pcpp-one_http_stream_fin.pcap",              {true, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "CLIENT closes first"
    {"zeek-http-get.pcap",                         {true, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "11 LDAP connections ... 6 closed by the client first and 5 by the server first"
    {"zeek-ldap_escaping_test.pcapng",             {true, 11, 6, 5, 0, 0, 11, 0, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0}},
    // "Connection refused: SYN answered by RST/ACK"
    {"pcpp-one_tcp_rst.pcap",                      {true, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "server sends the HTTP response then FIN; client ACKs the FIN and then sends RST/ACK"
    {"pcpp-one_http_stream_rst.pcap",              {true, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "FIN then RST from the same side"
    {"pcpp-one_tcp_stream_fin_rst_close_packet.pcap", {true, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "client answers with an RST/ACK that carries a 13-byte payload"
    {"suricata-tcp-rst-with-data.pcap",            {true, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "7 Kerberos/TCP closed by a client FIN that the server answers with RST; 4 SMB aborted by a client RST"
    {"zeek-kerberos_tso.pcapng",                   {true, 11, 7, 0, 0, 4, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "a bare FIN before the SYN-ACK ... the client FIN/ACK retransmitted, then the server RST".
    // ORACLE's tshark flags 2 FINs as retransmissions: the bare FIN sits on the SYN's sequence
    // number (2187051757), so tshark also calls the first FIN a retransmission of the SYN's byte.
    // One FIN was sent again (frame 4 repeats frame 2's FIN), so 1.
    {"zeek-fin_retransmission.pcap",               {true, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}},
    // "SIMULTANEOUS CLOSE: both FINs cross ... then each side retransmits its FIN with the correct ACK"
    {"arkime-v6.pcap",                             {true, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 2, 2, 0, 0, 0, 0, 0}},
    // "crossing FINs with unACKed data, then RST after FIN": the server's 3 RSTs end it, no TIME_WAIT
    {"suricata-tls-fin-close-data.pcap",           {true, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "HALF-CLOSE: 3 SMTP connections; the server sends its reply and FIN first; the client still
    // sends QUIT data after receiving that FIN, then its own FIN"
    {"zeek-smtp-bdat-cmd-invalid.pcapng",          {true, 3, 0, 3, 0, 0, 3, 0, 0, 0, 0, 3, 0, 0, 3, 0, 0, 0}},
    // "HALF-CLOSE: the client sends FIN first, the server keeps sending 2076 B after it"
    {"tcpdump-mptcp-v1.pcap",                      {true, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0}},
    // "duplicated frames: SYN x4, SYN-ACK x4, client FIN x4, server FIN x4, all within
    // microseconds; Wireshark flags 47 frames as retransmissions". Every copy has the IP ID and
    // TSval of the first (tshark -e ip.id -e tcp.options.timestamp.tsval), 5 us to 5.6 ms apart:
    // tap copies, so no FIN was retransmitted.
    {"arkime-wireshark-retrans.pcap",              {true, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "11 connections ... each closed with FINs; port 40008 reused 1 ms after a full FIN close;
    // a stray SYN retransmit after close (40009); 40010 ends with a FIN from one side only".
    // The reuse (a 12th tshark stream would be stream 8) makes 11 incarnations of 10 ports: the
    // reopened 40008 never closes (open), 9 FIN closes, 40010 half-closed.
    {"arkime-tcp-reassembly-synthetic.pcap",       {true, 11, 10, 0, 0, 1, 9, 0, 0, 1, 1, 9, 0, 0, 0, 1, 0, 0}},
    // "14 port pairs give 16 tshark streams; a new SYN with a different ISN mid-handshake ...
    // a client RST, a FIN from the client only". New ISNs mid-handshake start incarnations
    // (40003, 40013: 2 linked); 40013's two SYN-only incarnations are one-sided.
    {"arkime-tcp_handshake_synthetic.pcap",        {true, 16, 1, 0, 0, 15, 0, 1, 0, 1, 14, 0, 0, 0, 0, 2, 2, 0}},
    // "SYN answered by an RST with bogus reserved flags (ack = ISN, not ISN + 1: ignored in
    // SYN_SENT), then the real SYN-ACK ... then an RST/ACK and a bare RST": one connection.
    {"zeek-rst-inject-rae.pcap",                   {true, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "3 separate connections only if VLAN IDs are part of the key" (tshark merges them and
    // flags 4 FINs as retransmissions; per key there are none).
    {"zeek-vlan-collisions.pcap",                  {true, 3, 3, 0, 0, 0, 3, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0}},
    // "client closes first with FIN"
    {"zeek-vlan-qinqinq.pcap",                     {true, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "server FIN first, then client FIN"
    {"suricata-decode-sll2-02.pcap",               {true, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "4 interleaved HTTP connections with handshakes but no FIN or RST"
    {"pcpp-four_ipv6_http_streams.pcap",           {true, 4, 0, 0, 0, 4, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0}},
    // "the connection is never closed"
    {"zeek-timeout-with-pings.pcap",               {true, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}},
    // "server FIN first, then client FIN, then the last ACK"
    {"suricata-http-ipv6-null.pcap",               {true, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "The part libpcap can read (the first 59 packets) has 1 TCP conversation, 2 FINs and 0 RSTs"
    {"pcpp-pcapng-example.pcapng",                 {true, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "DNS over UDP only, zero TCP"
    {"zeek-pcapng-multi-interface.pcapng",         {true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "server FIN; the capture ends before the client FIN (half-closed at EOF)"
    {"pcpp-nanosecs_big_endian.pcap",              {true, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "every server packet is captured twice ... server FIN first (duplicated), then client FIN,
    // then the last ACK". ORACLE's fin_flagged_rtx = 1 is the tap copy of the server FIN.
    {"tcpdump-pptp.pcap",                          {true, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "500 concurrent loopback connections ... all 500 closed client-first with FIN/FIN/ACK"
    {"zeek-echo-connections.pcap",                 {true, 500, 500, 0, 0, 0, 500, 0, 0, 0, 0, 500, 0, 0, 0, 0, 0, 0}},
    // "66 TCP connections; 13 have FINs (11 client-first, 2 server-first), 3 of them with
    // crossing FINs, 1 half-close with data after the FIN, 1 FIN then RST; 53 still open; 1 starts
    // mid-stream". The crossing closes count as "both" (8 + 3 = 11 client-first); the FIN then RST
    // is one of them (port 57601: client FIN, server data and FIN not ACKing it, client RSTs), and
    // also the half-close with data.
    {"pcpp-example.pcap",                          {true, 66, 8, 2, 3, 53, 10, 1, 2, 0, 53, 14, 0, 0, 1, 0, 0, 1}},
    // "server FIN first, then client FIN"
    {"zeek-timestamp.pcap",                        {true, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "flags and seq/ack are intact; server FIN first"
    {"zeek-truncated-header.pcap",                 {true, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0}},
    // "A single RST/ACK ... mid-stream, no SYN": roles guessed, one direction only
    {"tcpdump-tcp_rst_data-trunc.pcap",            {true, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}},
    // "[CORRUPT] Must be rejected when opened"
    {"libpcap-pcap-invalid-version-1.pcap",        unreadable()},
    {"libpcap-shb-option-too-long.pcapng",         unreadable()},
    // "Localhost TLS connection (handshake and data)" then the damage: open at the cut
    {"suricata-tls_DER-incomplete-header.pcap",    {true, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}},
    // "2 PostgreSQL connections, both closed client-first with FIN"
    {"suricata-pgsql-5000-query-results.pcap",     {true, 2, 2, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0}},
    // "TCP handshake only"
    {"tcpdump-timestamp_invalid_nano.pcap",        {true, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0}},
    // "zero packets; must give zero connections and no error"
    {"zeek-empty.pcap",                            {true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
    // "A single TCP segment with all 8 flag bits set": a RST (its SYN/FIN are not acted on)
    {"tcpdump-tcp_eight_lowest_weight_flags_set.pcap", {true, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}},
    // "ONE-SIDED capture: 20 SSH connections ... each closed by a client FIN (7 FINs
    // retransmitted) with no peer FIN visible"
    {"zeek-ssh.client-side-half-duplex.pcap",      {true, 20, 20, 0, 0, 0, 0, 0, 0, 20, 0, 0, 7, 0, 0, 0, 20, 0}},
};
// clang-format on

QList<QString> manifestFiles() {
    QFile f(capturePath(QStringLiteral("MANIFEST.tsv")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QList<QString> files;
    bool header = true;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (header) {
            header = false;
            continue;
        }
        if (!line.isEmpty())
            files.push_back(line.section(QLatin1Char('\t'), 0, 0));
    }
    return files;
}

std::shared_ptr<const Analysis> analyse(const QString& file) {
    AnalyzeRequest req;
    req.paths.push_back(capturePath(file).toStdString());
    auto r = analyzeFiles(req);
    if (!r.ok())
        return nullptr;
    return r.value();
}

std::vector<const Connection*> onClientPort(const Analysis& a, std::uint16_t port) {
    std::vector<const Connection*> out;
    for (const Connection& c : a.connections)
        if (c.clientPort == port)
            out.push_back(&c);
    return out;
}

QString timeline(const Analysis& a, const Connection& c, Side side) {
    QStringList parts;
    for (const StateChange& s : a.statesOf(c))
        if (s.side == side)
            parts << QString::fromLatin1(stateName(s.state).data(), static_cast<int>(stateName(s.state).size())) +
                         QLatin1Char('@') + QString::number(toSeconds(a.stateTime(c, s) - c.start), 'f', 6);
    return parts.join(QLatin1Char(' '));
}

} // namespace

class TstCorePublicCaptures : public QObject {
    Q_OBJECT
private slots:
    void everyManifestCaptureHasExpectations();
    void analysesAsTheManifestSays_data();
    void analysesAsTheManifestSays();
    void simultaneousCloseBothThroughClosing();
    void reuseOnPort40008();
    void strayRetransmittedSynAfterClose();
    void newIsnMidHandshake();
    void finSentInSynSent();
    void tapCopiesAreMarked_data();
    void tapCopiesAreMarked();
    void echoSynRetransmissions();
    void vlanStacksSeparateTheReplays();
    void oneSidedSshConnections();
    void finThenRstFromTheClient();
};

void TstCorePublicCaptures::everyManifestCaptureHasExpectations() {
    const QList<QString> files = manifestFiles();
    QCOMPARE(files.size(), 40);
    QSet<QString> listed(files.begin(), files.end());
    QSet<QString> expected;
    for (auto it = kExpect.begin(); it != kExpect.end(); ++it)
        expected.insert(it.key());
    QCOMPARE(listed, expected);
}

void TstCorePublicCaptures::analysesAsTheManifestSays_data() {
    QTest::addColumn<QString>("file");
    for (const QString& f : manifestFiles())
        QTest::newRow(qPrintable(f)) << f;
}

void TstCorePublicCaptures::analysesAsTheManifestSays() {
    QFETCH(QString, file);
    QVERIFY(kExpect.contains(file));
    const Expect e = kExpect.value(file);
    const auto a = analyse(file);
    QCOMPARE(a != nullptr, e.readable);
    if (!a)
        return;
    Expect got;
    got.connections = static_cast<int>(a->connections.size());
    for (const Connection& c : a->connections) {
        got.client += c.activeCloser == Closer::Client;
        got.server += c.activeCloser == Closer::Server;
        got.both += c.activeCloser == Closer::Both;
        got.none += c.activeCloser == Closer::None;
        got.fin += c.closeKind == CloseKind::Fin;
        got.rst += c.closeKind == CloseKind::Rst;
        got.simultaneous += c.closeKind == CloseKind::Simultaneous;
        got.halfClosed += c.closeKind == CloseKind::HalfClosed;
        got.open += c.closeKind == CloseKind::Open;
        got.timeWait += c.timeWaitCount;
        got.finRetransmissions += c.finRetransmissions;
        got.lostFinalAcks += c.has(Connection::LostFinalAck);
        got.halfCloseData += c.has(Connection::HalfClose);
        got.linked += c.previousIncarnation != kNoIndex;
        got.oneSided += c.has(Connection::OneSided);
        got.rolesInferred += c.has(Connection::RolesInferred);
        // Every window belongs to a side that sent a FIN first or crossed (RFC 9293: the active closer).
        for (std::uint8_t w = 0; w < c.timeWaitCount; ++w) {
            const Side s = c.timeWait[w].side;
            QVERIFY(c.activeCloser == Closer::Both || (s == Side::Client) == (c.activeCloser == Closer::Client));
            if (c.timeWait[w].reason == TimeWaitEnd::Expired)
                QCOMPARE(c.timeWait[w].end - c.timeWait[w].start, a->settings.twLength());
        }
    }
    QCOMPARE(got.connections, e.connections);
    QCOMPARE(got.client, e.client);
    QCOMPARE(got.server, e.server);
    QCOMPARE(got.both, e.both);
    QCOMPARE(got.none, e.none);
    QCOMPARE(got.fin, e.fin);
    QCOMPARE(got.rst, e.rst);
    QCOMPARE(got.simultaneous, e.simultaneous);
    QCOMPARE(got.halfClosed, e.halfClosed);
    QCOMPARE(got.open, e.open);
    QCOMPARE(got.finRetransmissions, e.finRetransmissions);
    QCOMPARE(got.lostFinalAcks, e.lostFinalAcks);
    QCOMPARE(got.halfCloseData, e.halfCloseData);
    QCOMPARE(got.linked, e.linked);
    QCOMPARE(got.oneSided, e.oneSided);
    QCOMPARE(got.rolesInferred, e.rolesInferred);
    QCOMPARE(got.timeWait, e.timeWait);
    // Model invariants: ordered by start, id = index, one run of segments and of states each.
    for (std::uint32_t i = 0; i < a->connections.size(); ++i) {
        const Connection& c = a->connections[i];
        QCOMPARE(c.id, i);
        if (i)
            QVERIFY(a->connections[i - 1].start <= c.start);
    }
    QCOMPARE(twlens::test::layoutProblem(*a), std::string());
}

void TstCorePublicCaptures::simultaneousCloseBothThroughClosing() {
    // tshark: frame 72 client FIN (ack 209327239), 73 server FIN (ack 3598120593: not the
    // client's FIN), 74 client FIN again ACKing the server's FIN, 75 server FIN again ACKing the
    // client's FIN, 76 and 77 pure ACKs (21.448955, 21.462864) each answering the other's FIN
    // retransmission. Times relative to the SYN (frame 16 at 16.124364).
    const auto a = analyse(QStringLiteral("arkime-v6.pcap"));
    QVERIFY(a);
    const Connection& c = a->connections.at(0);
    QCOMPARE(c.closeKind, CloseKind::Simultaneous);
    QCOMPARE(timeline(*a, c, Side::Client),
             QStringLiteral("SYN_SENT@0.000000 ESTABLISHED@0.056989 FIN_WAIT_1@5.268405 CLOSING@5.281382 "
                            "TIME_WAIT@5.324170 CLOSED@65.338500"));
    QCOMPARE(timeline(*a, c, Side::Server),
             QStringLiteral("SYN_RECV@0.056989 ESTABLISHED@0.057531 FIN_WAIT_1@5.281382 CLOSING@5.281947 "
                            "TIME_WAIT@5.281947 CLOSED@65.338500"));
    // Both windows restart at frame 77: the server re-ACKs the client's repeated FIN from TIME_WAIT,
    // and that ACK reaching the client's TIME_WAIT socket reschedules it (tcp_timewait_state_process).
    QCOMPARE(c.timeWait[0].start - c.start, TimeNs(5'338'500'000));
    QCOMPARE(c.timeWait[1].start - c.start, TimeNs(5'338'500'000));
    QCOMPARE(c.finRetransmissions, std::uint16_t(2));
    QVERIFY(!c.has(Connection::LostFinalAck)); // crossing FINs resent with their ACKs, nothing lost
}

void TstCorePublicCaptures::reuseOnPort40008() {
    // tshark: frame 89 (70.006999) the final ACK of the first 40008 connection, frame 90
    // (70.007999) a SYN with ISN 22000 (the first had 20000): reused 1 ms after the close.
    const auto a = analyse(QStringLiteral("arkime-tcp-reassembly-synthetic.pcap"));
    QVERIFY(a);
    const auto conns = onClientPort(*a, 40008);
    QCOMPARE(conns.size(), std::size_t(2));
    const Connection& first = *conns[0];
    const Connection& second = *conns[1];
    QCOMPARE(first.isn[0], std::uint32_t(20000));
    QCOMPARE(second.isn[0], std::uint32_t(22000));
    QCOMPARE(first.nextIncarnation, second.id);
    QCOMPARE(second.previousIncarnation, first.id);
    QCOMPARE(second.reuseGap, TimeNs(1'000'000));
    QCOMPARE(int(first.timeWaitCount), 1);
    QCOMPARE(first.timeWait[0].side, Side::Client);
    QCOMPARE(first.timeWait[0].reason, TimeWaitEnd::Reused);
    QCOMPARE(first.timeWait[0].end, second.start);
    QCOMPARE(first.timeWait[0].end - first.timeWait[0].start, TimeNs(1'000'000));
    // Sequence numbers wrap on 40010 (server ISN 4294967294, data ACKed at 0): still a clean
    // handshake and a client-only FIN.
    const auto wrap = onClientPort(*a, 40010);
    QCOMPARE(wrap.size(), std::size_t(1));
    QCOMPARE(wrap[0]->isn[1], std::uint32_t(4294967294u));
    QCOMPARE(wrap[0]->closeKind, CloseKind::HalfClosed);
    QCOMPARE(timeline(*a, *wrap[0], Side::Client),
             QStringLiteral("SYN_SENT@0.000000 ESTABLISHED@0.001000 FIN_WAIT_1@0.004000"));
}

void TstCorePublicCaptures::strayRetransmittedSynAfterClose() {
    // 40009: the SYN was not captured (the first frame is the SYN-ACK acking 30001); after the
    // close a SYN with seq 30000 arrives: the same ISN, so a retransmission, not an incarnation.
    const auto a = analyse(QStringLiteral("arkime-tcp-reassembly-synthetic.pcap"));
    QVERIFY(a);
    const auto conns = onClientPort(*a, 40009);
    QCOMPARE(conns.size(), std::size_t(1));
    const auto segs = a->segmentsOf(*conns[0]);
    const ControlSegment& last = segs[segs.size() - 1];
    QCOMPARE(last.flags, tcpflag::SYN);
    QVERIFY(last.meta & ControlSegment::Retransmission);
    QCOMPARE(conns[0]->closeKind, CloseKind::Fin);
}

void TstCorePublicCaptures::newIsnMidHandshake() {
    // tshark: 40003 SYN 3000, SYN-ACK, then SYN 7777777 (streams 2 and 3); 40013 SYN 30000 then
    // SYN 30500 twice (streams 13 and 14).
    const auto a = analyse(QStringLiteral("arkime-tcp_handshake_synthetic.pcap"));
    QVERIFY(a);
    const auto p3 = onClientPort(*a, 40003);
    QCOMPARE(p3.size(), std::size_t(2));
    QCOMPARE(p3[0]->isn[0], std::uint32_t(3000));
    QCOMPARE(p3[1]->isn[0], std::uint32_t(7777777));
    QCOMPARE(p3[1]->previousIncarnation, p3[0]->id);
    const auto p13 = onClientPort(*a, 40013);
    QCOMPARE(p13.size(), std::size_t(2));
    QCOMPARE(p13[1]->isn[0], std::uint32_t(30500));
    QCOMPARE(p13[1]->reuseGap, TimeNs(1'000'000));
    // Frames 46 and 47 are byte-identical (IP ID 0x0001, IP checksum 0x8e8c) 1 ms apart: a tap
    // copy, not a retransmission (Wireshark calls it one).
    QVERIFY(a->segmentsOf(*p13[1])[1].meta & ControlSegment::TapDuplicate);
    // 40014: the server's ISN is 4294967295, the client ACKs 0.
    const auto p14 = onClientPort(*a, 40014);
    QCOMPARE(p14.size(), std::size_t(1));
    QCOMPARE(timeline(*a, *p14[0], Side::Server), QStringLiteral("SYN_RECV@0.001000 ESTABLISHED@0.002000"));
}

void TstCorePublicCaptures::finSentInSynSent() {
    const auto a = analyse(QStringLiteral("zeek-fin_retransmission.pcap"));
    QVERIFY(a);
    const Connection& c = a->connections.at(0);
    QCOMPARE(timeline(*a, c, Side::Client), QStringLiteral("SYN_SENT@0.000000 FIN_WAIT_1@0.290672 CLOSED@0.610409"));
    QCOMPARE(timeline(*a, c, Side::Server),
             QStringLiteral("SYN_RECV@0.304943 ESTABLISHED@0.307131 CLOSE_WAIT@0.307131 CLOSED@0.610409"));
    QCOMPARE(int(c.timeWaitCount), 0);
}

void TstCorePublicCaptures::tapCopiesAreMarked_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("copies");
    // arkime: SYN frames 2, 3, 10; SYN-ACK 5, 11, 12; client FIN 94-96; server FIN 101, 103, 104.
    QTest::newRow("arkime-wireshark-retrans") << QStringLiteral("arkime-wireshark-retrans.pcap") << 12;
    // pptp: the server's SYN-ACK (frame 3) and FIN (frame 20) copies; the 60-byte padded copies
    // carry the same IP datagram.
    QTest::newRow("tcpdump-pptp") << QStringLiteral("tcpdump-pptp.pcap") << 2;
}

void TstCorePublicCaptures::tapCopiesAreMarked() {
    QFETCH(QString, file);
    QFETCH(int, copies);
    const auto a = analyse(file);
    QVERIFY(a);
    int marked = 0;
    for (const ControlSegment& s : a->segmentsOf(a->connections.at(0)))
        marked += (s.meta & ControlSegment::TapDuplicate) != 0;
    QCOMPARE(marked, copies);
    QCOMPARE(a->connections[0].finRetransmissions, std::uint16_t(0));
}

void TstCorePublicCaptures::echoSynRetransmissions() {
    // MANIFEST: "741 SYNs (241 SYN retransmits from listen-backlog overflow)".
    const auto a = analyse(QStringLiteral("zeek-echo-connections.pcap"));
    QVERIFY(a);
    int syns = 0, retransmitted = 0;
    for (const Connection& c : a->connections)
        for (const ControlSegment& s : a->segmentsOf(c))
            if ((s.flags & (tcpflag::SYN | tcpflag::ACK)) == tcpflag::SYN) {
                ++syns;
                retransmitted += (s.meta & ControlSegment::Retransmission) != 0;
            }
    QCOMPARE(syns, 741);
    QCOMPARE(retransmitted, 241);
    for (const Connection& c : a->connections) {
        QCOMPARE(c.serverPort, std::uint16_t(7000));
        QCOMPARE(c.timeWait[0].side, Side::Client);
    }
}

void TstCorePublicCaptures::vlanStacksSeparateTheReplays() {
    const auto a = analyse(QStringLiteral("zeek-vlan-collisions.pcap"));
    QVERIFY(a);
    QSet<std::uint32_t> vlans;
    for (const Connection& c : a->connections) {
        vlans.insert(c.vlan);
        QCOMPARE(c.clientPort, std::uint16_t(59856));
        QCOMPARE(c.serverPort, std::uint16_t(80));
        QCOMPARE(c.previousIncarnation, kNoIndex); // different keys, not incarnations
    }
    QCOMPARE(vlans.size(), 3);
    QCOMPARE(a->vlanStacks.size(), std::size_t(3));
    QVERIFY(vlans.contains(0));
}

void TstCorePublicCaptures::oneSidedSshConnections() {
    const auto a = analyse(QStringLiteral("zeek-ssh.client-side-half-duplex.pcap"));
    QVERIFY(a);
    for (const Connection& c : a->connections) {
        QCOMPARE(c.packets[1], std::uint32_t(0));
        QCOMPARE(c.serverPort, std::uint16_t(22));
        // The server was never captured; what the client sent says it got the SYN-ACK and its FIN.
        QVERIFY(timeline(*a, c, Side::Server).startsWith(QStringLiteral("ESTABLISHED@")));
        QVERIFY(timeline(*a, c, Side::Server).contains(QStringLiteral("CLOSE_WAIT@")));
        QVERIFY(timeline(*a, c, Side::Client).startsWith(QStringLiteral("SYN_SENT@0.000000 ESTABLISHED@")));
    }
}

void TstCorePublicCaptures::finThenRstFromTheClient() {
    // tshark: frame 10 client FIN (63.025364), 11 server ACK, 12 client RST/ACK (63.025374) seq
    // 731770275 = the client's SND.NXT after its FIN, 13 a bare RST.
    const auto a = analyse(QStringLiteral("pcpp-one_tcp_stream_fin_rst_close_packet.pcap"));
    QVERIFY(a);
    const Connection& c = a->connections.at(0);
    QCOMPARE(c.activeCloser, Closer::Client);
    QCOMPARE(c.closeKind, CloseKind::Rst);
    QCOMPARE(timeline(*a, c, Side::Client),
             QStringLiteral("SYN_SENT@0.000000 ESTABLISHED@0.020082 FIN_WAIT_1@63.025364 FIN_WAIT_2@63.025371 "
                            "CLOSED@63.025374"));
    QCOMPARE(timeline(*a, c, Side::Server),
             QStringLiteral("SYN_RECV@0.020082 ESTABLISHED@0.020280 CLOSE_WAIT@63.025364 CLOSED@63.025374"));
}

QTEST_GUILESS_MAIN(TstCorePublicCaptures)
#include "tst_public_captures.moc"
