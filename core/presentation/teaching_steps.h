// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// What the teaching view explains at a step. Each topic has one text (gui/teaching,
// resources/teaching/*.html) citing the RFC section or kernel rule behind it.
enum class TeachingTopic : std::uint8_t {
    Handshake,           // SYN, SYN-ACK, ACK (RFC 9293 §3.5)
    Data,                // data and its ACKs: no state changes
    ActiveClose,         // the first FIN: ESTABLISHED -> FIN-WAIT-1
    PassiveClose,        // the peer's FIN: ESTABLISHED -> CLOSE-WAIT -> LAST-ACK -> CLOSED
    FinWait2,            // our FIN ACKed, waiting for the peer's FIN (tcp_fin_timeout: orphans only)
    HalfClose,           // data still flowing toward the side that sent its FIN
    SimultaneousClose,   // FINs crossed: CLOSING, both ends enter TIME-WAIT
    TimeWaitEntered,     // why TIME-WAIT exists (RFC 9293 §3.10.7.4, RFC 1337)
    TimeWaitLength,      // 60 s on Linux (TCP_TIMEWAIT_LEN), 2 x MSL in the RFC
    TimeWaitExpired,     // the timer fired: CLOSED
    LostFinalAck,        // the passive closer retransmitted its FIN: TIME-WAIT ACKs it again
    FinRetransmission,   // a FIN sent again because its ACK did not come
    RstClose,            // a RST ends the connection: no TIME-WAIT on Linux
    Assassination,       // a RST at RCV.NXT deleted the TIME-WAIT (tcp_rfc1337 = 0, RFC 1337)
    RstIgnoredInTimeWait,// tcp_rfc1337 = 1: the RST in TIME-WAIT is ignored (RFC 1337 fix F1)
    Reuse,               // a new incarnation of a 4-tuple still in TIME-WAIT (tcp_tw_reuse, RFC 6191)
    PortExhaustion,      // every TIME-WAIT holds an ephemeral port for 60 s
};
inline constexpr int kTeachingTopicCount = 17;

// A stable identifier for a topic ("time_wait_length"): the name of its text resource.
std::string_view teachingTopicName(TeachingTopic t);

struct TeachingTransition {
    Side side = Side::Client;
    TcpState from = TcpState::None;
    TcpState to = TcpState::None;
    bool operator==(const TeachingTransition&) const = default;
};

// One step of the teaching mode: a kept segment of the connection (or a TIME-WAIT timer firing),
// both ends' states after it, the transitions it caused and what to explain. The segment's own
// fields (flags, frame, ...) are read from it: stepSegment below. ts and from stay here because a
// timer step, which has no segment, has them too.
struct TeachingStep {
    enum class Kind : std::uint8_t { Segment, TimerExpiry };
    Kind kind = Kind::Segment;
    std::uint32_t segment = kNoIndex;     // index within Analysis::segmentsOf(c); kNoIndex for a timer
    TimeNs ts = 0;
    Side from = Side::Client;             // the sender (for a timer: the side whose timer fired)
    bool pastCaptureEnd = false;          // a timer that fires after the capture stopped
    std::string text;                     // "FIN,ACK seq=1 ack=1" (describeRow)
    std::array<TcpState, 2> states{TcpState::None, TcpState::None}; // client, server after the step
    std::vector<TeachingTransition> transitions;
    std::vector<TeachingTopic> topics;    // most specific first
    std::vector<std::uint32_t> hazards;   // indices into Analysis::hazards shown at this step

    bool has(TeachingTopic t) const;
};

// The steps of one connection in time order: every kept segment (Analysis::segmentsOf) and every
// TIME-WAIT timer expiry (StateChange::kTimerSegment), with states from Analysis::statesOf.
// Empty when `connection` is out of range.
std::vector<TeachingStep> buildTeachingSteps(const Analysis& a, std::uint32_t connection);

// The kept segment a step of buildTeachingSteps(a, connection) shows (segmentsOf(c)[step.segment]);
// none for a timer step, or when `connection` is out of range.
std::optional<ControlSegment> stepSegment(const Analysis& a, std::uint32_t connection, const TeachingStep& step);

// The connection a scenario teaches: the one a one-connection figure of the whole analysis shows
// (exampleConnection over fullWindow: the first carrying a hazard of the highest severity present,
// else the first with a lost final ACK, a TIME-WAIT cut short, a TIME-WAIT, else the first
// connection); kNoIndex when there is none.
std::uint32_t mainConnectionOf(const Analysis& a);

} // namespace twlens
