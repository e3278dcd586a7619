// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/capture/pcap_source.h"

#include <climits>
#include <cstring>

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

} // namespace

PcapSource::~PcapSource() { close(); }

void PcapSource::close() {
    if (pcap_) {
        pcap_close(pcap_); // also fcloses the FILE (and so the cookie; the gzFile stays ours)
        pcap_ = nullptr;
    }
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
    if (!compressed_) {
        gz_.close();
        pcap_ = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    } else {
        const cookie_io_functions_t io{gzCookieRead, nullptr, gzCookieSeek, gzCookieClose};
        FILE* f = fopencookie(gz_.handle(), "rb", io);
        if (!f) {
            if (error)
                *error = std::strerror(errno);
            gz_.close();
            return false;
        }
        pcap_ = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
        if (!pcap_)
            std::fclose(f);
    }
    if (!pcap_) {
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
