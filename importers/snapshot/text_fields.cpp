// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/text_fields.h"

#include <limits>

namespace twlens::text {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (isBlank(s.front()) || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (isBlank(s.back()) || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

Fields::Fields(std::string_view line) : line_(line) {
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (n_ < kMax) {
        while (i < n && isBlank(line[i]))
            ++i;
        if (i >= n)
            break;
        const std::size_t start = i;
        while (i < n && !isBlank(line[i]))
            ++i;
        f_[n_++] = line.substr(start, i - start);
    }
}

std::string_view Fields::rest(std::size_t i) const {
    if (i >= n_)
        return {};
    const std::size_t start = static_cast<std::size_t>(f_[i].data() - line_.data());
    return line_.substr(start);
}

std::optional<std::uint64_t> parseUnsigned(std::string_view s) {
    if (s.empty() || s.size() > 20)
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        if (!isDigit(c))
            return std::nullopt;
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10)
            return std::nullopt;
        v = v * 10 + d;
    }
    return v;
}

std::optional<std::int64_t> parseSigned(std::string_view s) {
    bool neg = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        neg = s.front() == '-';
        s.remove_prefix(1);
    }
    const auto u = parseUnsigned(s);
    if (!u || *u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return std::nullopt;
    const auto v = static_cast<std::int64_t>(*u);
    return neg ? -v : v;
}

std::optional<std::uint64_t> parseHex(std::string_view s) {
    if (s.empty() || s.size() > 16)
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        unsigned d;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A' + 10);
        else
            return std::nullopt;
        v = (v << 4) | d;
    }
    return v;
}

std::optional<std::int64_t> parseSsDurationMs(std::string_view s) {
    if (s.empty())
        return 0; // ss prints nothing for a zero timer: timer:(timewait,,0)
    std::int64_t total = 0;
    std::size_t i = 0;
    bool any = false;
    while (i < s.size()) {
        std::size_t j = i;
        std::int64_t whole = 0;
        while (j < s.size() && isDigit(s[j]) && j - i < 12)
            whole = whole * 10 + (s[j++] - '0');
        if (j == i)
            return std::nullopt;
        std::int64_t fracMs = -1;
        if (j < s.size() && s[j] == '.') {
            // "5.200" followed by "ms" or "sec": seconds with three digits of milliseconds.
            std::size_t k = ++j;
            std::int64_t frac = 0;
            while (j < s.size() && isDigit(s[j]) && j - k < 3)
                frac = frac * 10 + (s[j++] - '0');
            if (j - k != 3)
                return std::nullopt;
            fracMs = frac;
        }
        const std::string_view unit = s.substr(j);
        std::size_t unitLen;
        if (unit.starts_with("min")) {
            unitLen = 3;
            if (fracMs >= 0)
                return std::nullopt;
            total += whole * 60'000;
        } else if (unit.starts_with("sec")) {
            unitLen = 3;
            total += whole * 1000 + (fracMs >= 0 ? fracMs : 0);
        } else if (unit.starts_with("ms")) {
            unitLen = 2;
            total += fracMs >= 0 ? whole * 1000 + fracMs : whole;
        } else {
            return std::nullopt;
        }
        i = j + unitLen;
        any = true;
        if (total > 1'000'000'000'000'000LL) // no timer runs for 30,000 years: a damaged field
            return std::nullopt;
    }
    if (!any)
        return std::nullopt;
    return total;
}

std::optional<std::int64_t> parseSecondsMs(std::string_view s) {
    const std::size_t dot = s.find('.');
    const auto whole = parseUnsigned(s.substr(0, dot));
    if (!whole || *whole > 1'000'000'000'000ULL)
        return std::nullopt;
    std::int64_t ms = static_cast<std::int64_t>(*whole) * 1000;
    if (dot != std::string_view::npos) {
        const std::string_view frac = s.substr(dot + 1);
        if (frac.empty() || frac.size() > 9 || !parseUnsigned(frac))
            return std::nullopt;
        std::int64_t scale = 100;
        for (std::size_t k = 0; k < frac.size() && k < 3; ++k, scale /= 10)
            ms += (frac[k] - '0') * scale;
    }
    return ms;
}

std::uint8_t timerKindFromName(std::string_view name) {
    if (name == "on")
        return 1;
    if (name == "keepalive")
        return 2;
    if (name == "timewait")
        return 3;
    if (name == "persist" || name == "probe") // netstat calls the zero-window probe timer "probe"
        return 4;
    if (name == "delack")
        return 5;
    return 0; // "off" and anything unknown
}

std::optional<Endpoint> parseEndpoint(std::string_view s) {
    const std::size_t colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return std::nullopt;
    std::string_view addr = s.substr(0, colon);
    const std::string_view port = s.substr(colon + 1);
    Endpoint e;
    if (port != "*") {
        const auto p = parseUnsigned(port);
        if (!p || *p > 65535)
            return std::nullopt;
        e.port = static_cast<std::uint16_t>(*p);
    }
    if (addr == "*")
        return e; // :: (all zero bytes), the unspecified address
    // A zone index ends at the closing bracket or the end: "[fe80::1%eth0]", "[fe80::1]%eth0",
    // "127.0.0.53%lo". IpAddress::parse wants it gone.
    char buf[64];
    std::size_t n = 0;
    bool inZone = false;
    for (char c : addr) {
        if (c == '%')
            inZone = true;
        else if (c == ']')
            inZone = false;
        if (inZone)
            continue;
        if (n == sizeof buf)
            return std::nullopt;
        buf[n++] = c;
    }
    const auto ip = IpAddress::parse(std::string_view(buf, n));
    if (!ip)
        return std::nullopt;
    e.ip = *ip;
    return e;
}

} // namespace twlens::text
