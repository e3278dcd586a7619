// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/connection_filter.h"

#include <algorithm>
#include <charconv>

#include "core/output/contract_names.h"

namespace twlens {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return out;
}

std::optional<std::uint16_t> parsePort(std::string_view s) {
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || ptr != s.data() + s.size() || value > 65535)
        return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

template <typename Enum, std::size_t N>
std::optional<Enum> enumByName(std::string_view name, std::string_view (*label)(Enum)) {
    for (std::size_t i = 0; i < N; ++i)
        if (label(static_cast<Enum>(i)) == name)
            return static_cast<Enum>(i);
    return std::nullopt;
}

} // namespace

bool ConnectionFilter::empty() const {
    return anyEnd.empty() && clientEnd.empty() && serverEnd.empty() && ports.empty() && !closer && !closeKind &&
           hazard.empty() && !lostFinalAck && !timeWait && !reused && !rolesInferred;
}

ConnectionFilter parseConnectionFilter(std::string_view text) {
    ConnectionFilter f;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' || text[pos] == ','))
            ++pos;
        std::size_t end = pos;
        while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != ',')
            ++end;
        if (end == pos)
            break;
        const std::string word = lower(text.substr(pos, end - pos));
        pos = end;
        const auto colon = word.find(':');
        const std::string key = colon == std::string::npos ? std::string() : word.substr(0, colon);
        const std::string value = colon == std::string::npos ? word : word.substr(colon + 1);
        if (key == "closer") {
            if (auto c = enumByName<Closer, 4>(value, closerName))
                f.closer = c;
            else
                f.errors.push_back(word);
        } else if (key == "close") {
            if (auto k = enumByName<CloseKind, 5>(value, closeKindName))
                f.closeKind = k;
            else
                f.errors.push_back(word);
        } else if (key == "hazard") {
            f.hazard = value.empty() ? "any" : value;
        } else if (key == "is") {
            if (value == "lost-final-ack" || value == "lost_final_ack")
                f.lostFinalAck = true;
            else if (value == "time-wait" || value == "time_wait")
                f.timeWait = true;
            else if (value == "reused")
                f.reused = true;
            else if (value == "roles-inferred" || value == "roles_inferred")
                f.rolesInferred = true;
            else
                f.errors.push_back(word);
        } else if (key == "port") {
            if (auto p = parsePort(value))
                f.ports.push_back(*p);
            else
                f.errors.push_back(word);
        } else if (key == "client") {
            f.clientEnd.push_back(value);
        } else if (key == "server") {
            f.serverEnd.push_back(value);
        } else if (auto p = parsePort(word)) {
            f.ports.push_back(*p);
        } else {
            // Addresses contain colons themselves (IPv6, ip:port): unknown keys are address text.
            f.anyEnd.push_back(word);
        }
    }
    return f;
}

ConnectionMatcher::ConnectionMatcher(const Analysis& a) : a_(a) {
    addressText_.reserve(a.addresses.size());
    for (const IpAddress& ip : a.addresses)
        addressText_.push_back(ip.isV4() ? ip.toString() : "[" + ip.toString() + "]");
}

const std::string& ConnectionMatcher::endpointText(std::uint32_t address, std::uint16_t port,
                                                   std::string& scratch) const {
    scratch = addressText_[address];
    scratch += ':';
    char buf[8];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, port);
    (void)ec;
    scratch.append(buf, ptr);
    return scratch;
}

bool ConnectionMatcher::matches(const Connection& c, const ConnectionFilter& f) const {
    if (f.closer && c.activeCloser != *f.closer)
        return false;
    if (f.closeKind && c.closeKind != *f.closeKind)
        return false;
    if (f.lostFinalAck && !c.has(Connection::LostFinalAck))
        return false;
    if (f.timeWait && c.timeWaitCount == 0)
        return false;
    if (f.reused && c.previousIncarnation == kNoIndex)
        return false;
    if (f.rolesInferred && !c.has(Connection::RolesInferred))
        return false;
    for (std::uint16_t p : f.ports)
        if (c.clientPort != p && c.serverPort != p)
            return false;
    if (!f.hazard.empty()) {
        const auto hz = a_.hazardsOf(c);
        if (hz.empty())
            return false;
        if (f.hazard != "any" &&
            std::none_of(hz.begin(), hz.end(), [&](const Hazard& h) { return h.kind == f.hazard; }))
            return false;
    }
    if (f.anyEnd.empty() && f.clientEnd.empty() && f.serverEnd.empty())
        return true;
    std::string clientScratch, serverScratch;
    const std::string& client = endpointText(c.clientAddr, c.clientPort, clientScratch);
    const std::string& server = endpointText(c.serverAddr, c.serverPort, serverScratch);
    for (const std::string& w : f.clientEnd)
        if (client.find(w) == std::string::npos)
            return false;
    for (const std::string& w : f.serverEnd)
        if (server.find(w) == std::string::npos)
            return false;
    for (const std::string& w : f.anyEnd)
        if (client.find(w) == std::string::npos && server.find(w) == std::string::npos)
            return false;
    return true;
}

} // namespace twlens
