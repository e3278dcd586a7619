// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace twlens {

// Where a text importer's lines come from. The parsers take a LineSource rather than a path so
// that the same code reads a file on disk, a member of a collector bundle held in memory, or a
// fuzzer's bytes. A line is handed out without its "\n" (and without a "\r" before it); the view
// stays valid until the next call.
class LineSource {
public:
    virtual ~LineSource() = default;
    // False at the end of the input (or after a read error, see error()).
    virtual bool next(std::string_view& line) = 0;
    std::uint32_t lineNumber() const { return line_; } // 1-based number of the last line handed out
    virtual std::uint64_t bytesConsumed() const = 0;     // of the decoded text, for progress
    // Roughly how many bytes of text there are (0 when unknown), so parsers can reserve once
    // instead of growing their row vectors step by step.
    virtual std::uint64_t sizeHint() const { return 0; }
    const std::string& error() const { return error_; }

protected:
    std::uint32_t line_ = 0;
    std::string error_;
};

// Lines of a buffer the caller keeps alive (bundle members, fuzz inputs, tests).
class MemoryLineSource final : public LineSource {
public:
    explicit MemoryLineSource(std::string_view text) : text_(text) {}
    bool next(std::string_view& line) override;
    std::uint64_t bytesConsumed() const override { return pos_; }
    std::uint64_t sizeHint() const override { return text_.size(); }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// Lines of a file, plain or gzip-compressed (zlib's gzread passes plain files through), read in
// large blocks: no allocation per line, a line longer than the block grows the buffer once.
class FileLineSource final : public LineSource {
public:
    explicit FileLineSource(const std::string& path);
    ~FileLineSource() override;
    FileLineSource(const FileLineSource&) = delete;
    FileLineSource& operator=(const FileLineSource&) = delete;

    bool ok() const { return file_ != nullptr; }
    bool next(std::string_view& line) override;
    std::uint64_t bytesConsumed() const override { return consumed_; }
    std::uint64_t compressedOffset() const; // bytes of the file on disk read so far
    std::uint64_t sizeHint() const override { return sizeOnDisk_; } // a gzip file holds more

private:
    bool fill();

    void* file_ = nullptr; // gzFile; kept opaque so zlib.h stays out of this header
    std::vector<char> buf_;
    std::size_t begin_ = 0, end_ = 0;
    std::uint64_t consumed_ = 0;
    std::uint64_t sizeOnDisk_ = 0;
    bool eof_ = false;
};

} // namespace twlens
