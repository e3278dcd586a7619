// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/model/ip_address.h"
#include <cstdint>
#include <cstring>

namespace twlens::recon {

// The identity of a TCP connection at the capture point: both endpoints (interned address
// indices and ports) plus the interned VLAN stack. Stored in canonical order (the lower
// (address index, port) endpoint first) so both directions of a connection find the same key.
// 16 bytes: two 64-bit words compare and hash cheaply on the per-packet path.
struct ConnKey {
    std::uint32_t addr[2] = {0, 0};
    std::uint16_t port[2] = {0, 0};
    std::uint32_t vlan = 0;

    bool operator==(const ConnKey& o) const { return std::memcmp(this, &o, sizeof(ConnKey)) == 0; }

    // Canonical key of a segment from (srcAddr, srcPort) to (dstAddr, dstPort); dir is 0 when the
    // source is endpoint 0 of the key, 1 otherwise.
    static ConnKey make(std::uint32_t srcAddr, std::uint16_t srcPort, std::uint32_t dstAddr, std::uint16_t dstPort,
                        std::uint32_t vlan, int& dir) {
        ConnKey k;
        k.vlan = vlan;
        if (srcAddr < dstAddr || (srcAddr == dstAddr && srcPort <= dstPort)) {
            k.addr[0] = srcAddr, k.addr[1] = dstAddr, k.port[0] = srcPort, k.port[1] = dstPort;
            dir = 0;
        } else {
            k.addr[0] = dstAddr, k.addr[1] = srcAddr, k.port[0] = dstPort, k.port[1] = srcPort;
            dir = 1;
        }
        return k;
    }

    // The key's two 64-bit words (its memory image on a little-endian host), built from the fields
    // rather than loaded from memory: loading 8 bytes just written as 4- and 2-byte stores
    // defeats store forwarding (a stall per packet in SegmentTracker::add).
    std::uint64_t hash() const {
        const std::uint64_t w0 = addr[0] | (std::uint64_t{addr[1]} << 32);
        const std::uint64_t w1 = port[0] | (std::uint64_t{port[1]} << 16) | (std::uint64_t{vlan} << 32);
        // The same murmur3 finaliser as IpAddressHash: spreads the port and index bits.
        return IpAddressHash::mix(w0 * 0x9E3779B97F4A7C15ULL ^ (w1 + 0xC2B2AE3D27D4EB4FULL));
    }
};
static_assert(sizeof(ConnKey) == 16);

} // namespace twlens::recon
