// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/time_line.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "importers/snapshot/text_fields.h"

namespace twlens {

namespace {

using text::isDigit;

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int monthIndex(std::string_view s) {
    for (std::size_t i = 0; i < kMonths.size(); ++i)
        if (s == kMonths[i])
            return static_cast<int>(i) + 1;
    return 0;
}

bool isWeekday(std::string_view s) {
    if (!s.empty() && s.back() == ',')
        s.remove_suffix(1);
    for (auto w : kWeekdays)
        if (s == w)
            return true;
    return false;
}

bool allDigits(std::string_view s) {
    if (s.empty())
        return false;
    for (char c : s)
        if (!isDigit(c))
            return false;
    return true;
}

TimeNs civilToNs(int y, int mo, int d, int h, int mi, int s, std::int64_t nanos, int offsetMinutes) {
    using namespace std::chrono;
    if (y < 1970 || y > 2250) // nanoseconds since 1970 in an int64 end in 2262
        return kNoTime;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return kNoTime;
    const auto days = sys_days{ymd}.time_since_epoch().count();
    const std::int64_t secs = std::int64_t{days} * 86400 + h * 3600 + mi * 60 + s - offsetMinutes * 60;
    return secs * kNsPerSecond + nanos;
}

// "hh:mm:ss" with an optional ".fraction"; false when malformed.
bool parseClock(std::string_view t, int& h, int& mi, int& s, std::int64_t& nanos) {
    if (t.size() < 8 || t[2] != ':' || t[5] != ':')
        return false;
    if (!allDigits(t.substr(0, 2)) || !allDigits(t.substr(3, 2)) || !allDigits(t.substr(6, 2)))
        return false;
    h = (t[0] - '0') * 10 + (t[1] - '0');
    mi = (t[3] - '0') * 10 + (t[4] - '0');
    s = (t[6] - '0') * 10 + (t[7] - '0');
    nanos = 0;
    if (t.size() > 8) {
        if (t[8] != '.' && t[8] != ',')
            return false;
        const std::string_view frac = t.substr(9);
        if (frac.empty() || frac.size() > 9 || !allDigits(frac))
            return false;
        std::int64_t scale = 100'000'000;
        for (char c : frac) {
            nanos += (c - '0') * scale;
            scale /= 10;
        }
    }
    return h < 24 && mi < 60 && s <= 60;
}

// "+0000", "-0130", "+00:00", "Z"; minutes east of UTC.
bool parseNumericZone(std::string_view z, int& minutes) {
    if (z == "Z" || z == "z") {
        minutes = 0;
        return true;
    }
    if (z.size() < 3 || (z[0] != '+' && z[0] != '-'))
        return false;
    std::string_view digits = z.substr(1);
    std::string plain;
    for (char c : digits)
        if (c != ':')
            plain.push_back(c);
    if ((plain.size() != 4 && plain.size() != 2) || !allDigits(plain))
        return false;
    const int hh = (plain[0] - '0') * 10 + (plain[1] - '0');
    const int mm = plain.size() == 4 ? (plain[2] - '0') * 10 + (plain[3] - '0') : 0;
    minutes = (hh * 60 + mm) * (z[0] == '-' ? -1 : 1);
    return hh < 24 && mm < 60;
}

TimeLine epochLine(std::string_view s) {
    const std::size_t dot = s.find('.');
    const std::string_view whole = s.substr(0, dot);
    if (whole.size() < 9 || whole.size() > 10 || !allDigits(whole))
        return {};
    std::int64_t nanos = 0;
    if (dot != std::string_view::npos) {
        const std::string_view frac = s.substr(dot + 1);
        if (frac.empty() || frac.size() > 9 || !allDigits(frac))
            return {};
        std::int64_t scale = 100'000'000;
        for (char c : frac) {
            nanos += (c - '0') * scale;
            scale /= 10;
        }
    }
    const auto secs = text::parseUnsigned(whole);
    // 2001-09-09 (the first 10-digit epoch) onwards: a 9-digit count this old is not a snapshot
    // time. Up to 2255, where nanoseconds still fit TimeNs (int64).
    if (!secs || *secs < 1'000'000'000ULL || *secs >= 9'000'000'000ULL)
        return {};
    return {TimeLine::Kind::Time, static_cast<TimeNs>(*secs) * kNsPerSecond + nanos, {}};
}

// ISO 8601 / RFC 3339: "2026-11-22T04:16:15+00:00" or, as two fields, "2026-11-22 04:16:15.1+00:00".
TimeLine isoLine(std::string_view s) {
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
        return {};
    if (!allDigits(s.substr(0, 4)) || !allDigits(s.substr(5, 2)) || !allDigits(s.substr(8, 2)))
        return {};
    const int y = std::stoi(std::string(s.substr(0, 4)));
    const int mo = (s[5] - '0') * 10 + (s[6] - '0');
    const int d = (s[8] - '0') * 10 + (s[9] - '0');
    std::string_view rest = s.substr(11);
    std::size_t zoneAt = rest.find_first_of("+-Zz", 8);
    if (zoneAt == std::string_view::npos)
        return {};
    int h, mi, sec, offset;
    std::int64_t nanos;
    if (!parseClock(text::trim(rest.substr(0, zoneAt)), h, mi, sec, nanos) ||
        !parseNumericZone(text::trim(rest.substr(zoneAt)), offset))
        return {};
    const TimeNs t = civilToNs(y, mo, d, h, mi, sec, nanos, offset);
    if (t == kNoTime)
        return {};
    return {TimeLine::Kind::Time, t, {}};
}

// `date` output in the C, en_US and RFC 5322 shapes: each token must be one of weekday, month,
// day, year, clock, AM/PM or zone, and each of month, day, year and clock must appear once.
TimeLine dateLine(std::string_view s) {
    text::Fields f(s);
    if (f.size() < 5 || f.size() > 8)
        return {};
    int mo = 0, d = 0, y = 0, h = -1, mi = 0, sec = 0, offset = 0;
    std::int64_t nanos = 0;
    bool pm = false, am = false, zoneKnown = false;
    std::string_view zoneName;
    for (std::size_t i = 0; i < f.size(); ++i) {
        std::string_view t = f[i];
        if (i == 0 && isWeekday(t))
            continue;
        if (int m = monthIndex(t); m && !mo) {
            mo = m;
        } else if (allDigits(t) && t.size() <= 2 && !d) {
            d = std::stoi(std::string(t));
        } else if (allDigits(t) && t.size() == 4 && !y) {
            y = std::stoi(std::string(t));
        } else if (h < 0 && t.find(':') != std::string_view::npos && parseClock(t, h, mi, sec, nanos)) {
        } else if (t == "AM" || t == "PM") {
            (t == "PM" ? pm : am) = true;
        } else if (!zoneKnown && zoneName.empty() && (t == "UTC" || t == "GMT" || parseNumericZone(t, offset))) {
            zoneKnown = true;
        } else if (!zoneKnown && zoneName.empty() && t.size() >= 3 && t.size() <= 5 &&
                   std::all_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
            zoneName = t;
        } else {
            return {};
        }
    }
    if (!mo || !d || !y || h < 0)
        return {};
    if (!zoneKnown && zoneName.empty())
        return {}; // `date` always prints a zone; without one this is some other line
    if (pm && h < 12)
        h += 12;
    if (am && h == 12)
        h = 0;
    if (!zoneKnown)
        return {TimeLine::Kind::Unconvertible, kNoTime,
                "a date in time zone " + std::string(zoneName) +
                    " cannot be converted (only UTC, GMT or a numeric offset such as +0100); run `date -u` or `date +%s`"};
    const TimeNs t = civilToNs(y, mo, d, h, mi, sec, nanos, offset);
    if (t == kNoTime)
        return {};
    return {TimeLine::Kind::Time, t, {}};
}

} // namespace

TimeLine parseTimeLine(std::string_view line) {
    std::string_view s = text::trim(line);
    if (s.starts_with('#')) {
        s.remove_prefix(1);
        s = text::trim(s);
    }
    if (s.empty())
        return {};
    if (isDigit(s[0])) {
        if (auto e = epochLine(s); e.kind != TimeLine::Kind::NotTime)
            return e;
        if (auto i = isoLine(s); i.kind != TimeLine::Kind::NotTime)
            return i;
    }
    // Cheap rejection first: this runs on every line of a snapshot (a time line may start a new
    // section), and a date line starts with a digit, a weekday or a month name.
    if (isDigit(s[0]) || (s.size() >= 3 && (isWeekday(s.substr(0, 3)) || monthIndex(s.substr(0, 3)))))
        return dateLine(s);
    return {};
}

} // namespace twlens
