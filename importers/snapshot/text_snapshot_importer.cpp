// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/text_snapshot_importer.h"

#include <algorithm>
#include <array>
#include <sys/stat.h>

#include "core/snapshots/snapshot_summary.h"
#include "importers/snapshot/text_fields.h"
#include "importers/snapshot/time_line.h"

namespace twlens {

namespace {
// Past this many warnings for one input only a count is kept: the first ones say what is wrong.
constexpr std::uint64_t kMaxWarnings = 50;
constexpr std::uint32_t kProgressEveryLines = 1u << 16;
constexpr std::uint32_t kStopCheckEveryLines = 1u << 12;

TimeNs fileMtime(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return kNoTime;
    return static_cast<TimeNs>(st.st_mtim.tv_sec) * kNsPerSecond + st.st_mtim.tv_nsec;
}

bool isKnownCommand(std::string_view w) {
    if (const auto slash = w.rfind('/'); slash != std::string_view::npos)
        w = w.substr(slash + 1);
    static constexpr std::array<std::string_view, 8> kCommands{"ss", "netstat", "cat", "nstat",
                                                              "sysctl", "date", "twlens-collect", "head"};
    for (auto c : kCommands)
        if (w == c)
            return true;
    return false;
}
} // namespace

SnapshotBuilder::SnapshotBuilder(ImportContext& ctx, InputKind kind) : ctx_(ctx) {
    current_.kind = kind;
    current_.input = ctx.inputIndex;
}

void SnapshotBuilder::setCounter(std::string_view name, std::int64_t value) {
    auto it = current_.counters.find(name);
    if (it == current_.counters.end())
        current_.counters.emplace(std::string(name), value);
    else
        it->second = value;
    touched_ = true;
}

void SnapshotBuilder::setSysctl(std::string_view key, std::string_view value, std::uint32_t line) {
    if (!ctx_.sysctl)
        return;
    // A later input (or line) wins: the newest reading of a setting is the one in force.
    (*ctx_.sysctl)[std::string(key)] = SysctlValue{std::string(value), ctx_.inputIndex, line};
    touched_ = true;
}

void SnapshotBuilder::warn(std::uint32_t line, std::string message) {
    ++warnings_;
    if (warnings_ > kMaxWarnings)
        return;
    InputWarning w;
    w.line = line;
    w.message = std::move(message);
    ctx_.warn(std::move(w));
}

void LineParser::finishSection(SnapshotBuilder& out) {
    SocketSnapshot& s = out.current();
    if (!s.sockets.empty())
        summarizeSocketRows(s);
}

ImportOutcome TextSnapshotImporter::read(const std::string& path, ImportContext& ctx) const {
    FileLineSource lines(path);
    if (!lines.ok())
        return {ImportStatus::Failed, "cannot open: " + lines.error()};
    FallbackTimes times;
    times.fileMtime = fileMtime(path);
    times.indexTime = ctx.indexTime;
    return readLines(lines, ctx, times);
}

ImportOutcome TextSnapshotImporter::readLines(LineSource& lines, ImportContext& ctx, const FallbackTimes& times) const {
    auto parser = makeParser();
    SnapshotBuilder out(ctx, kind());
    if (ctx.info && ctx.info->kind == InputKind::Unknown)
        ctx.info->kind = kind();
    std::string_view text;
    bool anySection = false;
    // One reservation for the first section (most files hold one); capped so a huge gzip
    // file's estimate cannot ask for more than a few hundred MB up front.
    if (const std::size_t per = parser->bytesPerRow(); per > 0 && lines.sizeHint() > 0)
        out.current_.sockets.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(lines.sizeHint() / per, 4'000'000)));

    auto finish = [&] {
        SocketSnapshot& s = out.current_;
        if (s.ts == kNoTime) {
            if (times.indexTime != kNoTime) {
                s.ts = times.indexTime;
                s.timeSource = "bundle index";
            } else if (times.fileMtime != kNoTime) {
                s.ts = times.fileMtime;
                s.timeSource = "file mtime";
                out.warn(1, "no time line in the file: the snapshot is dated by the file's modification time");
            } else {
                out.warn(1, "no time line in the input: the snapshot has no time");
            }
        }
        parser->finishSection(out);
        if (ctx.info && s.ts != kNoTime) {
            if (ctx.info->firstTs == kNoTime || s.ts < ctx.info->firstTs)
                ctx.info->firstTs = s.ts;
            if (ctx.info->lastTs == kNoTime || s.ts > ctx.info->lastTs)
                ctx.info->lastTs = s.ts;
        }
        if (ctx.snapshots)
            ctx.snapshots->push_back(std::move(s));
        s = SocketSnapshot{};
        s.kind = kind();
        s.input = ctx.inputIndex;
        out.touched_ = false;
        anySection = true;
    };

    while (lines.next(text)) {
        const std::uint32_t n = lines.lineNumber();
        if (n % kStopCheckEveryLines == 0 && ctx.stop.stop_requested())
            return {ImportStatus::Cancelled, {}};
        if (n % kProgressEveryLines == 0 && ctx.observer) {
            ImportProgress p;
            p.input = ctx.inputIndex;
            p.inputCount = ctx.inputCount;
            p.bytesDone = lines.bytesConsumed();
            p.bytesTotal = ctx.info ? ctx.info->sizeBytes : 0;
            p.packets = ctx.packetsSoFar ? *ctx.packetsSoFar : 0;
            p.connections = ctx.connectionsSoFar ? *ctx.connectionsSoFar : 0;
            ctx.observer->progress(p);
        }
        if (text::trim(text).empty())
            continue;
        const TimeLine t = parseTimeLine(text);
        if (t.kind == TimeLine::Kind::Unconvertible) {
            out.warn(n, t.problem);
            continue;
        }
        if (t.kind == TimeLine::Kind::Time && parser->producesSnapshots()) {
            if (out.touched_ || out.current_.ts != kNoTime) {
                finish();
                parser->newSection();
            }
            out.current_.ts = t.ts;
            out.current_.timeSource = n == 1 ? "first line" : "line " + std::to_string(n);
            continue;
        }
        if (t.kind == TimeLine::Kind::Time)
            continue; // a sysctl file's date line dates nothing
        parser->line(text, n, out);
    }
    if (!lines.error().empty())
        out.warn(lines.lineNumber() + 1, "read error after this line: " + lines.error());
    if (parser->producesSnapshots() && (out.touched_ || !anySection))
        finish();
    if (out.warnings_ > kMaxWarnings) {
        InputWarning w;
        w.message = std::to_string(out.warnings_ - kMaxWarnings) + " more problems not listed";
        ctx.warn(std::move(w));
    }
    return {};
}

