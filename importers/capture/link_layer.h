// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <span>

namespace twlens {

// The link-layer types (libpcap DLT_ / LINKTYPE_ values) the capture importer decodes.
namespace dlt {
inline constexpr int Null = 0;        // BSD loopback: 4-byte address family in the capturing host's order
inline constexpr int En10Mb = 1;      // Ethernet II, 802.3
inline constexpr int RawBsd = 12;     // DLT_RAW on most platforms (libpcap maps it to LINKTYPE_RAW)
inline constexpr int RawOpenBsd = 14; // DLT_RAW on OpenBSD
inline constexpr int Raw = 101;       // LINKTYPE_RAW as stored in files
inline constexpr int Loop = 108;      // OpenBSD loopback: address family in network order
inline constexpr int LinuxSll = 113;  // Linux cooked capture v1 (16-byte header)
inline constexpr int Ipv4 = 228;      // LINKTYPE_IPV4
inline constexpr int Ipv6 = 229;      // LINKTYPE_IPV6
inline constexpr int LinuxSll2 = 276; // Linux cooked capture v2 (20-byte header)
} // namespace dlt

// Every DLT decodeLinkLayer() understands, in a fixed order (the fuzz target indexes it).
std::span<const int> supportedLinkTypes();
bool isSupportedLinkType(int linkType);

// What the link layer says the frame carries.
struct LinkFrame {
    enum class Payload : std::uint8_t {
        Ipv4,        // IPv4 datagram at `offset`
        Ipv6,        // IPv6 datagram at `offset`
        NotIp,       // ARP, LLC, LLDP, ...: counted as non-TCP
        Truncated,   // the captured bytes end inside the link header
        Unsupported, // a link type we do not decode
    };
    Payload payload = Payload::Unsupported;
    std::uint32_t offset = 0;      // where the network-layer header starts in the frame
    std::uint64_t vlanStack = 0;   // see Segment::vlanStack
    std::uint8_t vlanTags = 0;     // number of 802.1Q/802.1ad tags seen (may exceed the 4 kept)
};

// Decodes the link-layer header of one captured frame (the `caplen` captured bytes).
LinkFrame decodeLinkLayer(std::span<const std::uint8_t> frame, int linkType);

} // namespace twlens
