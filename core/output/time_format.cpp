// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/time_format.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace twlens {

namespace {
// "00" to "99": seconds and their fraction are written two digits at a time.
constexpr std::array<char, 200> kDigitPairs = [] {
    std::array<char, 200> pairs{};
    for (int i = 0; i < 100; ++i) {
        pairs[static_cast<std::size_t>(2 * i)] = static_cast<char>('0' + i / 10);
        pairs[static_cast<std::size_t>(2 * i + 1)] = static_cast<char>('0' + i % 10);
    }
    return pairs;
}();
void putPair(char* p, std::uint32_t v) { std::memcpy(p, kDigitPairs.data() + 2 * v, 2); }
} // namespace

char* writeSeconds(char* p, TimeNs t) {
    // Work on the magnitude as unsigned so that negative times (before 1970, or negative
    // durations) print as "-0.5" rather than "0.-5", and INT64_MIN does not overflow.
    std::uint64_t mag = static_cast<std::uint64_t>(t);
    if (t < 0) {
        *p++ = '-';
        mag = ~mag + 1;
    }
    std::uint64_t whole = mag / static_cast<std::uint64_t>(kNsPerSecond);
    auto frac = static_cast<std::uint32_t>(mag % static_cast<std::uint64_t>(kNsPerSecond));
    // At most ten digits (|t| <= 2^63 ns). Epoch times have exactly ten: the two high ones, then
    // eight in four pairs, with no loop and no count of digits to find first.
    if (whole >= 1'000'000'000) {
        const auto high = static_cast<std::uint32_t>(whole / 100'000'000);
        const auto low = static_cast<std::uint32_t>(whole % 100'000'000);
        putPair(p, high);
        putPair(p + 2, low / 1'000'000);
        putPair(p + 4, low / 10'000 % 100);
        putPair(p + 6, low / 100 % 100);
        putPair(p + 8, low % 100);
        p += 10;
    } else {
        std::array<char, 10> digits;
        char* q = digits.data() + digits.size();
        for (; whole >= 100; whole /= 100) {
            q -= 2;
            putPair(q, static_cast<std::uint32_t>(whole % 100));
        }
        if (whole >= 10) {
            q -= 2;
            putPair(q, static_cast<std::uint32_t>(whole));
        } else {
            *--q = static_cast<char>('0' + whole);
        }
        const auto wholeDigits = static_cast<std::size_t>(digits.data() + digits.size() - q);
        std::memcpy(p, q, wholeDigits);
        p += wholeDigits;
    }
    *p++ = '.';
    if (frac == 0) {
        *p++ = '0';
        return p;
    }
    // All nine digits (one, then four pairs), then the trailing zeros cut off: ".5" for
    // 500000000 ns, ".000532" for 532000 ns. The JSON and CSV writers call this for every
    // time of every connection; digit by digit it was a tenth of writing the JSON.
    *p = static_cast<char>('0' + frac / 100'000'000);
    frac %= 100'000'000;
    const std::uint32_t high = frac / 10'000, low = frac % 10'000;
    putPair(p + 1, high / 100);
    putPair(p + 3, high % 100);
    putPair(p + 5, low / 100);
    putPair(p + 7, low % 100);
    p += 9;
    while (p[-1] == '0') // stops at a non-zero digit: the fraction is not 0
        --p;
    return p;
}

SecondsText secondsText(TimeNs t) {
    SecondsText out;
    out.size = static_cast<std::uint8_t>(writeSeconds(out.buf.data(), t) - out.buf.data());
    return out;
}

std::string utcText(TimeNs t) {
    if (t == kNoTime)
        return "(unknown)";
    TimeNs secs = t / kNsPerSecond;
    TimeNs ns = t % kNsPerSecond;
    if (ns < 0) {
        ns += kNsPerSecond;
        --secs;
    }
    const std::time_t tt = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    std::string out(buf, n);
    char frac[16];
    if (ns % kNsPerUs == 0)
        std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(ns / kNsPerUs));
    else
        std::snprintf(frac, sizeof frac, ".%09lld", static_cast<long long>(ns));
    out += frac;
    out += " UTC";
    return out;
}

std::string durationText(TimeNs d) {
    if (d == kNoTime)
        return "(unknown)";
    std::string s(secondsText(d).text());
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
        s.resize(s.size() - 2);
    return s + " s";
}

} // namespace twlens
