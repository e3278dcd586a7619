// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <pcap/pcap.h>

#include "importers/input_stream.h"

namespace twlens {

// A capture file opened through libpcap with nanosecond timestamps. Plain files are fopen()ed
// here and handed to pcap_fopen_offline_with_tstamp_precision; gzip files are inflated on the fly
// by zlib behind a fopencookie() FILE that libpcap reads like any other (streaming: no temporary
// file). Either FILE reads through a large buffer of ours (see kReadBuffer).
class PcapSource {
public:
    PcapSource() = default;
    ~PcapSource();
    PcapSource(const PcapSource&) = delete;
    PcapSource& operator=(const PcapSource&) = delete;

    // On failure returns false and `error` holds libpcap's (or the system's) reason.
    bool open(const std::string& path, std::string* error);
    void close();

    pcap_t* handle() const { return pcap_; }
    bool compressed() const { return compressed_; }
    std::uint64_t sizeOnDisk() const { return sizeOnDisk_; }
    // Bytes of the file on disk read so far (compressed bytes for gzip): for progress.
    std::uint64_t diskOffset() const;
    // Where libpcap's reading stands in the capture data (decompressed bytes for gzip).
    std::uint64_t dataOffset() const;

private:
    pcap_t* pcap_ = nullptr;
    std::unique_ptr<char[]> buffer_; // the FILE's stdio buffer: outlives it (freed after pcap_close)
    InputStream gz_;          // only used for gzip inputs
    bool compressed_ = false;
    std::uint64_t sizeOnDisk_ = 0;
};

} // namespace twlens
