// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/connections_csv.h"

#include <sstream>
#include <string>

#include "core/output/csv_writer.h"

namespace twlens {

QString connectionsCsv(const Analysis& a, const std::vector<std::uint32_t>& ids) {
    // One formatter for the whole project: write with core's writer, then pick the records.
    // Records are split on CRLF outside quotes (RFC 4180 §2: a quoted field may hold line breaks).
    std::ostringstream out;
    writeCsv(a, out);
    const std::string text = out.str();
    std::vector<std::pair<std::size_t, std::size_t>> records; // [begin, end) including the CRLF
    records.reserve(a.connections.size() + 1);
    bool quoted = false;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (!quoted && text[i] == '\n') {
            records.emplace_back(begin, i + 1);
            begin = i + 1;
        }
    }
    if (begin < text.size())
        records.emplace_back(begin, text.size());
    std::string picked;
    if (!records.empty())
        picked.append(text, records[0].first, records[0].second - records[0].first);
    for (std::uint32_t id : ids) {
        const std::size_t r = std::size_t(id) + 1;
        if (r < records.size())
            picked.append(text, records[r].first, records[r].second - records[r].first);
    }
    return QString::fromStdString(picked);
}

} // namespace twlens
