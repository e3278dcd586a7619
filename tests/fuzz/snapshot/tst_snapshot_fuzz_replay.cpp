// SPDX-License-Identifier: GPL-3.0-or-later
// The snapshot fuzz step without libFuzzer: every text fixture, then 10000 deterministic
// mutations of them (bit flips, cut lines, spliced lines, separators and digits swapped,
// long lines), through every text importer. Nothing may crash, and what comes out must be
// consistent with the input: warnings and rows name lines that exist, and the per-state counts
// of a listing with every state visible add up to its rows.
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <random>

#include "snapshot_fuzz_harness.h"

using namespace twlens;

namespace {

std::vector<std::string> fixtureTexts() {
    std::vector<std::string> out;
    for (const char* sub : {"real", "handmade"}) {
        const std::filesystem::path dir = std::filesystem::path(TWLENS_TEST_DATA) / "snapshots" / sub;
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir))
            if (e.path().extension() == ".txt")
                files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            std::ifstream in(f, std::ios::binary);
            std::string s(static_cast<std::size_t>(std::filesystem::file_size(f)), '\0');
            in.read(s.data(), static_cast<std::streamsize>(s.size()));
            out.push_back(std::move(s));
        }
    }
    return out;
}

std::string mutate(const std::string& base, const std::vector<std::string>& all, std::mt19937_64& rng) {
    std::string s = base;
    static const std::string kSpecial = " \t\n\r:.[]()%*,/-_#0123456789abcdefABCDEF\xff";
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const std::size_t at = rng() % s.size();
        switch (rng() % 7) {
        case 0: s[at] = static_cast<char>(s[at] ^ (1u << (rng() % 8))); break;
        case 1: s[at] = kSpecial[rng() % kSpecial.size()]; break;
        case 2: s.erase(at, 1 + rng() % 40); break;
        case 3: s.insert(at, std::string(1 + rng() % 4, kSpecial[rng() % kSpecial.size()])); break;
        case 4: s.resize(at); break;
        case 5: { // splice in part of another fixture
            const std::string& o = all[rng() % all.size()];
            if (!o.empty()) {
                const std::size_t from = rng() % o.size();
                s.insert(at, o.substr(from, 1 + rng() % 200));
            }
            break;
        }
        default: s.insert(at, std::string(5000 + rng() % 70000, 'x')); break; // a line past any buffer
        }
    }
    return s;
}

void checkStep(const std::string& input) {
    const auto r = fuzz::runSnapshotFuzzStep(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    QVERIFY(r.maxWarningLine <= std::uint64_t{r.lines} + 1);
    QVERIFY(r.maxRowLine <= r.lines);
    QVERIFY(r.countsMatchRows);
    QVERIFY(r.snapshots <= 7u * (r.lines + 1u));
}

} // namespace

class TestSnapshotFuzzReplay : public QObject {
    Q_OBJECT
private slots:
    void fixtures();
    void mutations();
    void edgeInputs();
};

void TestSnapshotFuzzReplay::fixtures() {
    const auto texts = fixtureTexts();
    QVERIFY(texts.size() >= 30);
    for (const std::string& t : texts)
        checkStep(t);
}

void TestSnapshotFuzzReplay::mutations() {
    const auto texts = fixtureTexts();
    std::mt19937_64 rng(20261122);
    for (int i = 0; i < 10000; ++i) {
        checkStep(mutate(texts[static_cast<std::size_t>(i) % texts.size()], texts, rng));
        if (QTest::currentTestFailed()) {
            qWarning("mutation %d failed", i);
            return;
        }
    }
}

void TestSnapshotFuzzReplay::edgeInputs() {
    for (const std::string& s : {std::string(), std::string("\n"), std::string("\r\n\r\n"), std::string(1, '\0'),
                                 std::string("TCP:"), std::string("TcpExt:\nTcpExt:"), std::string("timer:("),
                                 std::string("State Recv-Q Local Address:Port\n ESTAB"), std::string(100000, '\n'),
                                 std::string("1763788800\n1763788801\n1763788802\n")})
        checkStep(s);
}

QTEST_GUILESS_MAIN(TestSnapshotFuzzReplay)
#include "tst_snapshot_fuzz_replay.moc"
