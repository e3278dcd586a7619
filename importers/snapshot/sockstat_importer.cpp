// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/sockstat_importer.h"

#include <array>
#include <string>

#include "core/snapshots/counter_names.h"
#include "core/snapshots/snapshot_summary.h"
#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::Fields;

// "NAME: key value key value ..." with an upper-case protocol name or "sockets".
bool isSockstatLine(const Fields& f) {
    if (f.size() < 3 || f.size() % 2 == 0 || !f[0].ends_with(':'))
        return false;
    for (std::size_t i = 2; i < f.size(); i += 2)
        if (!text::parseUnsigned(f[i]))
            return false;
    return f[0] == "sockets:" || f[0] == "TCP:" || f[0] == "TCP6:" || f[0] == "UDP:" || f[0] == "UDP6:" ||
           f[0] == "RAW:" || f[0] == "RAW6:" || f[0] == "FRAG:" || f[0] == "FRAG6:" || f[0] == "UDPLITE:" ||
           f[0] == "UDPLITE6:";
}

class SockstatParser final : public LineParser {
public:
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override {
        const Fields f(text);
        std::array<std::string_view, 4> words;
        if (commandWords(text, words.data(), words.size()))
            return;
        if (f.size() < 3 || f.size() % 2 == 0 || !f[0].ends_with(':')) {
            out.warn(number, "not a sockstat line (NAME: key value ...); skipped");
            return;
        }
        std::string proto(f[0].substr(0, f[0].size() - 1));
        for (std::size_t i = 1; i + 1 < f.size(); i += 2) {
            const auto v = text::parseUnsigned(f[i + 1]);
            if (!v) {
                out.warn(number, "cannot read the value of '" + std::string(f[i]) + "'; skipped");
                continue;
            }
            out.setCounter(proto + "." + std::string(f[i]), static_cast<std::int64_t>(*v));
        }
    }
    void finishSection(SnapshotBuilder& out) override {
        SocketSnapshot& s = out.current();
        s.stateCounts = unknownStateCounts();
        if (const auto it = s.counters.find(counters::kSockstatTcpTimeWait); it != s.counters.end()) {
            s.timeWaitTotal = it->second;
            s.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)] = it->second;
        }
    }
};

} // namespace

int SockstatImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 3> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    if (n == 0)
        return 0;
    for (std::size_t k = 0; k < n; ++k)
        if (!isSockstatLine(Fields(lines[k])))
            return 0;
    return 75;
}

std::unique_ptr<LineParser> SockstatImporter::makeParser() const { return std::make_unique<SockstatParser>(); }

} // namespace twlens
