// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/input_stream.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace twlens {

InputStream::~InputStream() { close(); }

InputStream::InputStream(InputStream&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)), compressed_(other.compressed_), sizeOnDisk_(other.sizeOnDisk_) {}

InputStream& InputStream::operator=(InputStream&& other) noexcept {
    if (this != &other) {
        close();
        file_ = std::exchange(other.file_, nullptr);
        compressed_ = other.compressed_;
        sizeOnDisk_ = other.sizeOnDisk_;
    }
    return *this;
}

bool InputStream::open(const std::string& path, std::string* error) {
    close();
    // Open the descriptor ourselves (O_RDONLY) so the size and the read come from the same file,
    // and so a path that is a directory is refused before zlib sees it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (error)
            *error = std::strerror(errno);
        return false;
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        if (error)
            *error = S_ISDIR(st.st_mode) ? "is a directory" : std::strerror(errno);
        ::close(fd);
        return false;
    }
    sizeOnDisk_ = static_cast<std::uint64_t>(st.st_size);
    file_ = gzdopen(fd, "rb");
    if (!file_) {
        if (error)
            *error = "out of memory opening the zlib stream";
        ::close(fd);
        return false;
    }
    // A larger buffer than zlib's 8 KiB default: fewer read() calls on big captures.
    gzbuffer(file_, 128 * 1024);
    // gzdirect() is only reliable after the first read (it looks at the magic then), so peek.
    char probe = 0;
    const int n = gzread(file_, &probe, 1);
    compressed_ = n >= 0 && gzdirect(file_) == 0;
    if (n == 1)
        gzungetc(static_cast<unsigned char>(probe), file_);
    return true;
}

void InputStream::close() {
    if (file_) {
        gzclose_r(file_);
        file_ = nullptr;
    }
}

std::ptrdiff_t InputStream::read(std::span<std::byte> out) {
    if (!file_)
        return -1;
    std::ptrdiff_t total = 0;
    // gzread takes an unsigned int count; split huge requests.
    while (!out.empty()) {
        const unsigned chunk = out.size() > UINT_MAX / 2 ? UINT_MAX / 2 : static_cast<unsigned>(out.size());
        const int n = gzread(file_, out.data(), chunk);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        total += n;
        out = out.subspan(static_cast<std::size_t>(n));
    }
    return total;
}

std::string InputStream::errorText() const {
    if (!file_)
        return "not open";
    int code = Z_OK;
    const char* text = gzerror(file_, &code);
    if (code == Z_ERRNO)
        return std::strerror(errno);
    return text ? text : "unknown zlib error";
}

std::uint64_t InputStream::diskOffset() const {
    if (!file_)
        return 0;
    const auto off = gzoffset(file_);
    return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

std::uint64_t InputStream::dataOffset() const {
    if (!file_)
        return 0;
    const auto off = gztell(file_);
    return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

std::vector<std::byte> readHead(const std::string& path, std::size_t maxBytes, std::string* error, bool* compressed) {
    InputStream in;
    if (!in.open(path, error))
        return {};
    std::vector<std::byte> head(maxBytes);
    const auto n = in.read(head);
    if (n < 0) {
        if (error)
            *error = in.errorText();
        return {};
    }
    head.resize(static_cast<std::size_t>(n));
    if (compressed)
        *compressed = in.compressed();
    return head;
}

} // namespace twlens
