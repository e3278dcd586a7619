// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/capture/pcap_source.h"

#include <climits>
#include <cstring>

#include <fcntl.h>
#include <stdio_ext.h>

namespace twlens {

namespace {

// fopencookie callbacks over a gzFile that InputStream owns (closing the FILE leaves it open).
ssize_t gzCookieRead(void* cookie, char* buf, std::size_t size) {
    const unsigned chunk = size > INT_MAX ? INT_MAX : static_cast<unsigned>(size);
    const int n = gzread(static_cast<gzFile>(cookie), buf, chunk);
    return n < 0 ? -1 : n;
}

// Only for ftell(): glibc asks the cookie where the stream is (SEEK_CUR, 0) and subtracts what
// sits unread in its own buffer, which gives the exact decompressed offset. zlib can seek
// forward on a read stream and rewinds by restarting; SEEK_END is impossible on gzip.
int gzCookieSeek(void* cookie, off64_t* offset, int whence) {
    if (whence != SEEK_SET && whence != SEEK_CUR)
        return -1;
    const z_off_t r = gzseek(static_cast<gzFile>(cookie), static_cast<z_off_t>(*offset), whence);
    if (r < 0)
        return -1;
    *offset = r;
    return 0;
}

int gzCookieClose(void*) { return 0; }

// libpcap reads a savefile with two fread() calls per record (header, then data) from the FILE's
// stdio buffer; glibc sizes that buffer at st_blksize (4 KiB), so a 1.8 GB capture cost ~450k
// read() system calls (and 8 KiB gzread() calls for gzip). 256 KiB makes them ~7k: as fast
// here as 1 MiB, for less peak RSS. glibc ignores setvbuf's size without a caller buffer, hence
// one of our own.
constexpr std::size_t kReadBuffer = std::size_t{256} << 10;

} // namespace

PcapSource::~PcapSource() { close(); }

void PcapSource::close() {
    if (pcap_) {
        pcap_close(pcap_); // also fcloses the FILE (and so the cookie; the gzFile stays ours)
        pcap_ = nullptr;
    }
    buffer_.reset();
    gz_.close();
}

bool PcapSource::open(const std::string& path, std::string* error) {
    close();
    std::string why;
    if (!gz_.open(path, &why)) {
        if (error)
            *error = why;
        return false;
    }
    compressed_ = gz_.compressed();
    sizeOnDisk_ = gz_.sizeOnDisk();
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    FILE* f = nullptr;
    if (!compressed_) {
        gz_.close();
        f = std::fopen(path.c_str(), "rb");
        if (f) // the kernel may read ahead further on a file read front to back
            posix_fadvise(fileno(f), 0, 0, POSIX_FADV_SEQUENTIAL);
    } else {
        const cookie_io_functions_t io{gzCookieRead, nullptr, gzCookieSeek, gzCookieClose};
        f = fopencookie(gz_.handle(), "rb", io);
    }
    if (!f) {
        if (error)
            *error = path + ": " + std::strerror(errno);
        gz_.close();
        return false;
    }
    buffer_ = std::make_unique_for_overwrite<char[]>(kReadBuffer);
    std::setvbuf(f, buffer_.get(), _IOFBF, kReadBuffer);
    // Only the reading thread touches this FILE: glibc may skip its lock in each of libpcap's
    // two fread() calls per record.
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    pcap_ = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pcap_) {
        std::fclose(f);
        buffer_.reset();
        if (error)
            *error = errbuf[0] ? errbuf : "libpcap could not open the file";
        gz_.close();
        return false;
    }
    return true;
}

std::uint64_t PcapSource::diskOffset() const {
    if (compressed_)
        return gz_.diskOffset();
    if (!pcap_)
        return 0;
    const long off = std::ftell(pcap_file(pcap_));
    return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

std::uint64_t PcapSource::dataOffset() const {
    if (!pcap_)
        return 0;
    const long off = std::ftell(pcap_file(pcap_));
    return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

} // namespace twlens
