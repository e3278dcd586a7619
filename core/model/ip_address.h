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
    bool operator==(const IpAddress&) const = default;
};

struct IpAddressHash {
    std::size_t operator()(const IpAddress& a) const noexcept {
        std::uint64_t lo, hi;
        std::memcpy(&lo, a.bytes.data(), 8);
        std::memcpy(&hi, a.bytes.data() + 8, 8);
        return static_cast<std::size_t>((lo * 0x9E3779B97F4A7C15ULL) ^ (hi + 0x632BE59BD9B4E019ULL + (lo >> 29)));
    }
};

} // namespace twlens
