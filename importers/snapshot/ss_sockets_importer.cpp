// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/ss_sockets_importer.h"

#include <array>
#include <optional>

#include "core/model/tcp_state.h"
#include "core/snapshots/snapshot_summary.h"
#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::Fields;

bool isSsHeader(const Fields& f, std::string_view line) {
    return f.size() >= 4 && line.find("Recv-Q") != std::string_view::npos &&
           line.find("Address:Port") != std::string_view::npos;
}

// ss's own spelling of a state (facts §7), which parseStateName also accepts in netstat form;
// netstat's underscores are not ss output, so they do not make a row look like ss.
bool looksLikeSsState(std::string_view w) {
    return w.find('_') == std::string_view::npos && parseStateName(w).has_value();
}

// A row without a header: "[netid] [state] recv-q send-q local peer ...".
bool looksLikeSsRow(const Fields& f) {
    std::size_t i = 0;
    if (f[0] == "tcp")
        ++i;
    if (looksLikeSsState(f[i]))
        ++i;
    return f.size() >= i + 4 && text::parseUnsigned(f[i]) && text::parseUnsigned(f[i + 1]) &&
           text::parseEndpoint(f[i + 2]) && text::parseEndpoint(f[i + 3]);
}

// A state name in an ss filter ("state time-wait", "state listening"); groups such as
// "connected" name several states and make ss print the State column, so they answer nullopt.
std::optional<TcpState> filterStateName(std::string_view w) {
    if (w == "listening")
        return TcpState::Listen;
    if (w == "established" || w == "syn-sent" || w == "syn-recv" || w == "fin-wait-1" || w == "fin-wait-2" ||
        w == "time-wait" || w == "closed" || w == "close-wait" || w == "last-ack" || w == "closing")
        return parseStateName(w);
    return std::nullopt;
}

class SsSocketsParser final : public LineParser {
public:
    void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) override;
    void newSection() override {
        // The command line, when there was one, stays in force: a `date; ss ...` loop repeats it.
        haveHeader_ = false;
        sawStatelessRow_ = false;
    }
    void finishSection(SnapshotBuilder& out) override;
    // ss -tan rows are 70-130 bytes: rather reserve too many rows once than regrow.
    std::size_t bytesPerRow() const override { return 64; }

private:
    void command(std::span<const std::string_view> words);
    void row(const Fields& f, std::uint32_t number, SnapshotBuilder& out);

    // Layout from the header (or guessed per row when there is none).
    bool haveHeader_ = false;
    bool netidColumn_ = false;
    bool stateColumn_ = true;
    // From a command line, when there is one.
    bool sawCommand_ = false;
    bool allFlag_ = false;
    bool listeningFlag_ = false;
    int filterStates_ = 0;
    TcpState filterState_ = TcpState::None;
    bool warnedUnknownState_ = false;
    bool sawStatelessRow_ = false;
};

void SsSocketsParser::command(std::span<const std::string_view> words) {
    if (words.empty() || !(words[0] == "ss" || words[0].ends_with("/ss")))
        return;
    sawCommand_ = true;
    allFlag_ = listeningFlag_ = false;
    filterStates_ = 0;
    for (std::size_t i = 1; i < words.size(); ++i) {
        const std::string_view w = words[i];
        if (w == "--all")
            allFlag_ = true;
        else if (w == "--listening")
            listeningFlag_ = true;
        else if (w.size() > 1 && w[0] == '-' && w[1] != '-') {
            allFlag_ |= w.find('a') != std::string_view::npos;
            listeningFlag_ |= w.find('l') != std::string_view::npos;
        } else if ((w == "state" || w == "exclude") && i + 1 < words.size()) {
            ++filterStates_;
            const auto s = filterStateName(words[i + 1]);
            if (w == "state" && s)
                filterState_ = *s;
            else
                filterStates_ = 99; // a group or an exclusion: several states, ss shows the column
            ++i;
        }
    }
}

void SsSocketsParser::line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) {
    // ss -i, -e, -m print socket details on indented continuation lines after the socket line.
    if (text::isBlank(text.front()))
        return;
    const Fields f(text);
    if (f.empty())
        return;
    if (!haveHeader_) {
        std::array<std::string_view, 24> words;
        if (const std::size_t n = commandWords(text, words.data(), words.size())) {
            command(std::span(words.data(), n));
            return;
        }
    }
    if (isSsHeader(f, text)) {
        haveHeader_ = true;
        netidColumn_ = f[0] == "Netid";
        stateColumn_ = f[0] == "State" || (netidColumn_ && f[1] == "State");
        out.touch();
        return;
    }
    row(f, number, out);
}

