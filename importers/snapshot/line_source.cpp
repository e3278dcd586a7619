// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/line_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <zlib.h>

namespace twlens {

namespace {
constexpr std::size_t kBlock = 1u << 20;

std::string_view chompCr(std::string_view s) {
    if (!s.empty() && s.back() == '\r')
        s.remove_suffix(1);
    return s;
}
} // namespace

bool MemoryLineSource::next(std::string_view& line) {
    if (pos_ >= text_.size())
        return false;
    const std::size_t nl = text_.find('\n', pos_);
    const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
    line = chompCr(text_.substr(pos_, end - pos_));
    pos_ = nl == std::string_view::npos ? text_.size() : nl + 1;
    ++line_;
    return true;
}

FileLineSource::FileLineSource(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) {
        error_ = std::strerror(errno);
        return;
    }
    gzbuffer(f, 256 * 1024);
    file_ = f;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0)
        sizeOnDisk_ = static_cast<std::uint64_t>(st.st_size);
    buf_.resize(kBlock);
}

FileLineSource::~FileLineSource() {
    if (file_)
        gzclose(static_cast<gzFile>(file_));
}

std::uint64_t FileLineSource::compressedOffset() const {
    return file_ ? static_cast<std::uint64_t>(gzoffset(static_cast<gzFile>(file_))) : 0;
}

// Moves the unread tail to the front and reads more after it; grows the buffer when a single
// line fills all of it.
bool FileLineSource::fill() {
    if (eof_ || !file_)
        return false;
    if (begin_ > 0) {
        std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == buf_.size())
        buf_.resize(buf_.size() * 2);
    const int want = static_cast<int>(std::min<std::size_t>(buf_.size() - end_, 1u << 30));
    const int got = gzread(static_cast<gzFile>(file_), buf_.data() + end_, static_cast<unsigned>(want));
    if (got < 0) {
        int errnum = 0;
        const char* msg = gzerror(static_cast<gzFile>(file_), &errnum);
        error_ = msg ? msg : "read error";
        eof_ = true;
        return false;
    }
    if (got == 0) {
        eof_ = true;
        return false;
    }
    end_ += static_cast<std::size_t>(got);
    return true;
}

bool FileLineSource::next(std::string_view& line) {
    std::size_t scanFrom = begin_;
    for (;;) {
        const char* base = buf_.data();
        if (const void* nl = std::memchr(base + scanFrom, '\n', end_ - scanFrom)) {
            const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
            line = chompCr(std::string_view(base + begin_, at - begin_));
            consumed_ += at + 1 - begin_;
            begin_ = at + 1;
            ++line_;
            return true;
        }
        const std::size_t scanned = end_ - begin_;
        if (!fill()) {
            if (begin_ == end_)
                return false;
            // Last line without a newline.
            line = chompCr(std::string_view(buf_.data() + begin_, end_ - begin_));
            consumed_ += end_ - begin_;
            begin_ = end_;
            ++line_;
            return true;
        }
        scanFrom = begin_ + scanned;
    }
}

} // namespace twlens
