// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/tcp_counters_importer.h"

#include <array>
#include <string>

#include "core/snapshots/snapshot_summary.h"
#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::Fields;

// "TcpExt:", "IpExt:", "MPTcpExt:", "Tcp:", "Ip:", ...: a word and a colon, then names or values.
bool isMibLine(const Fields& f) {
    if (f.size() < 2 || !f[0].ends_with(':') || f[0].size() < 3)
        return false;
    return text::startsUpper(f[0]);
}

bool isNstatLine(const Fields& f) {
    if (f.size() != 3 || !text::parseSigned(f[1]))
        return false;
    return text::startsUpper(f[0]) && f[2].find('.') != std::string_view::npos;
}

class TcpCountersParser final : public LineParser {
public:
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override {
        if (text.starts_with("#kernel")) {
            out.touch();
            return;
        }
        std::array<std::string_view, 4> words;
        if (commandWords(text, words.data(), words.size()))
            return;
        const Fields f(text);
        if (isMibLine(f)) {
            mibLine(text, f, number, out);
            return;
        }
        if (f.size() == 2 || f.size() == 3) {
            // nstat: "TcpExtTW   12   0.0" (the rate column is absent with some options).
            const auto v = text::parseSigned(f[1]);
            if (!v) {
                out.warn(number, "cannot read the value of '" + std::string(f[0]) + "'; skipped");
                return;
            }
            out.setCounter(f[0], *v);
            return;
        }
        out.warn(number, "not a counter line; skipped");
    }
    void newSection() override { names_.clear(); }
    void finishSection(SnapshotBuilder& out) override {
        out.current().stateCounts = unknownStateCounts();
        if (!names_.empty())
            out.warn(namesLine_, "counter names without a line of values after them");
    }

private:
    void mibLine(std::string_view text, const Fields& f, std::uint32_t number, SnapshotBuilder& out) {
        const std::string_view prefix = f[0].substr(0, f[0].size() - 1);
        const bool values = text::parseSigned(f[1]).has_value();
        if (!values) {
            if (!names_.empty())
                out.warn(namesLine_, "counter names without a line of values after them");
            // Fields keeps at most Fields::kMax; TcpExt has over a hundred names, so split here.
            names_.clear();
            namesPrefix_ = prefix;
            namesLine_ = number;
            forEachWord(text, [&](std::string_view w) { names_.push_back(std::string(prefix) + std::string(w)); });
            return;
        }
        if (names_.empty() || namesPrefix_ != prefix) {
            out.warn(number, "counter values without their names line; skipped");
            names_.clear();
            return;
        }
        std::size_t k = 0;
        bool bad = false;
        forEachWord(text, [&](std::string_view w) {
            const auto v = text::parseSigned(w);
            if (!v || k >= names_.size()) {
                bad = true;
                return;
            }
            out.setCounter(names_[k++], *v);
        });
        if (bad || k != names_.size())
            out.warn(number, "the values do not match the " + std::to_string(names_.size()) + " names of line " +
                                 std::to_string(namesLine_) + "; matched what could be");
        names_.clear();
    }

    // Words after the leading "Prefix:".
    template <typename F>
    static void forEachWord(std::string_view text, F&& f) {
        std::size_t i = text.find(':') + 1;
        while (i < text.size()) {
            while (i < text.size() && text::isBlank(text[i]))
                ++i;
            const std::size_t start = i;
            while (i < text.size() && !text::isBlank(text[i]))
                ++i;
            if (i > start)
                f(text.substr(start, i - start));
        }
    }

    std::vector<std::string> names_;
    std::string namesPrefix_;
    std::uint32_t namesLine_ = 0;
};

} // namespace

int TcpCountersImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 3> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    if (n == 0)
        return 0;
    if (lines[0].starts_with("#kernel"))
        return 85;
    const Fields f0(lines[0]);
    if (isMibLine(f0) && (f0[0] == "TcpExt:" || f0[0] == "Ip:" || f0[0] == "IpExt:" || f0[0] == "Tcp:") &&
        !text::parseSigned(f0[1]) && n >= 2 && Fields(lines[1])[0] == f0[0])
        return 80;
    for (std::size_t k = 0; k < n; ++k)
        if (!isNstatLine(Fields(lines[k])))
            return 0;
    return 50;
}

std::unique_ptr<LineParser> TcpCountersImporter::makeParser() const { return std::make_unique<TcpCountersParser>(); }

} // namespace twlens
