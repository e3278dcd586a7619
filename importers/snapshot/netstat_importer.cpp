// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/netstat_importer.h"

#include <array>

#include "core/model/tcp_state.h"
#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::Fields;

bool isNetstatHeader(std::string_view line) {
    return line.starts_with("Proto") && line.find("Recv-Q") != std::string_view::npos &&
           line.find("Foreign Address") != std::string_view::npos;
}

bool isTcpProto(std::string_view p) { return p == "tcp" || p == "tcp6"; }

bool looksLikeNetstatRow(const Fields& f) {
    return f.size() >= 6 && isTcpProto(f[0]) && text::parseUnsigned(f[1]) && text::parseUnsigned(f[2]) &&
           text::parseEndpoint(f[3]) && text::parseEndpoint(f[4]) && parseStateName(f[5]);
}

class NetstatParser final : public LineParser {
public:
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override {
        const Fields f(text);
        if (f.empty())
            return;
        if (text.starts_with("Active ") || isNetstatHeader(text)) {
            out.touch();
            return;
        }
        std::array<std::string_view, 4> words;
        if (commandWords(text, words.data(), words.size()))
            return;
        if (!isTcpProto(f[0])) {
            // udp/raw/unix rows and the UNIX socket section ("Proto RefCnt Flags ..."): not TCP.
            if (f[0] == "udp" || f[0] == "udp6" || f[0] == "raw" || f[0] == "raw6" || f[0] == "unix" ||
                f[0] == "Proto" || f[0] == "udpl" || f[0] == "udpl6")
                return;
            out.warn(number, "not a netstat socket line; skipped");
            return;
        }
        row(f, number, out);
    }

    std::size_t bytesPerRow() const override { return 64; } // netstat -ant rows are 80-100 bytes

private:
    static void row(const Fields& f, std::uint32_t number, SnapshotBuilder& out) {
        if (f.size() < 6 || !text::parseUnsigned(f[1]) || !text::parseUnsigned(f[2])) {
            out.warn(number, "not a netstat tcp line (expected Proto Recv-Q Send-Q Local Foreign State); skipped");
            return;
        }
        const auto local = text::parseEndpoint(f[3]);
        const auto peer = text::parseEndpoint(f[4]);
        if (!local || !peer) {
            // netstat cuts long IPv6 addresses to the column width unless run with -W.
            out.warn(number, "cannot read address '" + std::string(local ? f[4] : f[3]) +
                                 "' (netstat shortens long IPv6 addresses; use netstat -W); line skipped");
            return;
        }
        const auto state = parseStateName(f[5]);
        if (!state) {
            out.warn(number, "unknown socket state '" + std::string(f[5]) + "'; line skipped");
            return;
        }
        SocketRow r;
        r.line = number;
        r.localIp = local->ip;
        r.localPort = local->port;
        r.remoteIp = peer->ip;
        r.remotePort = peer->port;
        r.state = *state;
        // -o: "NAME (SECONDS/RETRANSMITS/PROBES)", after the optional -p "PID/Program name".
        for (std::size_t i = 6; i + 1 < f.size(); ++i) {
            const std::string_view v = f[i + 1];
            if (!v.starts_with('(') || !v.ends_with(')'))
                continue;
            const std::size_t slash = v.find('/');
            const auto ms = text::parseSecondsMs(v.substr(1, slash == std::string_view::npos ? 0 : slash - 1));
            if (!ms) {
                out.warn(number, "cannot read the netstat timer '" + std::string(v) + "'; kept without it");
                break;
            }
            r.timerKind = text::timerKindFromName(f[i]);
            r.timerMs = r.timerKind ? *ms : -1;
            break;
        }
        out.addRow(r);
    }
};

} // namespace

int NetstatImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 4> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    for (std::size_t k = 0; k < n && k < 2; ++k)
        if (isNetstatHeader(lines[k]))
            return 80;
    if (n > 0 && looksLikeNetstatRow(Fields(lines[0])))
        return 45; // headerless rows with a netstat state at the end
    return 0;
}

std::unique_ptr<LineParser> NetstatImporter::makeParser() const { return std::make_unique<NetstatParser>(); }

} // namespace twlens
