// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "importers/importer.h"
#include "importers/snapshot/line_source.h"

namespace twlens {

// What a format's line parser writes into: the current snapshot section, sysctl values and
// warnings with their line numbers (capped, so a file of garbage cannot flood the report).
class SnapshotBuilder {
public:
    SnapshotBuilder(ImportContext& ctx, InputKind kind);

    SocketSnapshot& current() { return current_; }
    // Marks the section as holding something (a header, a row, a counter), so that a later time
    // line starts a new section instead of dating this one.
    void touch() { touched_ = true; }
    void addRow(const SocketRow& row) {
        current_.sockets.push_back(row);
        touched_ = true;
    }
    void setCounter(std::string_view name, std::int64_t value);
    void setSysctl(std::string_view key, std::string_view value, std::uint32_t line);
    void warn(std::uint32_t line, std::string message);
    std::uint64_t warningCount() const { return warnings_; }
    ImportContext& context() { return ctx_; }

private:
    friend class TextSnapshotImporter;
    ImportContext& ctx_;
    SocketSnapshot current_;
    bool touched_ = false;
    std::uint64_t warnings_ = 0;
};

// One format's parsing state for one input. The base class hands it every line except blank
// lines and time lines (which it handles itself), so the parsers never deal with files, times
// or sections.
class LineParser {
public:
    virtual ~LineParser() = default;
    virtual void line(std::string_view text, std::uint32_t number, SnapshotBuilder& out) = 0;
    // A time line started a new section: forget per-section state (headers repeat in each).
    virtual void newSection() {}
    // The section is complete: derive state counts etc. Default: counts from rows.
    virtual void finishSection(SnapshotBuilder& out);
    // Sysctl lines feed Analysis::sysctl and produce no snapshot.
    virtual bool producesSnapshots() const { return true; }
    // Average bytes of text per socket row (0: the format has no rows): with the input's size
    // it sizes the row vector once.
    virtual std::size_t bytesPerRow() const { return 0; }
};

// Times a snapshot may fall back on when its text has none (facts: first line, then the
// collector bundle's index, then the file's mtime with a warning).
struct FallbackTimes {
    TimeNs indexTime = kNoTime;  // from a twlens-collect bundle index
    TimeNs fileMtime = kNoTime;
};

// Base of every text snapshot format: streams lines from a LineSource, splits the input into
// sections at time lines (so `while sleep 1; do date +%s; ss -tan; done > f` gives a series),
// dates each section, and appends one SocketSnapshot per section to ctx.snapshots.
class TextSnapshotImporter : public Importer {
public:
    ImportOutcome read(const std::string& path, ImportContext& ctx) const override;
    // The parsing core, shared by read(), the bundle reader, the tests and the fuzz targets.
    ImportOutcome readLines(LineSource& lines, ImportContext& ctx, const FallbackTimes& times) const;
    virtual std::unique_ptr<LineParser> makeParser() const = 0;
};

// The first meaningful lines of a probe head: blank lines, time lines and shell command lines
// ("$ ss -tan", "# cat /proc/net/sockstat") skipped. At most `max` lines; the last line of the
// head is dropped when it may be cut short.
std::size_t meaningfulLines(std::span<const std::byte> head, std::string_view* out, std::size_t max);

// "$ ss -tan state time-wait" -> the command's words after the prompt ("ss", "-tan", ...), or an
// empty span when the line is not a command line. Recognised prompts: "$", "#", "%", ">" and
// "user@host:dir$"-style tokens; "sudo" is skipped.
std::size_t commandWords(std::string_view line, std::string_view* out, std::size_t max);

} // namespace twlens
