// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace twlens {

// An IPv4 or IPv6 address in 16 bytes. IPv4 is kept in its IPv4-mapped form (::ffff:a.b.c.d,
// RFC 4291 §2.5.5.2) so that a capture's 192.0.2.10 and ss's [::ffff:192.0.2.10] compare equal.
struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};

    static IpAddress fromV4(const std::uint8_t* networkOrder4);
    static IpAddress fromV4(std::uint32_t hostOrder);
    static IpAddress fromV6(const std::uint8_t* networkOrder16);
    // Accepts dotted IPv4, IPv6 text, and bracketed IPv6 ("[::1]"); nullopt otherwise.
    static std::optional<IpAddress> parse(std::string_view text);

    bool isV4() const;
    bool isLoopback() const;
    bool isUnspecified() const;
    std::uint32_t v4HostOrder() const; // only meaningful when isV4()
    std::string toString() const;      // "10.0.0.1" or "2001:db8::1"

    auto operator<=>(const IpAddress&) const = default;
    // As two 64-bit words: the defaulted one compared std::arrays through a memcmp call, on the
    // per-packet path (AddressInterner) and in every address-keyed table.
    bool operator==(const IpAddress& o) const {
        std::uint64_t a[2], b[2];
        std::memcpy(a, bytes.data(), 16);
        std::memcpy(b, o.bytes.data(), 16);
        return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
    }
};

struct IpAddressHash {
    // Both halves go through a 64-bit finaliser (MurmurHash3 fmix64): an IPv4-mapped address has
    // its first 8 bytes all zero, so a hash that does not mix would give every IPv4 address the
    // same low bits and one probe chain in a power-of-two table.
    static constexpr std::uint64_t mix(std::uint64_t k) {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdULL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53ULL;
        k ^= k >> 33;
        return k;
    }
    std::size_t operator()(const IpAddress& a) const noexcept {
        std::uint64_t lo, hi;
        std::memcpy(&lo, a.bytes.data(), 8);
        std::memcpy(&hi, a.bytes.data() + 8, 8);
        return static_cast<std::size_t>(mix(lo ^ mix(hi)));
    }
};

} // namespace twlens
