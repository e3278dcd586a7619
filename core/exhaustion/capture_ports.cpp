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

void forEachCaptureDestination(const Analysis& a, const std::function<void(const Destination&, const CapturePorts&)>& visit) {
    const std::size_t n = a.connections.size();
    DestinationNumbers numbers;
    std::vector<std::uint32_t> numberOf(n);
    std::vector<std::uint32_t> firstOf; // each number's first connection: its addresses and port
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t number = numbers.numberOf(a.connections[i]);
        numberOf[i] = number;
        if (number == firstOf.size())
            firstOf.push_back(static_cast<std::uint32_t>(i));
    }
    // One number per destination: an Analysis not built by the AddressInterner (which stores each
    // address once) could name one address by two indices, and so one destination by two numbers.
    std::vector<Destination> destinations;
    std::vector<std::uint32_t> destinationOf(firstOf.size());
    {
        DestinationMap<std::uint32_t> byDestination;
        byDestination.reserve(firstOf.size());
        for (std::size_t number = 0; number < firstOf.size(); ++number) {
            const Connection& c = a.connections[firstOf[number]];
            const Destination d{a.clientIp(c), a.serverIp(c), c.serverPort};
            const auto [it, added] = byDestination.try_emplace(d, static_cast<std::uint32_t>(destinations.size()));
            if (added)
                destinations.push_back(d);
            destinationOf[number] = it->second;
        }
    }
    // The connections grouped by destination, in connection order within each (a counting sort):
    // one destination's holds at a time in one reused buffer, instead of every destination's at
    // once (500k connections: 18 MB at the exhaustion pass's peak).
    std::vector<std::uint32_t> begin(destinations.size() + 1, 0);
    for (std::size_t i = 0; i < n; ++i)
        ++begin[destinationOf[numberOf[i]] + 1];
    for (std::size_t k = 1; k < begin.size(); ++k)
        begin[k] += begin[k - 1];
    std::vector<std::uint32_t> order(n);
    {
        std::vector<std::uint32_t> at(begin.begin(), begin.end() - 1);
        for (std::size_t i = 0; i < n; ++i)
            order[at[destinationOf[numberOf[i]]]++] = static_cast<std::uint32_t>(i);
    }
    numberOf = {};
    const TimeNs end = captureEnd(a);
    constexpr std::size_t kAhead = 8;
    CapturePorts d;
    for (std::size_t k = 0; k < destinations.size(); ++k) {
        d.holds.clear();
        d.synTimes.clear();
        d.connections = 0;
        d.withTimestamps = 0;
        d.first = d.last = kNoTime;
        d.firstInput = UINT32_MAX;
        for (std::uint32_t j = begin[k]; j < begin[k + 1]; ++j) {
            // Grouped by destination, the connections are read out of order: ask for the ones a
            // few steps ahead now, and for the states and segments (which clientPortHold may
            // read) of those nearer, whose fields have arrived by then (reading a connection's
            // fields right after asking for it stalled on it).
            if (j + 2 * kAhead < n) {
                const char* far = reinterpret_cast<const char*>(&a.connections[order[j + 2 * kAhead]]);
                __builtin_prefetch(far);
                __builtin_prefetch(far + 64);
                __builtin_prefetch(far + 128);
            }
            if (j + kAhead < n) {
                const Connection& ahead = a.connections[order[j + kAhead]];
                if (ahead.firstState < a.states.size())
                    __builtin_prefetch(&a.states[ahead.firstState]);
                if (ahead.segmentCount > 0 && ahead.firstSegment < a.segments.byteSize())
                    __builtin_prefetch(a.segments.bytesAt(ahead.firstSegment));
            }
            const Connection& c = a.connections[order[j]];
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
        std::sort(d.synTimes.begin(), d.synTimes.end());
        visit(destinations[k], d);
    }
}

} // namespace twlens
