// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>

#include "core/model/analysis.h"
#include "core/presentation/figure_window.h"

namespace twlens {

// The small print under a figure, so it stands alone when pasted into an incident report.

// "TIME_WAIT 60 s (default) · ports 32768-60999 (default) · tcp_tw_reuse 2 (default) ·
// tcp_rfc1337 0 (default)": the settings the verdicts depend on, each with its source (a sysctl
// input as "file:line", without the directory).
std::string settingsCaption(const Settings& s);

// "sample.pcap (pcap, 174 packets) + sample-sysctl.txt (sysctl)": the inputs by file name; past
// four, the first three and how many more.
std::string inputsCaption(const Analysis& a);

// "+0.000 s to +63.179 s after the first packet (2026-11-22 04:36:58.901531 UTC)" (the first
// snapshot when there is no capture).
std::string windowCaption(const Analysis& a, const FigureWindow& w);

// "+12.5 s": a time as seconds relative to the analysis' first packet (figureOrigin), the way
// `twlens-cli render --from/--to` take it.
std::string relativeSecondsText(const Analysis& a, TimeNs t);

} // namespace twlens
