// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/proc_net_tcp_importer.h"

#include <array>
#include <optional>

#include "core/model/tcp_state.h"
#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::Fields;

bool isProcHeader(std::string_view line) {
    const std::string_view t = text::trim(line);
    return t.starts_with("sl") && t.find("local_address") != std::string_view::npos &&
           (t.find("rem_address") != std::string_view::npos || t.find("remote_address") != std::string_view::npos);
}

// "0100007F:1F90" (8 hex digits) or a 32-digit IPv6 form, then ":PORT".
std::optional<text::Endpoint> procEndpoint(std::string_view s) {
    const std::size_t colon = s.find(':');
    if (colon == std::string_view::npos || (colon != 8 && colon != 32) || s.size() != colon + 5)
        return std::nullopt;
    const auto port = text::parseHex(s.substr(colon + 1));
    if (!port)
        return std::nullopt;
    std::array<std::uint8_t, 16> bytes{};
    const std::size_t words = colon / 8;
    for (std::size_t w = 0; w < words; ++w) {
        const auto v = text::parseHex(s.substr(w * 8, 8));
        if (!v)
            return std::nullopt;
        // The word's low byte is the first address byte (little-endian %08X of a be32).
        for (std::size_t b = 0; b < 4; ++b)
            bytes[w * 4 + b] = static_cast<std::uint8_t>(*v >> (8 * b));
    }
    text::Endpoint e;
    e.ip = words == 1 ? IpAddress::fromV4(bytes.data()) : IpAddress::fromV6(bytes.data());
    e.port = static_cast<std::uint16_t>(*port);
    return e;
}

bool looksLikeProcRow(const Fields& f) {
    return f.size() >= 6 && f[0].ends_with(':') && text::parseUnsigned(f[0].substr(0, f[0].size() - 1)) &&
           procEndpoint(f[1]) && procEndpoint(f[2]);
}

class ProcNetTcpParser final : public LineParser {
public:
    std::size_t bytesPerRow() const override { return 128; } // /proc/net/tcp rows are about 150 bytes, tcp6 180
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override {
        if (isProcHeader(text)) {
            out.touch();
            return;
        }
        std::array<std::string_view, 4> words;
        if (commandWords(text, words.data(), words.size()))
            return;
        const Fields f(text);
        if (f.size() < 6 || !f[0].ends_with(':')) {
            out.warn(number, "not a /proc/net/tcp line; skipped");
            return;
        }
        const auto local = procEndpoint(f[1]);
        const auto remote = procEndpoint(f[2]);
        if (!local || !remote) {
            out.warn(number, "cannot read the hex address '" + std::string(local ? f[2] : f[1]) + "'; line skipped");
            return;
        }
        const auto code = text::parseHex(f[3]);
        const auto state = code && *code < 256 ? stateFromProcCode(static_cast<unsigned>(*code)) : std::nullopt;
        if (!state) {
            out.warn(number, "unknown state code '" + std::string(f[3]) + "'; line skipped");
            return;
        }
        SocketRow r;
        r.line = number;
        r.localIp = local->ip;
        r.localPort = local->port;
        r.remoteIp = remote->ip;
        r.remotePort = remote->port;
        r.state = *state;
        // "tr:tm->when", both hex.
        const std::string_view timer = f[5];
        const std::size_t colon = timer.find(':');
        const auto tr = colon == std::string_view::npos ? std::nullopt : text::parseHex(timer.substr(0, colon));
        const auto when = colon == std::string_view::npos ? std::nullopt : text::parseHex(timer.substr(colon + 1));
        if (!tr || !when) {
            out.warn(number, "cannot read the timer field '" + std::string(timer) + "'; kept without it");
        } else if (*tr >= 1 && *tr <= 4) {
            r.timerKind = static_cast<std::uint8_t>(*tr);
            // tm->when is in USER_HZ (100) ticks; jiffies_delta_to_clock_t clamps a timer
            // already due to 0, so a huge value can only come from a damaged file.
            r.timerMs = *when > 0x7fffffffULL ? 0 : static_cast<std::int64_t>(*when) * 10;
        }
        out.addRow(r);
    }
};

} // namespace

int ProcNetTcpImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 2> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    if (n == 0)
        return 0;
    if (isProcHeader(lines[0]))
        return 85;
    return looksLikeProcRow(Fields(lines[0])) ? 45 : 0;
}

std::unique_ptr<LineParser> ProcNetTcpImporter::makeParser() const { return std::make_unique<ProcNetTcpParser>(); }

} // namespace twlens
