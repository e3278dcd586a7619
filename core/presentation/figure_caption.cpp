// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/figure_caption.h"

#include <cmath>
#include <cstdio>

#include "core/output/time_format.h"

namespace twlens {

namespace {

std::string baseName(const std::string& path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string withSource(const std::string& value, const std::string& source) { return value + " (" + baseName(source) + ")"; }

std::string secondsFixed(double s, int decimals) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%+.*f s", decimals, s);
    return buf;
}

} // namespace

std::string settingsCaption(const Settings& s) {
    char tw[32];
    std::snprintf(tw, sizeof tw, "%g", s.twSeconds.value);
    return "TIME_WAIT " + withSource(std::string(tw) + " s", s.twSeconds.source) + " · ports " +
           withSource(std::to_string(s.portLow.value) + "-" + std::to_string(s.portHigh.value), s.portLow.source) +
           " · tcp_tw_reuse " + withSource(std::to_string(s.twReuse.value), s.twReuse.source) + " · tcp_rfc1337 " +
           withSource(std::to_string(s.rfc1337.value), s.rfc1337.source);
}

std::string inputsCaption(const Analysis& a) {
    constexpr std::size_t kShown = 4;
    std::string text;
    const std::size_t shown = a.inputs.size() > kShown ? kShown - 1 : a.inputs.size();
    for (std::size_t i = 0; i < shown; ++i) {
        const InputInfo& in = a.inputs[i];
        if (!text.empty())
            text += " + ";
        text += baseName(in.path) + " (" + std::string(inputKindName(in.kind));
        if (in.kind == InputKind::Pcap || in.kind == InputKind::Pcapng)
            text += ", " + std::to_string(in.packets) + (in.packets == 1 ? " packet" : " packets");
        text += ")";
    }
    if (shown < a.inputs.size())
        text += " + " + std::to_string(a.inputs.size() - shown) + " more";
    return text;
}

std::string relativeSecondsText(const Analysis& a, TimeNs t) {
    const double s = toSeconds(t - figureOrigin(a));
    return secondsFixed(s, std::abs(s) >= 100 ? 1 : 3);
}

std::string windowCaption(const Analysis& a, const FigureWindow& w) {
    return relativeSecondsText(a, w.from) + " to " + relativeSecondsText(a, w.to) +
           (hasCaptureTimes(a) ? " after the first packet (" : " after the first snapshot (") +
           utcText(figureOrigin(a)) + ")";
}

} // namespace twlens
