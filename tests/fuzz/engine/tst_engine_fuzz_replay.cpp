// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzz step of fuzz_engine run without libFuzzer: over the committed seed corpus (each a
// teardown scenario or a reproducer of a crash the fuzzer found) and over 3000 seeded random and
// mutated inputs, so every CTest run (gcc included, and the dev-asan preset with sanitizers)
// drives the reconstructor, the passes, the writers and the presentation with hostile segment
// sequences and checks the model's invariants (engine_fuzz_harness.h aborts when one breaks).
#include <QDir>
#include <QFile>
#include <QTest>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine_fuzz_harness.h"

using namespace twlens;
using twlens::fuzz::engine::RunStats;

namespace {

struct Seed {
    QString name;
    std::vector<std::uint8_t> bytes;
};

std::vector<Seed> loadSeeds() {
    std::vector<Seed> seeds;
    const QDir dir(QStringLiteral(TWLENS_ENGINE_CORPUS));
    for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray b = f.readAll();
        seeds.push_back({name, std::vector<std::uint8_t>(b.begin(), b.end())});
    }
    return seeds;
}

// On an exactly sized heap copy, so a sanitizer build sees any read past the end.
RunStats run(const std::vector<std::uint8_t>& input) {
    const std::vector<std::uint8_t> exact(input);
    return fuzz::engine::runEngine(exact.data(), exact.size());
}

const Seed* find(const std::vector<Seed>& seeds, const char* name) {
    for (const Seed& s : seeds)
        if (s.name == QLatin1String(name))
            return &s;
    return nullptr;
}

} // namespace

class TstEngineFuzzReplay : public QObject {
    Q_OBJECT
private slots:
    void seedsRun();
    void scenarioSeedsMeanWhatTheySay_data();
    void scenarioSeedsMeanWhatTheySay();
    void randomAndMutatedInputs();
    void emptyAndTinyInputs();
    void fixedReconstructorBugs();
};

void TstEngineFuzzReplay::seedsRun() {
    const auto seeds = loadSeeds();
    QVERIFY(seeds.size() >= 30);
    std::size_t connections = 0;
    for (const Seed& s : seeds) {
        const RunStats st = run(s.bytes);
        QVERIFY2(st.segments > 0, qPrintable(s.name));
        connections += st.connections;
    }
    QVERIFY(connections >= seeds.size());
}

// The generator does what the corpus file names say: exact connection, TIME_WAIT and hazard
// counts for hand-written scenarios (make_corpus.py writes them).
void TstEngineFuzzReplay::scenarioSeedsMeanWhatTheySay_data() {
    QTest::addColumn<QString>("seed");
    QTest::addColumn<int>("connections");
    QTest::addColumn<int>("timeWaits");
    QTest::addColumn<int>("reused");
    QTest::addColumn<bool>("hazards");
    QTest::newRow("client close") << "client-close" << 1 << 1 << 0 << false;
    QTest::newRow("server close") << "server-close" << 1 << 1 << 0 << false;
    QTest::newRow("simultaneous close") << "simultaneous-close" << 1 << 2 << 0 << false;
    QTest::newRow("two incarnations after expiry") << "reuse-after-expiry" << 2 << 1 << 1 << false;
    QTest::newRow("reuse within TIME_WAIT") << "reuse-within-tw" << 2 << 1 << 1 << true;
    QTest::newRow("lost final ACK") << "lost-final-ack" << 1 << 1 << 0 << true;
    QTest::newRow("ipv6 client close") << "ipv6-client-close" << 1 << 1 << 0 << false;
}

void TstEngineFuzzReplay::scenarioSeedsMeanWhatTheySay() {
    QFETCH(QString, seed);
    QFETCH(int, connections);
    QFETCH(int, timeWaits);
    QFETCH(int, reused);
    QFETCH(bool, hazards);
    const auto seeds = loadSeeds();
    const Seed* s = find(seeds, qPrintable(seed));
    QVERIFY2(s, qPrintable(seed));
    const RunStats st = run(s->bytes);
    QCOMPARE(static_cast<int>(st.connections), connections);
    QCOMPARE(static_cast<int>(st.timeWaits), timeWaits);
    QCOMPARE(static_cast<int>(st.reusedLinks), reused);
    QCOMPARE(st.hazards > 0, hazards);
}

