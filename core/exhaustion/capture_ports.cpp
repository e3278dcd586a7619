// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exhaustion/capture_ports.h"

#include <algorithm>

namespace twlens {

PortHold clientPortHold(const Analysis& a, const Connection& c, TimeNs end) {
    PortHold h;
    h.start = c.start;
    const TimeWaitWindow* tw = nullptr;
    for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i)
        if (c.timeWait[i].side == Side::Client)
            tw = &c.timeWait[i];
    if (tw) {
        h.timeWaitStart = tw->start;
        h.end = tw->end;
    } else {
        TimeNs closed = kNoTime;
        for (const StateChange& s : a.statesOf(c))
            if (s.side == Side::Client && s.state == TcpState::Closed)
                closed = a.stateTime(c, s);
        if (closed != kNoTime)
            h.end = closed;
        else if (c.closeKind == CloseKind::Open || c.closeKind == CloseKind::HalfClosed)
            h.end = std::max(end, c.end);
        else
            h.end = c.end; // closed, but no CLOSED state for the client recorded: its last segment
    }
    h.end = std::max(h.end, h.start);
    return h;
}

TimeNs captureEnd(const Analysis& a) {
    TimeNs end = kNoTime;
    for (const InputInfo& in : a.inputs)
        if ((in.kind == InputKind::Pcap || in.kind == InputKind::Pcapng) && in.lastTs != kNoTime)
            end = std::max(end, in.lastTs);
    for (const Connection& c : a.connections)
        end = std::max(end, c.end);
    return end;
}

namespace {

// Connections' destinations by interned addresses: (client address index, server address index,
// server port) -> dense destination number, in an open-addressing table. Looking each connection
// up by its Destination (two 16-byte addresses) in a node-based hash map, twice, took 100 ms of a
// 500k-connection analysis.
class DestinationNumbers {
public:
    std::uint32_t numberOf(const Connection& c) {
        const Key k{c.clientAddr, c.serverAddr, c.serverPort};
        if ((count_ + 1) * 2 > slots_.size())
            grow();
        std::size_t pos = slotOf(k);
        for (;;) {
            Slot& s = slots_[pos];
            if (s.number == kEmpty) {
                s = Slot{k, count_};
                return count_++;
            }
            if (s.key == k)
                return s.number;
            pos = (pos + 1) & (slots_.size() - 1);
        }
    }
    std::uint32_t count() const { return count_; }

private:
    struct Key {
        std::uint32_t client = 0, server = 0;
        std::uint16_t port = 0;
        bool operator==(const Key&) const = default;
    };
    struct Slot {
        Key key;
        std::uint32_t number = kEmpty;
    };
    static constexpr std::uint32_t kEmpty = UINT32_MAX;
    std::size_t slotOf(const Key& k) const {
        const std::uint64_t h = ((std::uint64_t{k.client} << 32 | k.server) * 0x9E3779B97F4A7C15ULL) ^ (k.port * 0xC2B2AE3D27D4EB4FULL);
        return static_cast<std::size_t>((h ^ (h >> 29)) & (slots_.size() - 1));
    }
    void grow() {
        std::vector<Slot> old(std::max<std::size_t>(1024, slots_.size() * 2));
        old.swap(slots_);
        for (const Slot& s : old) {
            if (s.number == kEmpty)
                continue;
            std::size_t pos = slotOf(s.key);
            while (slots_[pos].number != kEmpty)
                pos = (pos + 1) & (slots_.size() - 1);
            slots_[pos] = s;
        }
    }
    std::vector<Slot> slots_;
    std::uint32_t count_ = 0;
};

} // namespace

DestinationMap<CapturePorts> capturePortsByDestination(const Analysis& a) {
    // Count first and reserve each destination's arrays exactly: growing them by doubling would
    // hold up to three times the holds at once (500k connections: 36 MB instead of 12).
    DestinationNumbers numbers;
    std::vector<std::uint32_t> numberOf(a.connections.size());
    std::vector<CapturePorts> byNumber;
    std::vector<const Connection*> firstOf; // a connection of each destination: its addresses and port
    for (std::size_t i = 0; i < a.connections.size(); ++i) {
        const Connection& c = a.connections[i];
        const std::uint32_t n = numbers.numberOf(c);
        numberOf[i] = n;
        if (n == byNumber.size()) {
            byNumber.emplace_back();
            firstOf.push_back(&c);
        }
        ++byNumber[n].connections;
    }
    for (CapturePorts& d : byNumber) {
        d.holds.reserve(d.connections);
        d.synTimes.reserve(d.connections);
        d.connections = 0;
    }
    const TimeNs end = captureEnd(a);
    for (std::size_t i = 0; i < a.connections.size(); ++i) {
        const Connection& c = a.connections[i];
        CapturePorts& d = byNumber[numberOf[i]];
        const PortHold h = clientPortHold(a, c, end);
        d.holds.push_back(h);
        if (d.connections++ == 0)
            d.firstInput = c.input;
        if (c.has(Connection::TimestampsSeen))
            ++d.withTimestamps;
        if (c.has(Connection::SynSeen) && !c.has(Connection::RolesInferred))
            d.synTimes.push_back(c.start);
        d.first = d.first == kNoTime ? h.start : std::min(d.first, h.start);
        d.last = std::max(d.last, std::max(h.end, c.end));
    }
    DestinationMap<CapturePorts> out;
    out.reserve(byNumber.size());
    for (std::size_t n = 0; n < byNumber.size(); ++n) {
        CapturePorts& d = byNumber[n];
        std::sort(d.synTimes.begin(), d.synTimes.end());
        const Connection& c = *firstOf[n];
        const auto [it, added] = out.try_emplace(Destination{a.clientIp(c), a.serverIp(c), c.serverPort}, std::move(d));
        if (added)
            continue;
        // Two address indices for one address (an Analysis not built by the AddressInterner,
        // which stores each address once): one destination all the same. The sweep sorts the
        // holds, so appending keeps the result; the earlier number has the earlier connection.
        CapturePorts& into = it->second;
        into.holds.insert(into.holds.end(), d.holds.begin(), d.holds.end());
        const auto middle = into.synTimes.insert(into.synTimes.end(), d.synTimes.begin(), d.synTimes.end());
        std::inplace_merge(into.synTimes.begin(), middle, into.synTimes.end());
        into.connections += d.connections;
        into.withTimestamps += d.withTimestamps;
        into.first = std::min(into.first, d.first);
        into.last = std::max(into.last, d.last);
    }
    return out;
}

} // namespace twlens
