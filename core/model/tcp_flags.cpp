// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/model/tcp_flags.h"

#include <array>
#include <string_view>

namespace twlens {

std::string flagsToString(std::uint8_t flags) {
    struct Bit {
        std::uint8_t bit;
        std::string_view name;
    };
    static constexpr std::array<Bit, 8> kOrder{{{tcpflag::SYN, "SYN"}, {tcpflag::FIN, "FIN"}, {tcpflag::RST, "RST"},
                                                {tcpflag::PSH, "PSH"}, {tcpflag::ACK, "ACK"}, {tcpflag::URG, "URG"},
                                                {tcpflag::ECE, "ECE"}, {tcpflag::CWR, "CWR"}}};
    std::string out;
    for (const auto& b : kOrder) {
        if (!(flags & b.bit))
            continue;
        if (!out.empty())
            out += ',';
        out += b.name;
    }
    return out.empty() ? std::string("none") : out;
}

} // namespace twlens