void TstEngineFuzzReplay::randomAndMutatedInputs() {
    const auto seeds = loadSeeds();
    std::vector<const Seed*> pool; // the bulk seeds (65536 segments each) run once, above
    for (const Seed& s : seeds)
        if (!s.name.startsWith(QLatin1String("bulk-")))
            pool.push_back(&s);
    QVERIFY(!pool.empty());
    std::mt19937 rng(20261205u); // fixed: the same inputs on every run
    constexpr int kInputs = 3000;
    RunStats sum;
    int wentBack = 0;
    for (int i = 0; i < kInputs; ++i) {
        std::vector<std::uint8_t> in;
        if (i % 3 == 0) { // noise: every byte string is a valid program of the generator
            in.resize(3 + rng() % 400);
            for (auto& b : in)
                b = static_cast<std::uint8_t>(rng());
        } else { // a seed with a few edits
            in = pool[rng() % pool.size()]->bytes;
            const int edits = 1 + static_cast<int>(rng() % 6);
            for (int e = 0; e < edits && !in.empty(); ++e) {
                const std::size_t at = rng() % in.size();
                switch (rng() % 6) {
                case 0: in[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
                case 1: in[at] = static_cast<std::uint8_t>(rng()); break;
                case 2: in.resize(std::max<std::size_t>(at, 3)); break;
                case 3: { // a random operation inserted on an operation boundary
                    const std::size_t op = 3 + ((at > 3 ? at - 3 : 0) / 4) * 4;
                    std::uint8_t b[4];
                    for (auto& x : b)
                        x = static_cast<std::uint8_t>(rng());
                    in.insert(in.begin() + static_cast<std::ptrdiff_t>(std::min(op, in.size())), b, b + 4);
                    break;
                }
                case 4: { // another seed's tail appended: two scenarios on one timeline
                    const auto& other = pool[rng() % pool.size()]->bytes;
                    if (other.size() > 3)
                        in.insert(in.end(), other.begin() + 3, other.end());
                    break;
                }
                case 5: in[0] = static_cast<std::uint8_t>(rng()); break; // other settings
                }
            }
        }
        const RunStats st = run(in);
        sum.segments += st.segments;
        sum.connections += st.connections;
        sum.hazards += st.hazards;
        sum.timeWaits += st.timeWaits;
        sum.reusedLinks += st.reusedLinks;
        sum.ipv6 += st.ipv6;
        wentBack += st.timeWentBack;
    }
    // No abort, no sanitizer report; and the inputs reach what the checks are about.
    QVERIFY(sum.connections > static_cast<std::size_t>(kInputs));
    QVERIFY(sum.hazards > 0);
    QVERIFY(sum.timeWaits > 0);
    QVERIFY(sum.reusedLinks > 0);
    QVERIFY(sum.ipv6 > 0);
    QVERIFY(wentBack > 0);
}

void TstEngineFuzzReplay::emptyAndTinyInputs() {
    for (std::size_t n = 0; n <= 12; ++n) {
        const std::vector<std::uint8_t> zeros(n, 0);
        const RunStats z = run(zeros);
        // After the 3-byte header each started group of 4 bytes is one operation (missing bytes
        // read as 0); all zeros is a SYN from flow 0 with a new ISN each time: a new incarnation each.
        const std::size_t ops = n <= 3 ? 0 : (n - 3 + 3) / 4;
        QCOMPARE(z.segments, ops);
        QCOMPARE(z.connections, ops);
        QCOMPARE(z.reusedLinks, ops > 0 ? ops - 1 : 0);
    }
    for (std::size_t n : {3, 7, 11}) {
        // All ones with the bulk seed in h2: operation 15 from direction 1 with magnitude 31 is the
        // one bulk of 65536 data segments on flow 255 (a later one is skipped): one connection.
        std::vector<std::uint8_t> ones(n, 0xFF);
        ones[2] = fuzz::engine::SegmentGenerator::kBulkSeed;
        const RunStats o = run(ones);
        QCOMPARE(o.segments, n > 3 ? fuzz::engine::SegmentGenerator::kBulk : std::size_t{0});
        QCOMPARE(o.connections, n > 3 ? std::size_t{1} : std::size_t{0});
        QCOMPARE(o.ipv6, o.connections);
    }
}

// Reconstructor bugs the fuzzer found (core/reconstruct/teardown_replay.cpp, fixed in cd1b68e):
// their reproducers keep the right behaviour. Found by property, not by connection index, so that
// other changes to the reconstructor do not break them.
namespace {

// The TIME_WAIT windows of a reproducer's reconstruction, with their connection.
std::vector<std::pair<const Connection*, TimeWaitWindow>> windowsOf(const Analysis& a) {
    std::vector<std::pair<const Connection*, TimeWaitWindow>> out;
    for (const Connection& c : a.connections)
        for (std::uint8_t w = 0; w < c.timeWaitCount && w < 2; ++w)
            out.emplace_back(&c, c.timeWait[w]);
    return out;
}

Analysis reproduce(const std::vector<Seed>& seeds, const char* name, bool& monotonic) {
    const Seed* s = find(seeds, name);
    if (!s)
        return {};
    fuzz::engine::Reconstruction rec = fuzz::engine::reconstructInput(s->bytes.data(), s->bytes.size());
    monotonic = rec.monotonic;
    return std::move(rec.analysis);
}

} // namespace

void TstEngineFuzzReplay::fixedReconstructorBugs() {
    const auto seeds = loadSeeds();
    bool monotonic = false;
    {
        // R1 (crash-r1-rst-after-time-wait-expiry): the IPv6 connection's server enters TIME_WAIT
        // at +90.001 s (tw 60 s), so its window expires at +150.001 s; a client RST at +1080.001 s,
        // 15 minutes later, was taken as killing it (reason Rst, end +1080.001 s): the
        // RST-in-TIME_WAIT rule never asked whether the window was still open. No window may last
        // longer than the TIME_WAIT length, and none here ends by a RST.
        const Analysis a = reproduce(seeds, "crash-r1-rst-after-time-wait-expiry", monotonic);
        QVERIFY(monotonic);
        const auto windows = windowsOf(a);
        QVERIFY(!windows.empty());
        bool tooLong = false, byRst = false;
        for (const auto& [c, w] : windows) {
            tooLong = tooLong || w.end - w.start > a.settings.twLength();
            byRst = byRst || w.reason == TimeWaitEnd::Rst;
        }
        QVERIFY(!tooLong);
        QVERIFY(!byRst);
    }
    {
        // R1b (bug-r1b-ack-after-time-wait-expiry, make_corpus.py): the same rule for the timer
        // restart. The client enters TIME_WAIT with its final ACK at +0.105 s; the server's ACK
        // at +200.105 s comes 140 s after the window expired (+60.105 s), yet it restarted it: the
        // window was reported as [+200.105 s, +260.105 s]. It must stay [+0.105 s, +60.105 s].
        const Analysis a = reproduce(seeds, "bug-r1b-ack-after-time-wait-expiry", monotonic);
        QVERIFY(monotonic);
        QCOMPARE(a.connections.size(), std::size_t{1});
        const Connection& c = a.connections[0];
        QCOMPARE(int(c.timeWaitCount), 1);
        QCOMPARE(c.timeWait[0].side, Side::Client);
        TimeNs entered = kNoTime;
        for (const StateChange& s : a.statesOf(c))
            if (s.side == Side::Client && s.state == TcpState::TimeWait)
                entered = a.stateTime(c, s);
        QCOMPARE(entered - c.start, fromSeconds(0.105));
        QCOMPARE(c.timeWait[0].start, entered);
        QCOMPARE(c.timeWait[0].end, entered + a.settings.twLength());
    }
    {
        // R3 (bug-r3-negative-reuse-gap): the client's TIME_WAIT 4-tuple gets a new SYN at +0.406 s;
        // the server, CLOSED since it saw the final ACK (+0.006 s), answers with its old ACK at
        // +0.407 s, which was taken as a teardown segment of the first incarnation (its close
        // time): the reuse gap was -1 ms ("reopened -0.001 s after #1 closed" in the text
        // summary). The first incarnation closed with the final ACK, before the SYN.
        const Analysis a = reproduce(seeds, "bug-r3-negative-reuse-gap", monotonic);
        QVERIFY(monotonic);
        bool negative = false;
        for (const Connection& c : a.connections)
            negative = negative || (c.reuseGap != kNoTime && c.reuseGap < 0);
        QVERIFY(!negative);
    }
    {
        // R2 (crash-r2-rst-before-time-wait-start): the capture's clock steps back; a client RST
        // stamped 2 s before the server entered TIME_WAIT (captured after the FIN exchange) ended
        // the server's window before it started: end < start, a negative TIME_WAIT, and state
        // spans running backwards (crash-r2-rst-before-time-wait-start-spans).
        for (const char* name : {"crash-r2-rst-before-time-wait-start", "crash-r2-rst-before-time-wait-start-spans"}) {
            const Analysis a = reproduce(seeds, name, monotonic);
            QVERIFY(!monotonic);
            const auto windows = windowsOf(a);
            QVERIFY(!windows.empty());
            bool backwards = false;
            for (const auto& [c, w] : windows)
                backwards = backwards || w.end < w.start;
            QVERIFY2(!backwards, name);
        }
    }
}

QTEST_GUILESS_MAIN(TstEngineFuzzReplay)
#include "tst_engine_fuzz_replay.moc"
