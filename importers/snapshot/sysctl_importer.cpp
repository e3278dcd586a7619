// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/sysctl_importer.h"

#include <array>
#include <string>

#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

// A sysctl key: dotted words of [A-Za-z0-9_-], '/' standing for a dot inside an interface name
// ("net.ipv4.conf.eth0/100.rp_filter"), at least one dot.
bool isKey(std::string_view k) {
    if (k.empty() || k.front() == '.' || k.back() == '.')
        return false;
    bool dot = false;
    for (char c : k) {
        if (c == '.')
            dot = true;
        else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || text::isDigit(c) || c == '_' || c == '-' ||
                   c == '/' || c == '@' || c == ':'))
            return false;
    }
    return dot;
}

// "key = value" -> key and value; false when the line is not one.
bool splitSysctl(std::string_view line, std::string_view& key, std::string_view& value) {
    const std::size_t eq = line.find(" = ");
    if (eq == std::string_view::npos) {
        // "key =" with an empty value (sysctl prints that for empty strings).
        const std::string_view t = text::trim(line);
        if (!t.ends_with(" ="))
            return false;
        key = text::trim(t.substr(0, t.size() - 2));
        value = {};
        return isKey(key);
    }
    key = text::trim(line.substr(0, eq));
    value = text::trim(line.substr(eq + 3));
    return isKey(key);
}

class SysctlParser final : public LineParser {
public:
    bool producesSnapshots() const override { return false; }
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override {
        if (text.starts_with("sysctl: "))
            return; // "sysctl: permission denied on key ...", "sysctl: cannot stat ..."
        std::array<std::string_view, 4> words;
        if (commandWords(text, words.data(), words.size()))
            return;
        std::string_view key, value;
        if (!splitSysctl(text, key, value)) {
            out.warn(number, "not a sysctl line (key = value); skipped");
            return;
        }
        std::string normal;
        normal.reserve(value.size());
        for (const char c : value) {
            if (text::isBlank(c)) {
                if (!normal.empty() && normal.back() != ' ')
                    normal.push_back(' ');
            } else {
                normal.push_back(c);
            }
        }
        out.setSysctl(key, normal, number);
    }
};

} // namespace

int SysctlImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 6> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    // Mostly "key = value" lines: one stray line (a note pasted in) does not disqualify a file.
    std::size_t good = 0, bad = 0;
    for (std::size_t k = 0; k < n; ++k) {
        std::string_view key, value;
        if (lines[k].starts_with("sysctl: "))
            continue;
        if (splitSysctl(lines[k], key, value))
            ++good;
        else
            ++bad;
    }
    return good > 0 && bad * 3 < good ? 70 : 0;
}

std::unique_ptr<LineParser> SysctlImporter::makeParser() const { return std::make_unique<SysctlParser>(); }

} // namespace twlens
