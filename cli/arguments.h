// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <charconv>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/result.h"
#include "core/model/settings.h"

namespace twlens::cli {

// `twlens-cli analyze INPUT... [options]`, parsed without Qt so the CLI needs none.
struct AnalyzeOptions {
    std::vector<std::string> inputs;
    std::optional<std::string> jsonOut;  // "-" = stdout
    std::optional<std::string> csvOut;   // "-" = stdout
    SettingsOverrides overrides;
    double reuseFactor = 1.0;            // --reuse-factor N: what-if, N requests per connection (core/findings/what_if_analysis.h)
    bool quiet = false;
    bool help = false;                   // --help after the subcommand: print help, analyse nothing
};

// `args` are the words after "analyze". A usage error is an Error whose message is one line
// naming the option and what was expected.
Result<AnalyzeOptions> parseAnalyzeArguments(std::span<const std::string_view> args);

std::string_view usageText();

// All of `s` as a number (std::from_chars): false for empty text or anything left over.
template <typename T>
bool parseWhole(std::string_view s, T& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// What the user typed, in single quotes, for messages that echo it.
std::string quoted(std::string_view s);

} // namespace twlens::cli