void SsSocketsParser::row(const Fields& f, std::uint32_t number, SnapshotBuilder& out) {
    std::size_t i = 0;
    bool hasNetid = netidColumn_;
    bool hasState = stateColumn_;
    if (!haveHeader_) {
        // No header (ss -H): each row shows its own shape.
        hasNetid = text::startsLower(f[0]) && !text::parseEndpoint(f[0]);
        hasState = !text::parseUnsigned(f[hasNetid ? 1 : 0]);
    }
    if (hasNetid) {
        if (f[0] != "tcp")
            return; // udp, raw, unix, ...: not ours, and not a problem
        ++i;
    }
    SocketRow r;
    r.line = number;
    if (hasState) {
        const auto s = parseStateName(f[i]);
        if (!s) {
            out.warn(number, "unknown socket state '" + std::string(f[i]) + "'; line skipped");
            return;
        }
        r.state = *s;
        ++i;
    }
    if (f.size() < i + 4 || !text::parseUnsigned(f[i]) || !text::parseUnsigned(f[i + 1])) {
        out.warn(number, "not an ss socket line (expected Recv-Q Send-Q Local Peer); line skipped");
        return;
    }
    const auto local = text::parseEndpoint(f[i + 2]);
    const auto peer = text::parseEndpoint(f[i + 3]);
    if (!local || !peer) {
        out.warn(number, "cannot read address '" + std::string(local ? f[i + 3] : f[i + 2]) + "'; line skipped");
        return;
    }
    r.localIp = local->ip;
    r.localPort = local->port;
    r.remoteIp = peer->ip;
    r.remotePort = peer->port;

    // ss -o: "timer:(NAME,TIME,RETRANSMITS)" after the address columns (and after users:(...)
    // when -p is given, whose process names may hold spaces: search the text, not the fields).
    const std::string_view tail = f.rest(i + 4);
    if (const std::size_t at = tail.find("timer:("); at != std::string_view::npos) {
        const std::string_view body = tail.substr(at + 7);
        const std::size_t c1 = body.find(',');
        const std::size_t c2 = c1 == std::string_view::npos ? c1 : body.find(',', c1 + 1);
        const std::size_t close = body.find(')');
        if (c2 == std::string_view::npos || close == std::string_view::npos || close < c2) {
            out.warn(number, "cannot read the ss timer field; the socket is kept without its timer");
        } else {
            const auto ms = text::parseSsDurationMs(body.substr(c1 + 1, c2 - c1 - 1));
            r.timerKind = text::timerKindFromName(body.substr(0, c1));
            if (ms)
                r.timerMs = *ms;
            else
                out.warn(number, "cannot read the timer value '" + std::string(body.substr(c1 + 1, c2 - c1 - 1)) +
                                     "'; the socket is kept without its timer");
        }
    }
    if (!hasState) {
        sawStatelessRow_ = true;
        if (filterStates_ == 1)
            r.state = filterState_;
        else if (r.timerKind == 3)
            r.state = TcpState::TimeWait; // the timewait timer runs only in TIME-WAIT
        else if (!warnedUnknownState_) {
            warnedUnknownState_ = true;
            out.warn(number, "this ss listing has no State column (it was filtered by state) and nothing says "
                             "which state: put the command, e.g. `# ss -tan state time-wait`, on the line "
                             "before the header");
        }
    }
    out.addRow(r);
}

void SsSocketsParser::finishSection(SnapshotBuilder& out) {
    SocketSnapshot& s = out.current();
    StateVisibility visible = StateVisibility::all();
    if (sawStatelessRow_ || (haveHeader_ && !stateColumn_)) {
        // A state-filtered listing shows one state; without knowing it, nothing is known.
        if (filterStates_ == 1)
            visible = StateVisibility::only(filterState_);
        else {
            visible.hidden.fill(true);
        }
    } else if (sawCommand_ && filterStates_ == 1) {
        visible = StateVisibility::only(filterState_);
    } else if (sawCommand_ && listeningFlag_ && !allFlag_) {
        visible = StateVisibility::only(TcpState::Listen);
    } else if (sawCommand_ && !allFlag_ && filterStates_ == 0) {
        visible = StateVisibility::ssWithoutAll();
        out.warn(1, "ss was run without -a: it hides LISTEN, SYN-RECV and TIME-WAIT sockets, so their counts "
                    "are unknown; use `ss -tan`");
    }
    summarizeSocketRows(s, visible);
}

} // namespace

int SsSocketsImporter::probe(std::span<const std::byte> head) const {
    std::array<std::string_view, 4> lines;
    const std::size_t n = meaningfulLines(head, lines.data(), lines.size());
    if (n == 0)
        return 0;
    const Fields first(lines[0]);
    if (isSsHeader(first, lines[0]))
        return 80;
    // Headerless (ss -H): the first lines must all look like ss rows.
    std::size_t rows = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const Fields f(lines[k]);
        if (!text::isBlank(lines[k].front()) && !looksLikeSsRow(f))
            return 0;
        ++rows;
    }
    return rows ? 40 : 0;
}

std::unique_ptr<LineParser> SsSocketsImporter::makeParser() const { return std::make_unique<SsSocketsParser>(); }

} // namespace twlens
