// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/capture/link_layer.h"

#include <algorithm>
#include <array>

namespace twlens {

namespace {

constexpr std::array<int, 10> kSupported{dlt::En10Mb, dlt::LinuxSll, dlt::LinuxSll2, dlt::RawBsd, dlt::RawOpenBsd,
                                         dlt::Raw,    dlt::Ipv4,     dlt::Ipv6,      dlt::Null,   dlt::Loop};

constexpr std::uint16_t kEtherIpv4 = 0x0800;
constexpr std::uint16_t kEtherIpv6 = 0x86DD;
// VLAN tag protocol identifiers: 802.1Q, 802.1ad (QinQ service tag), and the pre-standard 0x9100
// that older switches use for the outer tag.
constexpr std::uint16_t kEther8021Q = 0x8100;
constexpr std::uint16_t kEther8021ad = 0x88A8;
constexpr std::uint16_t kEtherQinQ = 0x9100;
constexpr int kMaxKeptTags = 4; // Segment::vlanStack holds 4 x 16 bits
// PPPoE session stage (RFC 2516 §4: 6-byte PPPoE header, then the 2-byte PPP protocol) and MPLS
// unicast (RFC 3032 label stack) both appear between Ethernet and IP on real access links.
constexpr std::uint16_t kEtherPppoeSession = 0x8864;
constexpr std::uint16_t kEtherMpls = 0x8847;
constexpr std::uint16_t kPppIpv4 = 0x0021;
constexpr std::uint16_t kPppIpv6 = 0x0057;

inline std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }
inline std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
inline std::uint32_t le32(const std::uint8_t* p) {
    return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

LinkFrame fromIpVersionNibble(std::span<const std::uint8_t> frame, std::uint32_t offset);

LinkFrame fromEtherType(std::span<const std::uint8_t> frame, std::uint16_t etherType, std::uint32_t offset,
                        LinkFrame f) {
    f.offset = offset;
    switch (etherType) {
    case kEtherIpv4:
        f.payload = LinkFrame::Payload::Ipv4;
        return f;
    case kEtherIpv6:
        f.payload = LinkFrame::Payload::Ipv6;
        return f;
    case kEtherPppoeSession: {
        if (frame.size() < offset + 8u) {
            f.payload = LinkFrame::Payload::Truncated;
            return f;
        }
        const std::uint16_t ppp = be16(frame.data() + offset + 6);
        f.offset = offset + 8;
        f.payload = ppp == kPppIpv4 ? LinkFrame::Payload::Ipv4
                  : ppp == kPppIpv6 ? LinkFrame::Payload::Ipv6
                                    : LinkFrame::Payload::NotIp;
        return f;
    }
    case kEtherMpls: {
        // Labels of 4 bytes until the bottom-of-stack bit; MPLS does not say what it carries,
        // so the IP version nibble decides (as Wireshark's heuristic does).
        std::uint32_t at = offset;
        for (;;) {
            if (frame.size() < at + 4u) {
                f.payload = LinkFrame::Payload::Truncated;
                return f;
            }
            const bool bottom = (frame[at + 2] & 0x01) != 0;
            at += 4;
            if (bottom)
                break;
        }
        LinkFrame inner = fromIpVersionNibble(frame, at);
        inner.vlanStack = f.vlanStack;
        inner.vlanTags = f.vlanTags;
        return inner;
    }
    default:
        f.payload = LinkFrame::Payload::NotIp;
        return f;
    }
}

// Walks any stack of VLAN tags starting with the EtherType at `typeAt`, then classifies the
// payload. Each tag is TPID(2) TCI(2); the VLAN ID is the low 12 bits of the TCI (IEEE 802.1Q §9.6).
LinkFrame walkVlanTags(std::span<const std::uint8_t> frame, std::uint32_t typeAt) {
    LinkFrame f;
    for (;;) {
        if (frame.size() < typeAt + 2u) {
            f.payload = LinkFrame::Payload::Truncated;
            return f;
        }
        const std::uint16_t type = be16(frame.data() + typeAt);
        if (type != kEther8021Q && type != kEther8021ad && type != kEtherQinQ)
            return fromEtherType(frame, type, typeAt + 2, f);
        if (frame.size() < typeAt + 4u) {
            f.payload = LinkFrame::Payload::Truncated;
            return f;
        }
        const std::uint16_t vid = be16(frame.data() + typeAt + 2) & 0x0FFF;
        // Outermost tag in the lowest 16 bits; | 0x1000 so that VLAN ID 0 (priority tag) still
        // differs from "no tag". Tags beyond the fourth are walked but not kept in the key.
        if (f.vlanTags < kMaxKeptTags)
            f.vlanStack |= std::uint64_t{static_cast<std::uint16_t>(vid | 0x1000)} << (16 * f.vlanTags);
        if (f.vlanTags < 255)
            ++f.vlanTags;
        typeAt += 4;
    }
}

LinkFrame fromIpVersionNibble(std::span<const std::uint8_t> frame, std::uint32_t offset) {
    LinkFrame f;
    f.offset = offset;
    if (frame.size() <= offset) {
        f.payload = LinkFrame::Payload::Truncated;
        return f;
    }
    const unsigned version = frame[offset] >> 4;
    f.payload = version == 4 ? LinkFrame::Payload::Ipv4
              : version == 6 ? LinkFrame::Payload::Ipv6
                             : LinkFrame::Payload::NotIp;
    return f;
}

// BSD loopback address families. AF_INET is 2 everywhere; AF_INET6 differs between systems:
// 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly), 30 (macOS, iOS). The NULL header is in
// the capturing host's byte order, which the file does not record, so both orders are accepted.
LinkFrame fromAddressFamily(std::span<const std::uint8_t> frame) {
    LinkFrame f;
    if (frame.size() < 4) {
        f.payload = LinkFrame::Payload::Truncated;
        return f;
    }
    f.offset = 4;
    auto classify = [](std::uint32_t af) -> int {
        if (af == 2)
            return 4;
        if (af == 24 || af == 28 || af == 30)
            return 6;
        return 0;
    };
    int v = classify(le32(frame.data()));
    if (v == 0)
        v = classify(be32(frame.data()));
    f.payload = v == 4 ? LinkFrame::Payload::Ipv4 : v == 6 ? LinkFrame::Payload::Ipv6 : LinkFrame::Payload::NotIp;
    return f;
}

} // namespace

std::span<const int> supportedLinkTypes() { return kSupported; }

bool isSupportedLinkType(int linkType) {
    return std::find(kSupported.begin(), kSupported.end(), linkType) != kSupported.end();
}

LinkFrame decodeLinkLayer(std::span<const std::uint8_t> frame, int linkType) {
    switch (linkType) {
    case dlt::En10Mb: {
        if (frame.size() < 14) {
            LinkFrame f;
            f.payload = LinkFrame::Payload::Truncated;
            return f;
        }
        const std::uint16_t type = be16(frame.data() + 12);
        // Values below 0x0600 are an 802.3 length, followed by LLC: not IP for our purposes.
        if (type < 0x0600) {
            LinkFrame f;
            f.payload = LinkFrame::Payload::NotIp;
            f.offset = 14;
            return f;
        }
        // Untagged IP, most frames: what walkVlanTags would answer, without its calls.
        if (type == kEtherIpv4 || type == kEtherIpv6) {
            LinkFrame f;
            f.payload = type == kEtherIpv4 ? LinkFrame::Payload::Ipv4 : LinkFrame::Payload::Ipv6;
            f.offset = 14;
            return f;
        }
        return walkVlanTags(frame, 12);
    }
    case dlt::LinuxSll:
        // packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2); the protocol is an EtherType
        // for the link types that matter here. The kernel has usually stripped VLAN tags into
        // auxdata, but a tag left in the payload is walked like Ethernet's.
        if (frame.size() < 16) {
            LinkFrame f;
            f.payload = LinkFrame::Payload::Truncated;
            return f;
        }
        return walkVlanTags(frame, 14);
    case dlt::LinuxSll2:
        // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8).
        if (frame.size() < 20) {
            LinkFrame f;
            f.payload = LinkFrame::Payload::Truncated;
            return f;
        }
        return fromEtherType(frame, be16(frame.data()), 20, LinkFrame{});
    case dlt::RawBsd:
    case dlt::RawOpenBsd:
    case dlt::Raw:
        return fromIpVersionNibble(frame, 0);
    case dlt::Ipv4: {
        LinkFrame f = fromIpVersionNibble(frame, 0);
        if (f.payload == LinkFrame::Payload::Ipv6)
            f.payload = LinkFrame::Payload::NotIp;
        return f;
    }
    case dlt::Ipv6: {
        LinkFrame f = fromIpVersionNibble(frame, 0);
        if (f.payload == LinkFrame::Payload::Ipv4)
            f.payload = LinkFrame::Payload::NotIp;
        return f;
    }
    case dlt::Null:
    case dlt::Loop:
        return fromAddressFamily(frame);
    default:
        return LinkFrame{};
    }
}

} // namespace twlens
