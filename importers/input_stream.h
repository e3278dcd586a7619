// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <zlib.h>

namespace twlens {

// One input file opened read-only through zlib: gzopen() passes plain files through unchanged and
// inflates gzip ones (magic 1f 8b), so every importer sees the same decompressed bytes whatever
// is on disk. Nothing here ever writes to the file.
class InputStream {
public:
    InputStream() = default;
    ~InputStream();
    InputStream(const InputStream&) = delete;
    InputStream& operator=(const InputStream&) = delete;
    InputStream(InputStream&& other) noexcept;
    InputStream& operator=(InputStream&& other) noexcept;

    // Opens `path`; on failure returns false and `error` says why (strerror text).
    bool open(const std::string& path, std::string* error = nullptr);
    bool isOpen() const { return file_ != nullptr; }
    void close();

    // Reads up to out.size() decompressed bytes; returns how many, 0 at the end, -1 on error.
    std::ptrdiff_t read(std::span<std::byte> out);
    // The zlib error text after read() returned -1.
    std::string errorText() const;

    bool compressed() const { return compressed_; }
    std::uint64_t sizeOnDisk() const { return sizeOnDisk_; }
    // How far into the file on disk zlib has read (compressed bytes for gzip): for progress bars.
    std::uint64_t diskOffset() const;
    // How many decompressed bytes have been handed out so far.
    std::uint64_t dataOffset() const;

    gzFile handle() const { return file_; }

private:
    gzFile file_ = nullptr;
    bool compressed_ = false;
    std::uint64_t sizeOnDisk_ = 0;
};

// The first `maxBytes` decompressed bytes of a file, for content probes. Empty (and `error`
// set) when the file cannot be opened or read.
std::vector<std::byte> readHead(const std::string& path, std::size_t maxBytes, std::string* error = nullptr,
                                bool* compressed = nullptr);

} // namespace twlens