std::size_t commandWords(std::string_view line, std::string_view* out, std::size_t max) {
    text::Fields f(line);
    std::size_t i = 0;
    // Prompt tokens: "$", "#", "%", ">", or anything ending in one of them ("root@web1:~#").
    while (i < f.size() && i < 2) {
        const std::string_view w = f[i];
        const char last = w.back();
        if (last == '$' || last == '#' || last == '%' || last == '>')
            ++i;
        else
            break;
    }
    if (f[i] == "sudo")
        ++i;
    if (i >= f.size() || !isKnownCommand(f[i]))
        return 0;
    std::size_t n = 0;
    for (; i < f.size() && n < max; ++i) {
        std::string_view w = f[i];
        while (!w.empty() && (w.front() == '\'' || w.front() == '"' || w.front() == '('))
            w.remove_prefix(1);
        while (!w.empty() && (w.back() == '\'' || w.back() == '"' || w.back() == ')'))
            w.remove_suffix(1);
        if (!w.empty())
            out[n++] = w;
    }
    return n;
}

std::size_t meaningfulLines(std::span<const std::byte> head, std::string_view* out, std::size_t max) {
    std::string_view all(reinterpret_cast<const char*>(head.data()), head.size());
    std::size_t n = 0, pos = 0;
    while (pos < all.size() && n < max) {
        const std::size_t nl = all.find('\n', pos);
        if (nl == std::string_view::npos && pos > 0 && all.size() >= 512)
            break; // the last line of a full head may be cut short
        const std::string_view line = all.substr(pos, nl == std::string_view::npos ? all.npos : nl - pos);
        pos = nl == std::string_view::npos ? all.size() : nl + 1;
        const std::string_view t = text::trim(line);
        if (t.empty() || parseTimeLine(t).kind != TimeLine::Kind::NotTime)
            continue;
        std::array<std::string_view, 2> words;
        if (commandWords(t, words.data(), words.size()) > 0)
            continue;
        out[n++] = line;
    }
    return n;
}

} // namespace twlens
