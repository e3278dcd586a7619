// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>

#include "core/model/tcp_state.h"
#include "core/model/time.h"

namespace twlens {

inline constexpr std::uint32_t kNoIndex = UINT32_MAX;

enum class Side : std::uint8_t { Client = 0, Server = 1 };
constexpr Side other(Side s) { return s == Side::Client ? Side::Server : Side::Client; }

enum class Closer : std::uint8_t { None, Client, Server, Both };           // who sent the first FIN
enum class CloseKind : std::uint8_t { Open, Fin, Rst, Simultaneous, HalfClosed };
enum class TimeWaitEnd : std::uint8_t { Expired, Reused, Rst };

// Whether a TIME_WAIT begun (or last restarted by a re-ACK of a repeated FIN,
// tcp_timewait_state_process) at `start` has expired by `t`, for a TIME_WAIT length `length`: its
// timer fires then (inet_twsk_kill), and from then on no socket holds the 4-tuple.
constexpr bool timeWaitExpiredBy(TimeNs start, TimeNs t, TimeNs length) { return t - start >= length; }

struct TimeWaitWindow {
    TimeNs start = 0;  // when this side ACKed the peer's FIN (the LAST such ACK: a re-ACKed FIN restarts the timer)
    TimeNs end = 0;    // start + tw length, or earlier when cut short
    Side side = Side::Client;
    TimeWaitEnd reason = TimeWaitEnd::Expired;
};

// A segment the core keeps for a connection: SYN, FIN, RST, their ACKs, retransmissions and the
// teardown ACKs. Bulk data in between is only counted (dataBefore). 32 bytes while the input is
// read; an Analysis stores them coded (SegmentStore, ~14 bytes) and decodes them on demand.
struct ControlSegment {
    enum Meta : std::uint8_t {
        FromServer = 0x01,      // direction: server -> client (else client -> server)
        Retransmission = 0x02,  // same sequence space sent again (SYN, FIN, data)
        TapDuplicate = 0x04,    // identical bytes within microseconds: the capture saw it twice
        HasTimestamp = 0x08,    // tsVal is valid
        OptionsCut = 0x10,      // snaplen cut the options: timestamp unknown
    };
    TimeNs ts = 0;
    std::uint32_t seq = 0;        // absolute sequence numbers (relative ones are derived from the ISNs)
    std::uint32_t ack = 0;
    std::uint32_t frame = 0;      // 1-based frame number in the connection's input
    std::uint32_t tsVal = 0;
    std::uint16_t payload = 0;    // payload bytes, saturating at 65535
    std::uint16_t dataBefore = 0; // data segments seen and not kept since the previous kept one (saturating)
    std::uint8_t flags = 0;       // tcpflag bits
    std::uint8_t meta = 0;
    std::uint16_t link = 0;       // 0 in an Analysis; while the input is read, the chain link of the reconstructor's log (KeptLog)

    Side from() const { return (meta & FromServer) ? Side::Server : Side::Client; }
};
static_assert(sizeof(ControlSegment) == 32);

// One entry of a side's state timeline. The entry time is the time of the segment that caused
// it (as seen at the capture point); kTimerSegment means a timer fired (TIME_WAIT expiry), whose
// time is the matching TimeWaitWindow's end.
struct StateChange {
    static constexpr std::uint16_t kTimerSegment = UINT16_MAX;
    std::uint16_t segment = 0;    // index within the connection's segments
    TcpState state = TcpState::None;
    Side side = Side::Client;
};
static_assert(sizeof(StateChange) == 4);

// One incarnation of a 4-tuple (+ VLAN IDs). Addresses and VLAN stacks are interned in
// Analysis (heaptrack-style 32-bit indices) so a connection stays small.
struct Connection {
    enum Flag : std::uint16_t {
        SynSeen = 0x01,
        RolesInferred = 0x02,     // no SYN seen: client/server guessed (see reconstructor.cpp)
        LostFinalAck = 0x04,
        TimestampsSeen = 0x08,    // TCP timestamps on both directions (needed by tcp_tw_reuse, PAWS)
        OneSided = 0x10,          // only one direction was captured
        MidStream = 0x20,         // first segment seen was not a SYN
        FinWait2Timeout = 0x40,   // the peer's late FIN was answered by RST: FIN_WAIT_2 had timed out
        HalfClose = 0x80,         // data flowed after the first FIN
    };

    std::uint32_t id = 0;
    std::uint32_t clientAddr = 0;   // index into Analysis::addresses
    std::uint32_t serverAddr = 0;
    std::uint32_t vlan = 0;         // index into Analysis::vlanStacks (0 = untagged)
    std::uint16_t clientPort = 0;
    std::uint16_t serverPort = 0;
    std::uint16_t input = 0;        // input of the first segment (frame numbers refer to it)
    std::uint16_t flags = 0;

    TimeNs start = 0;               // first segment seen
    TimeNs end = 0;                 // last segment seen
    TimeNs reuseGap = kNoTime;      // previous incarnation's close -> this SYN (when reused)
    std::uint32_t previousIncarnation = kNoIndex;
    std::uint32_t nextIncarnation = kNoIndex;

    std::uint32_t firstSegment = 0; // range in Analysis::segments
    std::uint32_t segmentCount = 0;
    std::uint32_t firstState = 0;   // range in Analysis::states
    std::uint16_t stateCount = 0;
    std::uint16_t finRetransmissions = 0;

    std::array<std::uint32_t, 2> isn{};          // per Side, valid when the SYN of that side was seen
    std::array<std::uint32_t, 2> packets{};      // per Side (sender)
    std::array<std::uint64_t, 2> payloadBytes{}; // per Side (sender)

    Closer activeCloser = Closer::None;
    CloseKind closeKind = CloseKind::Open;
    std::uint8_t timeWaitCount = 0;
    std::array<TimeWaitWindow, 2> timeWait{};    // first timeWaitCount entries are valid

    std::uint32_t firstHazard = 0;  // range in Analysis::hazards (hazards are sorted by connection)
    std::uint32_t hazardCount = 0;

    bool has(Flag f) const { return (flags & f) != 0; }
    void set(Flag f, bool on = true) { flags = on ? (flags | f) : (flags & ~f); }
};

} // namespace twlens
