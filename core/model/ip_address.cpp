// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/ip_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace twlens {

namespace {
constexpr std::array<std::uint8_t, 12> kV4MappedPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}

IpAddress IpAddress::fromV4(const std::uint8_t* networkOrder4) {
    IpAddress a;
    std::memcpy(a.bytes.data(), kV4MappedPrefix.data(), 12);
    std::memcpy(a.bytes.data() + 12, networkOrder4, 4);
    return a;
}

IpAddress IpAddress::fromV4(std::uint32_t hostOrder) {
    const std::uint8_t b[4] = {static_cast<std::uint8_t>(hostOrder >> 24), static_cast<std::uint8_t>(hostOrder >> 16),
                               static_cast<std::uint8_t>(hostOrder >> 8), static_cast<std::uint8_t>(hostOrder)};
    return fromV4(b);
}

IpAddress IpAddress::fromV6(const std::uint8_t* networkOrder16) {
    IpAddress a;
    std::memcpy(a.bytes.data(), networkOrder16, 16);
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    if (const auto pct = text.find('%'); pct != std::string_view::npos) // zone index: fe80::1%eth0
        text = text.substr(0, pct);
    if (text.empty() || text.size() > INET6_ADDRSTRLEN)
        return std::nullopt;
    char buf[INET6_ADDRSTRLEN + 1];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    std::uint8_t raw[16];
    if (inet_pton(AF_INET, buf, raw) == 1)
        return fromV4(raw);
    if (inet_pton(AF_INET6, buf, raw) == 1)
        return fromV6(raw);
    return std::nullopt;
}

bool IpAddress::isV4() const { return std::memcmp(bytes.data(), kV4MappedPrefix.data(), 12) == 0; }

bool IpAddress::isLoopback() const {
    if (isV4())
        return bytes[12] == 127; // 127.0.0.0/8
    static constexpr std::array<std::uint8_t, 16> kV6Loopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    return bytes == kV6Loopback;
}

bool IpAddress::isUnspecified() const {
    if (isV4())
        return v4HostOrder() == 0;
    return bytes == std::array<std::uint8_t, 16>{};
}

std::uint32_t IpAddress::v4HostOrder() const {
    return (std::uint32_t{bytes[12]} << 24) | (std::uint32_t{bytes[13]} << 16) | (std::uint32_t{bytes[14]} << 8) |
           std::uint32_t{bytes[15]};
}

std::string IpAddress::toString() const {
    char buf[INET6_ADDRSTRLEN];
    if (isV4()) {
        // Dotted quad through to_chars: glibc's inet_ntop formats IPv4 with sprintf (~1,800
        // instructions an address), and hazard texts print an address per endpoint they name.
        char* p = buf;
        for (int i = 12; i < 16; ++i) {
            if (i > 12)
                *p++ = '.';
            p = std::to_chars(p, buf + sizeof buf, bytes[static_cast<std::size_t>(i)]).ptr;
        }
        return std::string(buf, p);
    }
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf); // "::" and RFC 5952's rules: the library's
    return buf;
}

} // namespace twlens
