// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <optional>
#include <string_view>

namespace twlens {

// RFC 9293 §3.3.2 connection states. None means "not known yet" (e.g. a side seen mid-stream
// before anything told us its state).
enum class TcpState : std::uint8_t {
    None,
    Listen,
    SynSent,
    SynRecv,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
    Closed,
};
inline constexpr int kTcpStateCount = 12;

// The netstat spelling used in the JSON contract: "FIN_WAIT_1", "TIME_WAIT", ...
std::string_view stateName(TcpState s);
// The RFC 9293 spelling used in teaching text: "FIN-WAIT-1", "TIME-WAIT", ...
std::string_view stateRfcName(TcpState s);
// Accepts every spelling the snapshot tools print (facts §7): ss ("ESTAB", "TIME-WAIT",
// "SYN-RECV"), netstat ("ESTABLISHED", "FIN_WAIT1", "TIME_WAIT"), our own JSON names, and
// /proc/net/tcp hex codes via stateFromProcCode. Case-insensitive.
std::optional<TcpState> parseStateName(std::string_view text);
// /proc/net/tcp "st" field: 01 ESTABLISHED ... 0B CLOSING (include/net/tcp_states.h).
std::optional<TcpState> stateFromProcCode(unsigned code);

} // namespace twlens
