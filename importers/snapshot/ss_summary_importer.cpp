// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/ss_summary_importer.h"

#include <array>
#include <string>

#include "core/snapshots/counter_names.h"
#include "core/snapshots/snapshot_summary.h"
#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::Fields;

bool isTcpSummaryLine(std::string_view line) {
    return line.starts_with("TCP:") && line.find('(') != std::string_view::npos &&
           line.find("estab") != std::string_view::npos;
}

class SsSummaryParser final : public LineParser {
public:
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override;
    void newSection() override {
        inTable_ = false;
        sawTcp_ = false;
    }
    void finishSection(SnapshotBuilder& out) override;

private:
    void tcpLine(std::string_view text, std::uint32_t number, SnapshotBuilder& out);
    bool inTable_ = false;
    bool sawTcp_ = false;
};

void SsSummaryParser::line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) {
    const Fields f(text);
    if (f.empty())
        return;
    std::array<std::string_view, 4> words;
    if (commandWords(text, words.data(), words.size()))
        return;
    if (f[0] == "Total:") {
        // "Total: 178" or, before 4.17, "Total: 1234 (kernel 1456)".
        const auto total = text::parseUnsigned(f[1]);
        if (!total) {
            out.warn(number, "cannot read the Total line; skipped");
            return;
        }
        out.setCounter("ss.sockets", static_cast<std::int64_t>(*total));
        if (f[2] == "(kernel") {
            std::string_view k = f[3];
            if (k.ends_with(')'))
                k.remove_suffix(1);
            if (const auto kv = text::parseUnsigned(k))
                out.setCounter("ss.kernel", static_cast<std::int64_t>(*kv));
        }
        return;
    }
    if (f[0] == "TCP:") {
        tcpLine(text, number, out);
        return;
    }
    if (f[0] == "Transport") {
        inTable_ = true;
        out.touch();
        return;
    }
    if (inTable_ && f.size() == 4) {
        // Before 4.17 the table starts with a "*" row whose IP columns are "-".
        const std::string prefix = "ss." + std::string(f[0]) + ".";
        static constexpr std::array<std::string_view, 3> kColumns{"total", "IP", "IPv6"};
        for (std::size_t c = 0; c < kColumns.size(); ++c) {
            if (f[c + 1] == "-")
                continue;
            const auto v = text::parseUnsigned(f[c + 1]);
            if (!v) {
                out.warn(number, "cannot read this transport table row; skipped");
                return;
            }
            out.setCounter(prefix + std::string(kColumns[c]), static_cast<std::int64_t>(*v));
        }
        return;
    }
    out.warn(number, "not a line of ss -s output; skipped");
}

// "TCP:   5 (estab 1, closed 0, orphaned 0, timewait 0)" and the older
// "TCP:   4000 (estab 100, closed 3800, orphaned 0, synrecv 0, timewait 3800/0), ports 0".
void SsSummaryParser::tcpLine(std::string_view text, std::uint32_t number, SnapshotBuilder& out) {
    const std::size_t open = text.find('('), close = text.find(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        out.warn(number, "cannot read the TCP summary line; skipped");
        return;
    }
    const auto total = text::parseUnsigned(text::trim(text.substr(4, open - 4)));
    if (!total) {
        out.warn(number, "cannot read the TCP total; line skipped");
        return;
    }
    out.setCounter(counters::kSsTcpTotal, static_cast<std::int64_t>(*total));
    auto pair = [&](std::string_view item) {
        const Fields kv(item);
        if (kv.size() != 2)
            return false;
        std::string_view value = kv[1];
        std::string_view second;
        if (const std::size_t slash = value.find('/'); slash != std::string_view::npos) {
            second = value.substr(slash + 1); // timewait T/T2 before 4.17
            value = value.substr(0, slash);
        }
        const auto v = text::parseUnsigned(value);
        if (!v)
            return false;
        out.setCounter("ss." + std::string(kv[0]), static_cast<std::int64_t>(*v));
        if (!second.empty()) {
            const auto v2 = text::parseUnsigned(second);
            if (!v2)
                return false;
            out.setCounter("ss." + std::string(kv[0]) + "2", static_cast<std::int64_t>(*v2));
        }
        return true;
    };
    bool ok = true;
    std::string_view inside = text.substr(open + 1, close - open - 1);
    while (!inside.empty()) {
        const std::size_t comma = inside.find(',');
        ok &= pair(inside.substr(0, comma));
        inside = comma == std::string_view::npos ? std::string_view{} : inside.substr(comma + 1);
    }
    std::string_view after = text.substr(close + 1);
    if (after.starts_with(','))
        ok &= pair(after.substr(1)); // ", ports P"
    else
        ok &= text::trim(after).empty();
    if (!ok)
        out.warn(number, "part of the TCP summary line could not be read");
    sawTcp_ = true;
}

void SsSummaryParser::finishSection(SnapshotBuilder& out) {
    SocketSnapshot& s = out.current();
    s.stateCounts = unknownStateCounts();
    if (const auto it = s.counters.find(counters::kSsTimeWait); it != s.counters.end()) {
        s.timeWaitTotal = it->second;
        s.stateCounts[static_cast<std::size_t>(TcpState::TimeWait)] = it->second;
    }
    if (!sawTcp_)
        out.warn(1, "no `TCP:` line in this ss -s output: the TIME_WAIT count is unknown");
}

} // namespace

int SsSummaryImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 3> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    for (std::size_t k = 0; k < n; ++k)
        if (isTcpSummaryLine(lines[k]))
            return 80;
    return 0;
}

std::unique_ptr<LineParser> SsSummaryImporter::makeParser() const { return std::make_unique<SsSummaryParser>(); }

} // namespace twlens
