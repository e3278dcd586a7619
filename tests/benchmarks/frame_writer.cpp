// SPDX-License-Identifier: GPL-3.0-or-later
#include "frame_writer.h"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "core/model/tcp_flags.h"

namespace twlens::bench {
namespace {

constexpr std::size_t kEth = 14, kIp = 20, kTcp = 20;
constexpr std::size_t kMaxFrame = kEth + kIp + kTcp + 40 + 65535;
constexpr std::size_t kFileBuffer = 1 << 20;

void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

// RFC 791 header checksum. The TCP checksum is left 0: captures taken on a sending host with
// checksum offload look the same, and no analyzer here validates it.
std::uint16_t ipChecksum(const std::uint8_t* h) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < kIp; i += 2) sum += (static_cast<std::uint32_t>(h[i]) << 8) | h[i + 1];
    while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// Linux's option layouts: SYNs carry MSS, SACK-permitted, timestamps and window scale
// (tcp_options_write); later segments NOP NOP TS.
std::size_t writeOptions(std::uint8_t* o, const PlannedPacket& p) {
    const bool syn = (p.flags & tcpflag::SYN) != 0;
    std::size_t n = 0;
    if (syn) {
        const std::uint8_t mss[] = {2, 4, 0x05, 0xB4};
        std::memcpy(o, mss, 4);
        n = 4;
        if (p.timestamps) {
            o[n++] = 4; o[n++] = 2;                    // SACK permitted
        } else {
            o[n++] = 1; o[n++] = 1; o[n++] = 4; o[n++] = 2;
        }
    } else if (p.timestamps) {
        o[n++] = 1; o[n++] = 1;
    }
    if (p.timestamps) {
        o[n++] = 8; o[n++] = 10;
        put32(o + n, p.tsVal);
        put32(o + n + 4, p.tsEcr);
        n += 8;
    }
    if (syn) {
        o[n++] = 1; o[n++] = 3; o[n++] = 3; o[n++] = 7;  // NOP, window scale 7
    }
    return n;
}

} // namespace

FrameWriter::~FrameWriter() { close(); }

bool FrameWriter::open(const std::string& path, int snaplen, bool nanosecond, std::string& error) {
    snaplen_ = snaplen;
    nano_ = nanosecond;
    pcap_ = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, snaplen,
                                                 nanosecond ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    if (!pcap_) {
        error = "pcap_open_dead failed";
        return false;
    }
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) {
        error = path + ": " + std::strerror(errno);
        return false;
    }
    // A large stdio buffer: pcap_dump does two small fwrite calls per packet.
    std::setvbuf(file_, nullptr, _IOFBF, kFileBuffer);
    dumper_ = pcap_dump_fopen(pcap_, file_);
    if (!dumper_) {
        error = path + ": " + pcap_geterr(pcap_);
        return false;
    }
    bytes_ = 24;
    return true;
}

void FrameWriter::write(const ConnectionSpec& c, const PlannedPacket& p) {
    static std::array<std::uint8_t, kMaxFrame> frame{};
    std::uint8_t* f = frame.data();
    const bool s = p.fromServer;
    // Locally administered MACs: 02:00:<ip> so each host keeps one address.
    const std::uint32_t srcIp = s ? c.serverIp : c.clientIp, dstIp = s ? c.clientIp : c.serverIp;
    f[0] = 0x02; f[1] = 0; put32(f + 2, dstIp);
    f[6] = 0x02; f[7] = 0; put32(f + 8, srcIp);
    put16(f + 12, 0x0800);

    std::uint8_t* tcp = f + kEth + kIp;
    const std::size_t optLen = writeOptions(tcp + kTcp, p);
    const std::size_t tcpLen = kTcp + optLen;
    const std::size_t ipLen = kIp + tcpLen + p.payload;

    std::uint8_t* ip = f + kEth;
    ip[0] = 0x45; ip[1] = 0;
    put16(ip + 2, static_cast<std::uint32_t>(ipLen));
    put16(ip + 4, p.ipId);
    put16(ip + 6, 0x4000);  // DF
    ip[8] = 64; ip[9] = 6;
    put16(ip + 10, 0);
    put32(ip + 12, srcIp);
    put32(ip + 16, dstIp);
    put16(ip + 10, ipChecksum(ip));

    put16(tcp, s ? c.serverPort : c.clientPort);
    put16(tcp + 2, s ? c.clientPort : c.serverPort);
    put32(tcp + 4, p.seq);
    put32(tcp + 8, p.ack);
    tcp[12] = static_cast<std::uint8_t>((tcpLen / 4) << 4);
    tcp[13] = p.flags;
    put16(tcp + 14, p.window);
    put16(tcp + 16, 0);
    put16(tcp + 18, 0);
    // Payload bytes: a fixed pattern (the analyzers never look inside).
    std::memset(tcp + tcpLen, 'x', p.payload);

    const std::size_t wireLen = kEth + ipLen;
    pcap_pkthdr h{};
    h.ts.tv_sec = static_cast<time_t>(p.ts / kNsPerSecond);
    const TimeNs frac = p.ts % kNsPerSecond;
    h.ts.tv_usec = static_cast<suseconds_t>(nano_ ? frac : frac / kNsPerUs);
    h.len = static_cast<bpf_u_int32>(wireLen);
    h.caplen = static_cast<bpf_u_int32>(std::min<std::size_t>(wireLen, static_cast<std::size_t>(snaplen_)));
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, f);
    bytes_ += 16 + h.caplen;
}

bool FrameWriter::close() {
    bool ok = true;
    if (dumper_) {
        ok = pcap_dump_flush(dumper_) == 0 && !std::ferror(file_);
        pcap_dump_close(dumper_);  // closes file_ too
        dumper_ = nullptr;
        file_ = nullptr;
    } else if (file_) {
        std::fclose(file_);
        file_ = nullptr;
    }
    if (pcap_) {
        pcap_close(pcap_);
        pcap_ = nullptr;
    }
    return ok;
}

} // namespace twlens::bench
