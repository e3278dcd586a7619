// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzz step of fuzz_packet_decoder run without libFuzzer: over the committed seed corpus and
// over 20000 deterministic random and mutated frames, so every CTest run (gcc included, and the
// dev-asan preset with sanitizers) exercises the decoder on hostile input.
#include <QDir>
#include <QFile>
#include <QTest>

#include <array>
#include <random>
#include <vector>

#include "packet_fuzz_harness.h"

using namespace twlens;

namespace {

std::vector<std::vector<std::uint8_t>> loadSeeds() {
    std::vector<std::vector<std::uint8_t>> seeds;
    const QDir dir(QStringLiteral(TWLENS_FUZZ_CORPUS "/packet"));
    for (const QString& name : dir.entryList(QDir::Files, QDir::Name)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray b = f.readAll();
        seeds.emplace_back(b.begin(), b.end());
    }
    return seeds;
}

// Runs the step on an exactly sized heap copy, so a sanitizer build sees any read past the end.
DecodeClass run(const std::vector<std::uint8_t>& input) {
    const std::vector<std::uint8_t> exact(input);
    return fuzz::decodeOneFrame(exact.data(), exact.size());
}

} // namespace

class TestPacketDecoderCorpus : public QObject {
    Q_OBJECT
private slots:
    void seedsDecode();
    void randomAndMutatedFrames();
};

void TestPacketDecoderCorpus::seedsDecode() {
    const auto seeds = loadSeeds();
    QVERIFY(seeds.size() >= 10);
    int tcp = 0, nonTcp = 0;
    for (const auto& s : seeds) {
        const DecodeClass c = run(s);
        tcp += c == DecodeClass::Tcp;
        nonTcp += c == DecodeClass::NonTcp;
    }
    // Every seed is a real frame from a public capture: all TCP but one IPv6 non-TCP frame.
    QCOMPARE(tcp, static_cast<int>(seeds.size()) - 1);
    QCOMPARE(nonTcp, 1);
}

void TestPacketDecoderCorpus::randomAndMutatedFrames() {
    const auto seeds = loadSeeds();
    QVERIFY(!seeds.empty());
    std::mt19937 rng(20240229u); // fixed: the same 20000 frames on every run
    std::array<int, 4> byClass{};
    constexpr int kFrames = 20000;
    for (int i = 0; i < kFrames; ++i) {
        std::vector<std::uint8_t> f;
        if (i % 4 == 0) { // pure noise of random length
            f.resize(rng() % 160);
            for (auto& b : f)
                b = static_cast<std::uint8_t>(rng());
        } else { // a seed with a few mutations
            f = seeds[rng() % seeds.size()];
            const int edits = 1 + static_cast<int>(rng() % 4);
            for (int e = 0; e < edits && !f.empty(); ++e) {
                const std::size_t at = rng() % f.size();
                switch (rng() % 5) {
                case 0: f[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;           // bit flip
                case 1: f[at] = static_cast<std::uint8_t>(rng()); break;                         // byte
                case 2: f[at] = (rng() & 1) ? 0x00 : 0xFF; break;                                // extremes (lengths)
                case 3: f.resize(at); break;                                                    // cut
                case 4: f.insert(f.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng())); break;
                }
            }
        }
        ++byClass[static_cast<std::size_t>(run(f))];
    }
    // Not a crash, not a trap; and the mix reaches every class, so the paths are all exercised.
    QCOMPARE(byClass[0] + byClass[1] + byClass[2] + byClass[3], kFrames);
    for (int n : byClass)
        QVERIFY(n > 0);
}

QTEST_GUILESS_MAIN(TestPacketDecoderCorpus)
#include "tst_packet_decoder_corpus.moc"
