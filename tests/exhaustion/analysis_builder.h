// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <optional>
#include <string>

#include "core/model/analysis.h"

namespace twlens::test {

// Times in these tests: seconds after kT0 (2023-11-14 22:13:20 UTC).
inline constexpr TimeNs kT0 = 1'700'000'000LL * kNsPerSecond;
inline TimeNs at(double seconds) { return kT0 + fromSeconds(seconds); }

IpAddress ip(const char* text);

// One connection of a hand-built Analysis: the client's SYN at `start`, its last segment at
// `end`, and how the client side ended.
struct ConnectionSpec {
    const char* client = "10.0.0.1";
    std::uint16_t clientPort = 41000;
    const char* server = "10.0.0.2";
    std::uint16_t serverPort = 80;
    double start = 0.0;
    double end = 1.0;
    CloseKind closeKind = CloseKind::Fin;
    std::optional<double> clientTimeWait;   // window start; the window lasts twSeconds
    std::optional<double> serverTimeWait;
    std::optional<double> clientClosed;     // a CLOSED state of the client side at this time
    bool timestamps = true;
    bool synSeen = true;
    double twSeconds = 60.0;
    std::uint16_t input = 0;                // the capture it came from
};

// Appends the connection (addresses interned, segments and states contiguous) and returns it.
Connection& addConnection(Analysis& a, const ConnectionSpec& spec);

// A capture input covering [first, last] seconds.
void addCaptureInput(Analysis& a, double first, double last, const std::string& path = "capture.pcap");

// A socket row: "10.0.0.1:41000" style endpoints ("*:0" for a wildcard remote).
SocketRow row(TcpState state, const char* local, std::uint16_t localPort, const char* remote, std::uint16_t remotePort,
              std::uint32_t line = 0);

// A listing snapshot at `seconds` from input `input`, TIME_WAIT visible.
SocketSnapshot listing(double seconds, std::uint32_t input, std::vector<SocketRow> rows);

// A sysctl line from input `input` at `line`, recorded in a.sysctl.
void addSysctl(Analysis& a, const std::string& key, const std::string& value, std::uint32_t input, std::uint32_t line);

} // namespace twlens::test
