// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/model/ip_address.h"

// Small, allocation-free helpers the snapshot parsers share: splitting a line into fields,
// numbers in decimal and hex, the ss and netstat timer texts, and "address:port" endpoints.
namespace twlens::text {

inline bool isBlank(char c) { return c == ' ' || c == '\t'; }
inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool startsUpper(std::string_view s) { return !s.empty() && s.front() >= 'A' && s.front() <= 'Z'; }
inline bool startsLower(std::string_view s) { return !s.empty() && s.front() >= 'a' && s.front() <= 'z'; }

std::string_view trim(std::string_view s);

// Whitespace-separated fields. Up to kMax are kept; `rest(i)` is the line from field i on, for
// the free-form tails (ss's Process and timer columns).
class Fields {
public:
    static constexpr std::size_t kMax = 32;
    explicit Fields(std::string_view line);
    std::size_t size() const { return n_; }
    bool empty() const { return n_ == 0; }
    std::string_view operator[](std::size_t i) const { return i < n_ ? f_[i] : std::string_view{}; }
    std::string_view rest(std::size_t i) const;

private:
    std::string_view line_;
    std::array<std::string_view, kMax> f_{};
    std::size_t n_ = 0;
};

std::optional<std::uint64_t> parseUnsigned(std::string_view s);  // decimal, all of s
std::optional<std::int64_t> parseSigned(std::string_view s);
std::optional<std::uint64_t> parseHex(std::string_view s);        // hex digits, all of s (max 16)

// ss -o timer value in milliseconds. iproute2 ss.c print_ms_timer() writes minutes, seconds and
// milliseconds as "1min5sec", "12min", "52sec", "800ms" and, for seconds with milliseconds,
// "5.200ms" (older releases) or "5.200sec"; both mean 5.2 s. An empty text means zero.
std::optional<std::int64_t> parseSsDurationMs(std::string_view s);

// "12.34" seconds (netstat -o) -> milliseconds.
std::optional<std::int64_t> parseSecondsMs(std::string_view s);

// Timer names shared by ss ("on", "keepalive", "timewait", "persist", "delack") and netstat
// ("on", "keepalive", "timewait", "off"): SocketRow::timerKind codes, 0 for none/unknown.
std::uint8_t timerKindFromName(std::string_view name);

// "ip:port" as ss and netstat print it: brackets around IPv6 in ss ("[::ffff:192.0.2.10]:443"),
// bare IPv6 in netstat (":::22"), a zone after '%' ("127.0.0.53%lo:53", "[fe80::1%eth0]:22"),
// and '*' for a wildcard address or port (address :: and port 0).
struct Endpoint {
    IpAddress ip;
    std::uint16_t port = 0;
};
std::optional<Endpoint> parseEndpoint(std::string_view s);

} // namespace twlens::text
