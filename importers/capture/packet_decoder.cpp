// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/capture/packet_decoder.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "importers/capture/link_layer.h"

namespace twlens {

namespace {

constexpr std::uint8_t kProtoTcp = 6;
// IPv6 extension headers that may precede TCP (RFC 8200 §4): their length is in 8-octet units
// not counting the first 8 octets. Anything else ends the walk (RFC 8200 §4.1 order is not
// enforced: a sender may use any order, and we only need to find TCP).
constexpr std::uint8_t kV6HopByHop = 0;
constexpr std::uint8_t kV6Routing = 43;
constexpr std::uint8_t kV6Fragment = 44;
constexpr std::uint8_t kV6DestOptions = 60;

inline std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
inline std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

struct IpLayer {
    std::size_t ipStart = 0;     // offset of the IP header in the frame
    std::size_t tcpStart = 0;    // offset of the TCP header in the frame
    std::size_t datagramEnd = 0; // ipStart + the IP datagram length (from the header)
};

// Fills addresses and finds the TCP header of an IPv4 datagram (RFC 791 §3.1).
DecodeClass decodeIpv4(std::span<const std::uint8_t> f, std::size_t at, std::size_t wireEnd, Segment& out,
                       IpLayer& ip) {
    if (f.size() < at + 20)
        return DecodeClass::Undecodable;
    const std::uint8_t* h = f.data() + at;
    if ((h[0] >> 4) != 4)
        return DecodeClass::Undecodable;
    const std::size_t headerLen = std::size_t{h[0] & 0x0Fu} * 4;
    if (headerLen < 20)
        return DecodeClass::Undecodable;
    std::size_t totalLen = be16(h + 2);
    // A total length of 0 appears on frames captured before TCP segmentation offload split
    // them (Wireshark reports it as "reported as 0, presumed to be because of TSO"): the frame
    // length is then the only length there is.
    if (totalLen == 0)
        totalLen = wireEnd - at;
    if (totalLen < headerLen)
        return DecodeClass::Undecodable;
    // More-fragments set or a non-zero offset: a piece of a larger datagram (RFC 791 §3.2).
    if (be16(h + 6) & 0x3FFF)
        return DecodeClass::Fragment;
    if (h[9] != kProtoTcp)
        return DecodeClass::NonTcp;
    if (f.size() < at + headerLen) // options cut: the TCP header's position is unknown
        return DecodeClass::Undecodable;
    out.ipVersion = 4;
    out.src = IpAddress::fromV4(h + 12);
    out.dst = IpAddress::fromV4(h + 16);
    ip.ipStart = at;
    ip.tcpStart = at + headerLen;
    ip.datagramEnd = at + totalLen;
    return DecodeClass::Tcp;
}

// Fills addresses and walks the extension headers of an IPv6 packet (RFC 8200 §3, §4).
DecodeClass decodeIpv6(std::span<const std::uint8_t> f, std::size_t at, std::size_t wireEnd, Segment& out,
                       IpLayer& ip) {
    if (f.size() < at + 40)
        return DecodeClass::Undecodable;
    const std::uint8_t* h = f.data() + at;
    if ((h[0] >> 4) != 6)
        return DecodeClass::Undecodable;
    std::size_t totalLen = 40 + std::size_t{be16(h + 4)};
    // Payload length 0: a jumbogram (RFC 2675) or a frame captured before segmentation offload.
    if (totalLen == 40)
        totalLen = wireEnd - at;
    std::uint8_t next = h[6];
    std::size_t pos = at + 40;
    for (;;) {
        if (next == kProtoTcp)
            break;
        if (next == kV6HopByHop || next == kV6Routing || next == kV6DestOptions) {
            if (f.size() < pos + 2)
                return DecodeClass::Undecodable;
            const std::uint8_t following = f[pos];
            pos += (std::size_t{f[pos + 1]} + 1) * 8;
            next = following;
        } else if (next == kV6Fragment) {
            if (f.size() < pos + 8)
                return DecodeClass::Undecodable;
            // Offset (13 bits) and M flag (RFC 8200 §4.5). Offset 0 with M clear is an
            // "atomic fragment" (RFC 6946): a whole packet, decoded as such.
            const std::uint16_t offsetAndFlags = be16(f.data() + pos + 2);
            if ((offsetAndFlags & 0xFFF8) != 0 || (offsetAndFlags & 0x0001) != 0)
                return DecodeClass::Fragment;
            next = f[pos];
            pos += 8;
        } else {
            return DecodeClass::NonTcp; // UDP, ICMPv6, No Next Header (59), ESP, AH, unknown
        }
        if (pos > at + totalLen)
            return DecodeClass::Undecodable;
    }
    out.ipVersion = 6;
    out.src = IpAddress::fromV6(h + 8);
    out.dst = IpAddress::fromV6(h + 24);
    ip.ipStart = at;
    ip.tcpStart = pos;
    ip.datagramEnd = at + totalLen;
    return DecodeClass::Tcp;
}

// The last step of a TCP segment: its content hash.
// The IP and TCP headers stand for the whole datagram: two transmissions with the same headers
// carry the same sequence range and length, hence the same bytes (TCP sends a range's data
// again unchanged, and the checksum covers it), while the IPv4 ID, the timestamps option and
// the checksum tell real retransmissions apart. Hashing the payload too cost a third of the
// reading thread's decoding on a capture of ordinary 150-byte frames.
DecodeClass finishTcp(std::span<const std::uint8_t> f, const IpLayer& ip, std::size_t tcpHeaderLen, Segment& out) {
    const std::size_t hashEnd = std::min(ip.tcpStart + tcpHeaderLen, f.size());
    out.contentHash = hashBytes(f.data() + ip.ipStart, hashEnd - ip.ipStart);
    return DecodeClass::Tcp;
}

// TCP header (RFC 9293 §3.1) and the timestamps option (RFC 7323 §3).
DecodeClass decodeTcp(std::span<const std::uint8_t> f, const IpLayer& ip, std::size_t wireEnd, Segment& out) {
    if (f.size() < ip.tcpStart + 20)
        return DecodeClass::Undecodable;
    const std::uint8_t* t = f.data() + ip.tcpStart;
    const std::size_t headerLen = static_cast<std::size_t>(t[12] >> 4) * 4;
    if (headerLen < 20)
        return DecodeClass::Undecodable;
    // The datagram can claim more than the wire carried only if its header lies; trust the wire then.
    const std::size_t datagramEnd = std::min(ip.datagramEnd, wireEnd);
    if (datagramEnd < ip.tcpStart + headerLen)
        return DecodeClass::Undecodable;

    out.srcPort = be16(t);
    out.dstPort = be16(t + 2);
    out.seq = be32(t + 4);
    out.ack = be32(t + 8);
    out.flags = t[13];
    out.payloadLen = static_cast<std::uint32_t>(datagramEnd - ip.tcpStart - headerLen);

    const std::size_t capturedHeader = std::min(headerLen, f.size() - ip.tcpStart);
    out.optionsTruncated = capturedHeader < headerLen;
    out.hasTimestamp = false;
    out.tsVal = 0;
    // The options of nearly every segment after the handshake: NOP, NOP, Timestamps and nothing
    // else, the layout RFC 7323 Appendix A recommends and Linux always sends (tcp_options_write).
    // Read straight off; the walk below gives the same for it (and handles everything else).
    if (capturedHeader == 32 && t[20] == 1 && t[21] == 1 && t[22] == 8 && t[23] == 10) {
        out.tsVal = be32(t + 24);
        out.hasTimestamp = true;
        return finishTcp(f, ip, headerLen, out);
    }
    std::size_t i = 20;
    while (i < capturedHeader) {
        const std::uint8_t kind = t[i];
        if (kind == 0) // End of Option List
            break;
        if (kind == 1) { // No-Operation
            ++i;
            continue;
        }
        if (i + 1 >= capturedHeader)
            break;
        const std::size_t len = t[i + 1];
        if (len < 2 || i + len > capturedHeader)
            break;
        if (kind == 8 && len == 10) {
            out.tsVal = be32(t + i + 2);
            out.hasTimestamp = true;
        }
        i += len;
    }

    return finishTcp(f, ip, headerLen, out);
}

inline std::uint64_t load64(const std::uint8_t* p) {
    std::uint64_t v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Runs step over data in kStep-byte steps; the last 1..kStep bytes are one more step over the
// final kStep bytes, overlapping the previous step, rather than a variable-length copy; data
// shorter than a step goes through zero-padded. (Inlined into each hash, whose lanes step is.)
template <std::size_t kStep, typename Step>
[[gnu::always_inline]] inline void inSteps(const std::uint8_t* data, std::size_t size, Step&& step) {
    if (size >= kStep) {
        const std::uint8_t* p = data;
        const std::uint8_t* const last = data + size - kStep;
        while (p < last) {
            step(p);
            p += kStep;
        }
        step(last);
    } else {
        std::uint8_t tail[kStep] = {};
        if (size > 0)
            std::memcpy(tail, data, size);
        step(tail);
    }
}

} // namespace

#if defined(__x86_64__) && defined(__GNUC__)
namespace {
// Three independent CRC32C lanes (SSE4.2): the crc32 instruction takes 8 bytes a cycle per
// lane with a 3-cycle latency, so three lanes keep it busy; about half the time of the multiply
// lanes below on the datagrams of a capture. Not a CRC of the data (the lanes are mixed at the
// end), just a hash: equal bytes give equal values, as contentHash needs.
struct CrcLanes {
    std::uint64_t a, b, c;
    // The target attribute on the step itself: clang does not carry a function's target
    // features into a lambda defined in it.
    __attribute__((target("sse4.2"))) void operator()(const std::uint8_t* q) {
        a = __builtin_ia32_crc32di(a, load64(q));
        b = __builtin_ia32_crc32di(b, load64(q + 8));
        c = __builtin_ia32_crc32di(c, load64(q + 16));
    }
};
__attribute__((target("sse4.2"))) std::uint32_t hashBytesCrc(const std::uint8_t* data, std::size_t size) {
    CrcLanes lanes{0x9E3779B97F4A7C15ULL ^ size, 0xC2B2AE3D27D4EB4FULL, 0x165667B19E3779F9ULL + size};
    inSteps<24>(data, size, lanes);
    // Each lane holds 32 bits: two side by side, the third spread by a multiply.
    const std::uint64_t h = IpAddressHash::mix(((lanes.a << 32) | lanes.b) ^ (lanes.c * 0x9E3779B97F4A7C15ULL));
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}
const bool kHasCrc32 = __builtin_cpu_supports("sse4.2");
} // namespace
#endif

std::uint32_t hashBytes(const std::uint8_t* data, std::size_t size) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (kHasCrc32)
        return hashBytesCrc(data, size);
#endif
    // Four independent multiply lanes over 32-byte steps keep the multiplier busy (two lanes over
    // 16 bytes were ~7 % of an analysis: the bytes of every datagram pass through here). A final
    // avalanche (MurmurHash3's fmix64) spreads the bits.
    // Speed matters more than strength here.
    constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL;
    constexpr std::uint64_t k2 = 0xC2B2AE3D27D4EB4FULL;
    std::uint64_t a = k1 ^ size;
    std::uint64_t b = k2;
    std::uint64_t c = k1 + size;
    std::uint64_t d = k2 ^ 0x165667B19E3779F9ULL;
    auto step = [&](const std::uint8_t* q) {
        a = (a ^ load64(q)) * k2;
        b = (b ^ load64(q + 8)) * k1;
        c = (c ^ load64(q + 16)) * k2;
        d = (d ^ load64(q + 24)) * k1;
        a ^= a >> 29;
        b ^= b >> 31;
        c ^= c >> 29;
        d ^= d >> 31;
    };
    inSteps<32>(data, size, step);
    const std::uint64_t h = IpAddressHash::mix(a ^ std::rotl(b, 16) ^ std::rotl(c, 32) ^ std::rotl(d, 48));
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

DecodeClass decodePacket(std::span<const std::uint8_t> captured, std::uint32_t wireLength, int linkType,
                         Segment& out) {
    const LinkFrame link = decodeLinkLayer(captured, linkType);
    switch (link.payload) {
    case LinkFrame::Payload::Ipv4:
    case LinkFrame::Payload::Ipv6:
        break;
    case LinkFrame::Payload::NotIp:
        return DecodeClass::NonTcp;
    case LinkFrame::Payload::Truncated:
    case LinkFrame::Payload::Unsupported:
        return DecodeClass::Undecodable;
    }
    // The frame's real end: its wire length, unless the file is inconsistent (caplen > len).
    const std::size_t wireEnd = std::max<std::size_t>(wireLength, captured.size());
    if (link.offset >= wireEnd)
        return DecodeClass::Undecodable;
    IpLayer ip;
    const DecodeClass cls = link.payload == LinkFrame::Payload::Ipv4 ? decodeIpv4(captured, link.offset, wireEnd, out, ip)
                                                                     : decodeIpv6(captured, link.offset, wireEnd, out, ip);
    if (cls != DecodeClass::Tcp)
        return cls;
    out.vlanStack = link.vlanStack;
    return decodeTcp(captured, ip, wireEnd, out);
}

} // namespace twlens
