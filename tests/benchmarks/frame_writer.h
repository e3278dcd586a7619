// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <cstdio>
#include <string>

#include "connection_plan.h"

struct pcap;
struct pcap_dumper;

namespace twlens::bench {

// Encodes planned packets as Ethernet II / IPv4 / TCP frames and writes them through libpcap's
// savefile writer (pcap_open_dead + pcap_dump_fopen) into a classic pcap file.
class FrameWriter {
public:
    FrameWriter() = default;
    ~FrameWriter();
    FrameWriter(const FrameWriter&) = delete;
    FrameWriter& operator=(const FrameWriter&) = delete;

    // false and `error` set when the file cannot be created.
    bool open(const std::string& path, int snaplen, bool nanosecond, std::string& error);
    void write(const ConnectionSpec& conn, const PlannedPacket& p);
    // Flushes and closes; false when a write failed (disk full...).
    bool close();
    std::uint64_t bytesWritten() const { return bytes_; }

private:
    pcap* pcap_ = nullptr;
    pcap_dumper* dumper_ = nullptr;
    std::FILE* file_ = nullptr;
    int snaplen_ = 65535;
    bool nano_ = false;
    std::uint64_t bytes_ = 0;
};

} // namespace twlens::bench
