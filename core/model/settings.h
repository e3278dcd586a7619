// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>

#include "core/model/time.h"

namespace twlens {

// A setting's value and where it came from, so reports can say "tcp_rfc1337 = 0 (sysctl.txt:14)".
template <typename T>
struct Setting {
    T value{};
    std::string source = "default"; // "default", "command line", or "path:line" of a sysctl input
};

// The Linux knobs that change verdicts (facts §2-§5). Defaults are the Linux defaults.
struct Settings {
    Setting<double> twSeconds{60.0};          // TCP_TIMEWAIT_LEN, include/net/tcp.h: fixed 60 s
    Setting<std::uint16_t> portLow{32768};    // net.ipv4.ip_local_port_range
    Setting<std::uint16_t> portHigh{60999};
    Setting<int> twReuse{2};                  // net.ipv4.tcp_tw_reuse: 0 off, 1 all, 2 loopback only
    Setting<int> rfc1337{0};                  // net.ipv4.tcp_rfc1337: 0 = RST kills TIME_WAIT
    Setting<int> timestamps{1};               // net.ipv4.tcp_timestamps
    Setting<int> twReuseDelayMs{1000};        // net.ipv4.tcp_tw_reuse_delay (6.14+)
    Setting<int> finTimeout{60};              // net.ipv4.tcp_fin_timeout: orphaned FIN_WAIT_2 only
    Setting<long> maxTwBuckets{-1};           // net.ipv4.tcp_max_tw_buckets, -1 = unknown
    Setting<std::string> reservedPorts{""};   // net.ipv4.ip_local_reserved_ports

    TimeNs twLength() const { return fromSeconds(twSeconds.value); }
    std::uint32_t portCount() const {
        return portHigh.value >= portLow.value ? portHigh.value - portLow.value + 1u : 0u;
    }
};

// Values given on the command line or in the GUI's settings dialog. They win over sysctl inputs,
// which win over the defaults.
struct SettingsOverrides {
    bool hasTwSeconds = false;   double twSeconds = 60.0;
    bool hasPortRange = false;   std::uint16_t portLow = 32768, portHigh = 60999;
    bool hasTwReuse = false;     int twReuse = 2;
    bool hasRfc1337 = false;     int rfc1337 = 0;
};

} // namespace twlens
