// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdio>
#include <iosfwd>
#include <string_view>

#include "core/model/analysis.h"

namespace twlens {

inline constexpr std::string_view kJsonSchema = "twlens/1";

// Streams an Analysis as the twlens/1 document (shared/contract/cli-json.md) with rapidjson's
// SAX Writer: no DOM is built, so 500k connections do not double the memory. Times are epoch
// seconds printed exactly to the nanosecond; unknown times and absent links are null.
// Returns false when the stream reported an error (e.g. disk full); the core never prints.
// With threads = 2 a big document's connections are formatted on two threads (same bytes).
bool writeJson(const Analysis& analysis, std::ostream& out, unsigned threads = 2);
bool writeJson(const Analysis& analysis, std::FILE* out, unsigned threads = 2);

} // namespace twlens
