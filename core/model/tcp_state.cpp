// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/tcp_state.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace twlens {

namespace {
struct Names {
    std::string_view contract; // netstat spelling of the JSON contract
    std::string_view rfc;      // RFC 9293 spelling
};
constexpr std::array<Names, kTcpStateCount> kNames{{
    {"NONE", "(unknown)"},
    {"LISTEN", "LISTEN"},
    {"SYN_SENT", "SYN-SENT"},
    {"SYN_RECV", "SYN-RECEIVED"},
    {"ESTABLISHED", "ESTABLISHED"},
    {"FIN_WAIT_1", "FIN-WAIT-1"},
    {"FIN_WAIT_2", "FIN-WAIT-2"},
    {"CLOSE_WAIT", "CLOSE-WAIT"},
    {"CLOSING", "CLOSING"},
    {"LAST_ACK", "LAST-ACK"},
    {"TIME_WAIT", "TIME-WAIT"},
    {"CLOSED", "CLOSED"},
}};
} // namespace

std::string_view stateName(TcpState s) { return kNames[static_cast<std::size_t>(s)].contract; }
std::string_view stateRfcName(TcpState s) { return kNames[static_cast<std::size_t>(s)].rfc; }

std::optional<TcpState> parseStateName(std::string_view text) {
    // Fold case and treat '-' and '_' alike, then drop separators, so "FIN-WAIT-1", "FIN_WAIT1",
    // "fin_wait_1" and "FIN-WAIT1" all become "FINWAIT1".
    std::string key;
    key.reserve(text.size());
    for (char ch : text) {
        if (ch == '-' || ch == '_')
            continue;
        key.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
    }
    struct Alias {
        std::string_view key;
        TcpState state;
    };
    static constexpr std::array<Alias, 16> kAliases{{
        {"LISTEN", TcpState::Listen},       {"SYNSENT", TcpState::SynSent},
        {"SYNRECV", TcpState::SynRecv},     {"SYNRECEIVED", TcpState::SynRecv},
        {"ESTAB", TcpState::Established},   {"ESTABLISHED", TcpState::Established},
        {"FINWAIT1", TcpState::FinWait1},   {"FINWAIT2", TcpState::FinWait2},
        {"CLOSEWAIT", TcpState::CloseWait}, {"CLOSING", TcpState::Closing},
        {"LASTACK", TcpState::LastAck},     {"TIMEWAIT", TcpState::TimeWait},
        {"CLOSE", TcpState::Closed},        {"CLOSED", TcpState::Closed},
        {"UNCONN", TcpState::Closed},       {"NONE", TcpState::None},
    }};
    const auto it = std::find_if(kAliases.begin(), kAliases.end(), [&](const Alias& a) { return a.key == key; });
    if (it == kAliases.end())
        return std::nullopt;
    return it->state;
}

std::optional<TcpState> stateFromProcCode(unsigned code) {
    // include/net/tcp_states.h: TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11.
    static constexpr std::array<TcpState, 12> kByCode{
        TcpState::None,      TcpState::Established, TcpState::SynSent, TcpState::SynRecv,
        TcpState::FinWait1,  TcpState::FinWait2,    TcpState::TimeWait, TcpState::Closed,
        TcpState::CloseWait, TcpState::LastAck,     TcpState::Listen,  TcpState::Closing,
    };
    if (code == 0 || code >= kByCode.size())
        return std::nullopt;
    return kByCode[code];
}

} // namespace twlens
