// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/contract_names.h"

#include <array>

namespace twlens {

std::string_view closerName(Closer c) {
    static constexpr std::array<std::string_view, 4> kNames{"none", "client", "server", "both"};
    return kNames[static_cast<std::size_t>(c)];
}

std::string_view closeKindName(CloseKind k) {
    static constexpr std::array<std::string_view, 5> kNames{"open", "fin", "rst", "simultaneous", "half_closed"};
    return kNames[static_cast<std::size_t>(k)];
}

std::string_view timeWaitEndName(TimeWaitEnd e) {
    static constexpr std::array<std::string_view, 3> kNames{"expired", "reused", "rst"};
    return kNames[static_cast<std::size_t>(e)];
}

std::string_view sideName(Side s) { return s == Side::Client ? "client" : "server"; }

std::vector<std::string_view> connectionFlagNames(std::uint16_t flags) {
    struct Bit {
        Connection::Flag bit;
        std::string_view name;
    };
    static constexpr std::array<Bit, 8> kBits{{
        {Connection::SynSeen, "syn_seen"},
        {Connection::RolesInferred, "roles_inferred"},
        {Connection::LostFinalAck, "lost_final_ack"},
        {Connection::TimestampsSeen, "timestamps"},
        {Connection::OneSided, "one_sided"},
        {Connection::MidStream, "mid_stream"},
        {Connection::FinWait2Timeout, "fin_wait_2_timeout"},
        {Connection::HalfClose, "half_close"},
    }};
    std::vector<std::string_view> out;
    for (const Bit& b : kBits)
        if (flags & b.bit)
            out.push_back(b.name);
    return out;
}

std::vector<std::uint16_t> vlanIds(std::uint64_t vlanStack) {
    std::vector<std::uint16_t> out;
    for (int shift = 0; shift < 64; shift += 16) {
        const auto group = static_cast<std::uint16_t>((vlanStack >> shift) & 0xffff);
        if (group != 0)
            out.push_back(group & 0x0fff);
    }
    return out;
}

} // namespace twlens
