// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/model/analysis.h"

namespace twlens {

// One row per connection with the fields of the JSON "connections" entries flattened:
// the two possible TIME_WAIT windows as client_tw_* / server_tw_* columns, state timelines as
// "STATE@seconds;..." and hazard kinds joined with ';'. RFC 4180: CRLF line ends, a field with a
// comma, quote, CR or LF is quoted and its quotes doubled. Empty field = null in the JSON.
// Returns false when the stream failed.
bool writeCsv(const Analysis& analysis, std::ostream& out);

// The header line's column names, in order (for tests and readers).
std::string_view csvHeader();

// RFC 4180 §2 rules 5-7 for one field; appends to `out`.
void appendCsvField(std::string& out, std::string_view field);

} // namespace twlens
