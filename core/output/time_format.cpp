// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/time_format.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace twlens {

SecondsText secondsText(TimeNs t) {
    SecondsText out;
    char* p = out.buf.data();
    char* const end = p + out.buf.size();
    // Work on the magnitude as unsigned so that negative times (before 1970, or negative
    // durations) print as "-0.5" rather than "0.-5", and INT64_MIN does not overflow.
    std::uint64_t mag = static_cast<std::uint64_t>(t);
    if (t < 0) {
        *p++ = '-';
        mag = ~mag + 1;
    }
    const std::uint64_t whole = mag / static_cast<std::uint64_t>(kNsPerSecond);
    std::uint64_t frac = mag % static_cast<std::uint64_t>(kNsPerSecond);
    p = std::to_chars(p, end, whole).ptr;
    *p++ = '.';
    // The fraction's trailing zeros are dropped by dividing them off (a multiply each), then the
    // rest is printed zero-padded to its width: ".5" for 500000000 ns, ".000532" for 532000 ns.
    int width = 9;
    if (frac == 0) {
        width = 1;
    } else {
        while (frac % 10 == 0) {
            frac /= 10;
            --width;
        }
    }
    char* const fracEnd = p + width;
    for (char* q = fracEnd; q != p;) {
        *--q = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    p = fracEnd;
    out.size = static_cast<std::uint8_t>(p - out.buf.data());
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
