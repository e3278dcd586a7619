// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/teaching_steps.h"

#include <algorithm>

#include "core/model/tcp_flags.h"
#include "core/presentation/figure_window.h"
#include "core/presentation/ladder_rows.h"

namespace twlens {

namespace {

constexpr std::size_t idx(Side s) { return static_cast<std::size_t>(s); }

void addTopic(std::vector<TeachingTopic>& topics, TeachingTopic t) {
    if (std::find(topics.begin(), topics.end(), t) == topics.end())
        topics.push_back(t);
}

bool isClosing(TcpState s) {
    return s == TcpState::FinWait1 || s == TcpState::FinWait2 || s == TcpState::Closing || s == TcpState::TimeWait;
}

// The hazard kinds that have their own explanation (contract spellings, core/hazards).
void addHazardTopics(const Analysis& a, TeachingStep& st) {
    for (std::uint32_t h : st.hazards) {
        const std::string& kind = a.hazards[h].kind;
        if (kind == "lost_final_ack")
            addTopic(st.topics, TeachingTopic::LostFinalAck);
        else if (kind == "time_wait_assassination" && !st.has(TeachingTopic::RstIgnoredInTimeWait))
            addTopic(st.topics, TeachingTopic::Assassination); // under tcp_rfc1337 = 1 it is only a risk
        else if (kind == "reuse_within_time_wait")
            addTopic(st.topics, TeachingTopic::Reuse);
        else if (kind == "rst_close")
            addTopic(st.topics, TeachingTopic::RstClose);
    }
}

// Did the ephemeral range toward this connection's destination fill up (facts §5)?
bool rangeRanOut(const Analysis& a, const Connection& c) {
    const IpAddress& server = a.serverIp(c);
    for (const Exhaustion& e : a.exhaustion)
        if (e.remoteIp == server && e.remotePort == c.serverPort &&
            (e.exhaustedAt != kNoTime || (e.usablePorts > 0 && e.peakPortsInUse >= e.usablePorts)))
            return true;
    return false;
}

// The topics of a segment step, from what its segment s is and which transitions it caused. The
// rules follow RFC 9293 §3.10.7.4 (FIN processing per state) and tcp_timewait_state_process.
void segmentTopics(const Analysis& a, const Connection& c, const ControlSegment& s,
                   const std::array<TcpState, 2>& before, const TeachingStep* previous, TeachingStep& st) {
    const Side sender = st.from;
    const Side receiver = other(sender);
    const bool syn = s.flags & tcpflag::SYN;
    const bool fin = s.flags & tcpflag::FIN;
    const bool rst = s.flags & tcpflag::RST;
    auto took = [&](Side side, TcpState to) {
        return std::any_of(st.transitions.begin(), st.transitions.end(),
                           [&](const TeachingTransition& t) { return t.side == side && t.to == to; });
    };
    auto tookFrom = [&](Side side, TcpState from, TcpState to) {
        return std::any_of(st.transitions.begin(), st.transitions.end(), [&](const TeachingTransition& t) {
            return t.side == side && t.from == from && t.to == to;
        });
    };

    if (rst) {
        if (tookFrom(receiver, TcpState::TimeWait, TcpState::Closed))
            addTopic(st.topics, TeachingTopic::Assassination);
        else if (before[idx(receiver)] == TcpState::TimeWait && st.states[idx(receiver)] == TcpState::TimeWait)
            addTopic(st.topics, TeachingTopic::RstIgnoredInTimeWait);
        else
            addTopic(st.topics, TeachingTopic::RstClose);
    }
    if (syn) {
        const bool reopened = c.previousIncarnation != kNoIndex && c.reuseGap != kNoTime &&
                              c.reuseGap < a.settings.twLength();
        if (reopened && !(s.flags & tcpflag::ACK))
            addTopic(st.topics, TeachingTopic::Reuse);
        addTopic(st.topics, TeachingTopic::Handshake);
    }
    if (fin) {
        const bool resent = (s.meta & ControlSegment::Retransmission) != 0;
        if (resent && before[idx(sender)] == TcpState::LastAck)
            addTopic(st.topics, TeachingTopic::LostFinalAck);
        else if (resent)
            addTopic(st.topics, TeachingTopic::FinRetransmission);
        if (tookFrom(sender, TcpState::Established, TcpState::FinWait1)) {
            if (isClosing(before[idx(receiver)]) || c.activeCloser == Closer::Both)
                addTopic(st.topics, TeachingTopic::SimultaneousClose);
            addTopic(st.topics, TeachingTopic::ActiveClose);
        }
        if (took(receiver, TcpState::CloseWait) || took(sender, TcpState::LastAck))
            addTopic(st.topics, TeachingTopic::PassiveClose);
    }
    // A TIME-WAIT side ACKing again: after a retransmitted FIN this is the repeated final ACK
    // that restarts the 60 s timer (tcp_timewait_state_process).
    if (!syn && !fin && !rst && before[idx(sender)] == TcpState::TimeWait && previous &&
        previous->kind == TeachingStep::Kind::Segment && (a.segmentsOf(c)[previous->segment].flags & tcpflag::FIN) &&
        previous->from == receiver)
        addTopic(st.topics, TeachingTopic::LostFinalAck);
    for (const TeachingTransition& t : st.transitions) {
        switch (t.to) {
        case TcpState::Established:
            addTopic(st.topics, TeachingTopic::Handshake);
            break;
        case TcpState::Closing:
            addTopic(st.topics, TeachingTopic::SimultaneousClose);
            break;
        case TcpState::FinWait2:
            addTopic(st.topics, TeachingTopic::FinWait2);
            break;
        case TcpState::TimeWait:
            if (t.from == TcpState::Closing)
                addTopic(st.topics, TeachingTopic::SimultaneousClose);
            addTopic(st.topics, TeachingTopic::TimeWaitEntered);
            addTopic(st.topics, TeachingTopic::TimeWaitLength);
            if (t.side == Side::Client && rangeRanOut(a, c))
                addTopic(st.topics, TeachingTopic::PortExhaustion);
            break;
        case TcpState::Closed:
            if (t.from == TcpState::LastAck)
                addTopic(st.topics, TeachingTopic::PassiveClose);
            break;
        default:
            break;
        }
    }
    // Data toward a side that already sent its FIN: a half-closed connection (shutdown(SHUT_WR)).
    const bool flowsToClosedSender = isClosing(st.states[idx(receiver)]) && st.states[idx(sender)] == TcpState::CloseWait;
    if (!syn && !rst && (s.payload > 0 || s.dataBefore > 0) && flowsToClosedSender)
        addTopic(st.topics, TeachingTopic::HalfClose);
    if (!syn && !fin && !rst && st.transitions.empty() && st.topics.empty()) {
        if (flowsToClosedSender || (isClosing(st.states[idx(sender)]) && st.states[idx(receiver)] == TcpState::CloseWait &&
                                    c.has(Connection::HalfClose)))
            addTopic(st.topics, TeachingTopic::HalfClose);
        else
            addTopic(st.topics, TeachingTopic::Data);
    }
    addHazardTopics(a, st);
}

} // namespace

std::string_view teachingTopicName(TeachingTopic t) {
    static constexpr std::array<std::string_view, kTeachingTopicCount> kNames{
        "handshake",        "data",             "active_close",     "passive_close",   "fin_wait_2",
        "half_close",       "simultaneous_close", "time_wait",      "time_wait_length", "time_wait_expired",
        "lost_final_ack",   "fin_retransmission", "rst_close",      "assassination",   "rst_ignored_in_time_wait",
        "reuse",            "port_exhaustion"};
    return kNames[static_cast<std::size_t>(t)];
}

bool TeachingStep::has(TeachingTopic t) const {
    return std::find(topics.begin(), topics.end(), t) != topics.end();
}

std::vector<TeachingStep> buildTeachingSteps(const Analysis& a, std::uint32_t connection) {
    std::vector<TeachingStep> steps;
    if (connection >= a.connections.size())
        return steps;
    const Connection& c = a.connections[connection];
    const auto segs = a.segmentsOf(c);
    const auto changes = a.statesOf(c);
    const Ladder ladder = buildLadder(a, connection);
    std::array<TcpState, 2> now{TcpState::None, TcpState::None};
    std::vector<bool> timerUsed(changes.size(), false);

    steps.reserve(segs.size() + 2);
    for (const LadderRow& row : ladder.rows) {
        if (row.kind == LadderRow::Kind::DataPhase)
            continue;
        TeachingStep st;
        st.ts = row.ts;
        st.from = row.from;
        st.text = describeRow(row);
        st.hazards = row.hazards;
        const std::array<TcpState, 2> before = now;
        auto apply = [&](const StateChange& sc) {
            auto& cur = now[idx(sc.side)];
            st.transitions.push_back({sc.side, cur, sc.state});
            cur = sc.state;
        };
        if (row.kind == LadderRow::Kind::TimerExpiry) {
            st.kind = TeachingStep::Kind::TimerExpiry;
            st.pastCaptureEnd = std::any_of(ladder.timeWaits.begin(), ladder.timeWaits.end(), [&](const LadderTimeWait& w) {
                return w.side == row.from && w.end == row.ts && w.pastCaptureEnd;
            });
            for (std::size_t i = 0; i < changes.size(); ++i) {
                if (changes[i].segment == StateChange::kTimerSegment && changes[i].side == row.from && !timerUsed[i]) {
                    timerUsed[i] = true;
                    apply(changes[i]);
                    break;
                }
            }
            st.states = now;
            addTopic(st.topics, TeachingTopic::TimeWaitExpired);
        } else {
            st.segment = row.segment;
            for (const StateChange& sc : changes)
                if (sc.segment == row.segment)
                    apply(sc);
            st.states = now;
            segmentTopics(a, c, segs[row.segment], before, steps.empty() ? nullptr : &steps.back(), st);
        }
        steps.push_back(std::move(st));
    }
    return steps;
}

std::optional<ControlSegment> stepSegment(const Analysis& a, std::uint32_t connection, const TeachingStep& step) {
    if (step.kind != TeachingStep::Kind::Segment || connection >= a.connections.size())
        return std::nullopt;
    return a.segmentsOf(a.connections[connection])[step.segment];
}

std::uint32_t mainConnectionOf(const Analysis& a) {
    if (a.connections.empty())
        return kNoIndex;
    // The one-connection figures' pick over the whole analysis, which every connection overlaps.
    const std::uint32_t id = exampleConnection(a, fullWindow(a));
    return id == kNoIndex ? 0 : id;
}

} // namespace twlens
