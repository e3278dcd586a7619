// SPDX-License-Identifier: GPL-3.0-or-later
// The per-connection state machines. Every segment seen at the capture point is taken as sent by
// its source and received by its destination at that moment; the rules below say where that
// approximation is corrected (crossing FINs, a final ACK lost after the capture point, a RST
// that did not take). The state names and transitions are RFC 9293 §3.3.2 and §3.10.7.4
// (figure 5) as summarised in shared/reference/tcp-teardown-facts.md §1; Linux behaviour is
// cited by kernel function.
#include "core/reconstruct/teardown_replay.h"

#include <algorithm>

#include "core/model/tcp_flags.h"
#include "core/reconstruct/incarnation_rules.h"

namespace twlens::recon {

namespace {
constexpr int kNone = -1;
}

struct TeardownReplay::SideTrack {
    TcpState state = TcpState::None;
    bool silent = false;             // never sent a segment in this connection (one-sided capture)
    bool synSent = false;            // SYN without ACK
    bool synAckSent = false;
    bool isnInferred = false;        // from the peer's SYN-ACK (ack - 1): our SYN was not captured
    std::uint32_t isn = 0;
    bool sndKnown = false;
    std::uint32_t sndNxt = 0;
    bool finSent = false;
    std::uint32_t finSeq = 0;        // sequence number the FIN occupies
    bool finAcked = false;           // the peer ACKed our FIN
    bool peerFinProcessed = false;   // we have taken in the peer's FIN
    bool finReceiptDeferred = false; // crossing FINs: the peer's FIN reached us after ours left
    bool ackedPeerFin = false;
    bool dupAckedPeerFin = false;    // ACKed something short of the peer's FIN after it was sent
    int rstClosedEntry = kNone;      // scratch index of a CLOSED caused by a RST (may be undone)
    TcpState beforeRst = TcpState::None;
    int lastAckClosedEntry = kNone;  // scratch index of LAST_ACK -> CLOSED (undone if the FIN comes again)
    int twEntry = kNone;             // scratch index of the TIME_WAIT entry
    bool inTimeWait = false;
    bool twExpired = false;          // its timer fired before a later segment (CLOSED already recorded)
    bool twRestarted = false;        // an inbound ACK-bearing segment rescheduled the timer
    TimeNs twStart = 0;
    bool twCutByRst = false;
    TimeNs twEnd = 0;

    bool hasIsn() const { return synSent || synAckSent; }
};

struct TeardownReplay::Scan {
    int firstCloser = kNone; // Side of the first FIN
    bool crossing = false;   // both FINs sent before either was ACKed (RFC 9293 §3.10.7.4 simultaneous close)
    bool firstFinLost = false; // the first FIN was sent again before its peer ACKed it (see prescan)
};

TeardownReplay::TeardownReplay(const Settings& settings)
    : twLength_(settings.twLength()), rfc1337_(settings.rfc1337.value != 0) {}

// The sequence number a FIN occupies: after its payload, and never on the SYN's own number (a
// FIN sent in SYN_SENT, as in zeek-fin_retransmission.pcap, still comes after the SYN).
static std::uint32_t finSequence(const ControlSegment& s, bool hasIsn, std::uint32_t isn) {
    std::uint32_t f = s.seq + s.payload;
    if (hasIsn && seqLeq(f, isn))
        f = isn + 1;
    return f;
}

TeardownReplay::Scan TeardownReplay::prescan(std::span<const ControlSegment> segs) const {
    // Crossing FINs cannot be told from the order at the capture point alone (a capture near one
    // end sees its own FIN first either way): they crossed when the second FIN does not ACK the
    // first and was sent before its sender ACKed the first.
    Scan scan;
    std::array<bool, 2> hasIsn{false, false};
    std::array<std::uint32_t, 2> isn{0, 0};
    std::array<int, 2> finIdx{kNone, kNone};
    std::array<std::uint32_t, 2> finSeq{0, 0};
    int secondAcksFirst = kNone;
    // A FIN reaching a side in FIN_WAIT_1 is ACKed at once (tcp_fin: TCP_FIN_WAIT1 ->
    // tcp_send_ack, then CLOSING), so when the first closer's retransmission timer sends its FIN
    // again (at least kLinuxRtoMinNs later) before any ACK of it came back, the first copy
    // did not arrive: the peer takes the FIN from the retransmission. A FIN repeated sooner rides
    // on an ACK of the peer's FIN (some stacks set FIN on every segment while theirs is
    // unacknowledged, as in arkime-v6.pcap) and says nothing about loss.
    TimeNs firstFinTs = 0;
    for (int i = 0; i < static_cast<int>(segs.size()); ++i) {
        const ControlSegment& s = segs[static_cast<std::size_t>(i)];
        if (s.meta & ControlSegment::TapDuplicate)
            continue;
        const int x = static_cast<int>(s.from());
        if (s.flags & tcpflag::RST)
            continue;
        if ((s.flags & tcpflag::SYN) && !hasIsn[static_cast<std::size_t>(x)]) {
            hasIsn[static_cast<std::size_t>(x)] = true;
            isn[static_cast<std::size_t>(x)] = s.seq;
        }
        const int y = x ^ 1;
        if (scan.firstCloser != kNone && x != scan.firstCloser && secondAcksFirst == kNone &&
            (s.flags & tcpflag::ACK) && seqGeq(s.ack, finSeq[static_cast<std::size_t>(y)] + 1))
            secondAcksFirst = i;
        // Not ACKed yet: secondAcksFirst is the first ACK of the first FIN.
        if ((s.flags & tcpflag::FIN) && x == scan.firstCloser && finIdx[static_cast<std::size_t>(x)] != kNone &&
            secondAcksFirst == kNone &&
            s.ts - firstFinTs >= kLinuxRtoMinNs &&
            finSequence(s, hasIsn[static_cast<std::size_t>(x)], isn[static_cast<std::size_t>(x)]) == finSeq[static_cast<std::size_t>(x)])
            scan.firstFinLost = true;
        if ((s.flags & tcpflag::FIN) && finIdx[static_cast<std::size_t>(x)] == kNone) {
            if (scan.firstCloser == kNone)
                firstFinTs = s.ts;
            finIdx[static_cast<std::size_t>(x)] = i;
            finSeq[static_cast<std::size_t>(x)] = finSequence(s, hasIsn[static_cast<std::size_t>(x)], isn[static_cast<std::size_t>(x)]);
            if (scan.firstCloser == kNone)
                scan.firstCloser = x;
            else if (x != scan.firstCloser)
                scan.crossing = secondAcksFirst == kNone; // the second FIN itself was checked above
        }
    }
    return scan;
}

ReplayOutcome TeardownReplay::run(Connection& c, std::span<ControlSegment> segs, std::vector<StateChange>& states) {
    ReplayOutcome out;
    scratch_.clear();
    const Scan scan = prescan(segs);
    std::array<SideTrack, 2> sd;
    sd[0].silent = c.packets[0] == 0;
    sd[1].silent = c.packets[1] == 0;
    const bool midStream = !c.has(Connection::SynSeen);
    int firstCloser = kNone;
    bool lostFinalAck = false;
    bool finWait2Timeout = false;
    std::uint16_t finRetransmissions = 0;
    TimeNs closeTime = kNoTime;
    auto teardownAt = [&](TimeNs t) { closeTime = closeTime == kNoTime ? t : std::max(closeTime, t); };

    auto setState = [&](int side, TcpState st, int seg) -> int {
        SideTrack& t = sd[static_cast<std::size_t>(side)];
        if (t.state == st)
            return kNone;
        t.state = st;
        scratch_.push_back(StateChange{static_cast<std::uint16_t>(seg), st, static_cast<Side>(side)});
        return static_cast<int>(scratch_.size()) - 1;
    };
    auto kill = [&](int entry) {
        if (entry != kNone)
            scratch_[static_cast<std::size_t>(entry)].state = TcpState::None; // compacted away at the end
    };
    auto enterTimeWait = [&](int side, int seg, TimeNs ts) {
        SideTrack& t = sd[static_cast<std::size_t>(side)];
        t.twEntry = setState(side, TcpState::TimeWait, seg);
        t.inTimeWait = true;
        t.twStart = ts;
    };
    // The side takes in its peer's FIN (RFC 9293 §3.10.7.4, "eighth, check the FIN bit").
    auto takeFin = [&](int side, int seg, TimeNs ts) {
        SideTrack& t = sd[static_cast<std::size_t>(side)];
        switch (t.state) {
        case TcpState::None:
            // Only a side known to exist takes a FIN: mid-stream, or never captured sending.
            if (!midStream && !t.silent)
                return;
            [[fallthrough]];
        case TcpState::SynRecv:
        case TcpState::Established:
            setState(side, TcpState::CloseWait, seg);
            break;
        case TcpState::FinWait1:
            if (!t.finAcked)
                setState(side, TcpState::Closing, seg); // our FIN not yet ACKed: the FINs crossed
            else if (t.silent)
                enterTimeWait(side, seg, ts); // FIN that ACKs our FIN: TIME_WAIT directly (our ACK unseen)
            break;
        case TcpState::FinWait2:
            if (t.silent)
                enterTimeWait(side, seg, ts); // the ACK it sends is not in the capture
            break;
        case TcpState::SynSent: // a FIN without the SYN-ACK first is not processed (no sequence sync)
            return;
        default:
            break;
        }
        t.peerFinProcessed = true;
        t.finReceiptDeferred = false;
    };

    for (int i = 0; i < static_cast<int>(segs.size()); ++i) {
        ControlSegment& s = segs[static_cast<std::size_t>(i)];
        if (s.meta & ControlSegment::TapDuplicate)
            continue; // the capture saw one transmission twice: not an event
        // A TIME_WAIT whose timer fired before this segment (twStart is its last restart): the
        // socket was gone (inet_twsk_kill), so nothing from here on restarts or cuts the window,
        // and that side is CLOSED from the window's end, before this segment's own events.
        for (int side = 0; side < 2; ++side) {
            SideTrack& t = sd[static_cast<std::size_t>(side)];
            if (t.inTimeWait && timeWaitExpiredBy(t.twStart, s.ts, twLength_)) {
                t.inTimeWait = false;
                t.twExpired = true;
                t.state = TcpState::Closed;
                scratch_.push_back(StateChange{StateChange::kTimerSegment, TcpState::Closed, static_cast<Side>(side)});
            }
        }
        const int X = static_cast<int>(s.from());
        const int Y = X ^ 1;
        SideTrack& x = sd[static_cast<std::size_t>(X)];
        SideTrack& y = sd[static_cast<std::size_t>(Y)];
        const bool rst = s.flags & tcpflag::RST;
        const bool syn = !rst && (s.flags & tcpflag::SYN);
        const bool fin = !rst && (s.flags & tcpflag::FIN);
        const bool ack = s.flags & tcpflag::ACK;

        const bool prevSndKnown = x.sndKnown;
        const std::uint32_t prevSndNxt = x.sndNxt;
        const std::uint32_t end = s.seq + s.payload + (syn ? 1u : 0u) + (fin ? 1u : 0u);
        if (!x.sndKnown || seqGt(end, x.sndNxt)) {
            x.sndNxt = end;
            x.sndKnown = true;
        }

        if (rst) {
            // RFC 9293 §3.10.7.3: in SYN_SENT a RST counts only if it ACKs our SYN. Otherwise we take
            // RSTs that are not stale (seq before the sender's SND.NXT - 1; Linux tcp_reset_check
            // also accepts RCV.NXT - 1 in the closing states). Exact RFC 5961 checks would need the
            // receive window, which a capture does not always show.
            bool valid = true;
            if (y.state == TcpState::SynSent)
                valid = ack && s.ack == y.isn + 1;
            else if (prevSndKnown)
                valid = !seqLt(s.seq, prevSndNxt - 1);
            if (y.state == TcpState::TimeWait) {
                // tcp_timewait_state_process: a RST whose seq is exactly RCV.NXT kills the TIME_WAIT
                // socket while tcp_rfc1337 = 0 (RFC 1337 assassination); any other RST is dropped.
                const std::uint32_t rcvNxt = x.finSent ? x.finSeq + 1 : x.sndNxt;
                if (x.finSent && s.seq == rcvNxt && !rfc1337_ && !y.twCutByRst) {
                    y.twCutByRst = true;
                    // Never before the window began: a RST captured after the ACK that started
                    // it but stamped earlier (the capture's clock stepped back) ends it at once.
                    y.twEnd = std::max(s.ts, y.twStart);
                    y.inTimeWait = false;
                    setState(Y, TcpState::Closed, i); // not a teardown time: the close was over
                }
                if (x.state != TcpState::Closed && x.state != TcpState::TimeWait && x.state != TcpState::None)
                    setState(X, TcpState::Closed, i);
                continue;
            }
            if (x.state == TcpState::TimeWait) {
                // A TIME_WAIT socket answers with ACKs, never a RST: this side had not got there.
                kill(x.twEntry);
                x.twEntry = kNone;
                x.inTimeWait = false;
                x.state = x.finAcked ? TcpState::Closing : TcpState::FinWait2;
            }
            if (!valid)
                continue;
            if (x.state == TcpState::Closed && y.state == TcpState::Closed)
                continue;
            // FIN_WAIT_2 answering the peer's FIN with a RST: its socket was gone (orphaned
            // FIN_WAIT_2 expired after tcp_fin_timeout, tcp_timewait_state_process TCP_FIN_WAIT2
            // substate / tcp_rcv_state_process), so it never reached TIME_WAIT.
            if (x.state == TcpState::FinWait2 && y.finSent && !x.ackedPeerFin)
                finWait2Timeout = true;
            const bool orderlyDone = x.finSent && y.finSent && x.finAcked && y.finAcked;
            const TcpState xBefore = x.state, yBefore = y.state;
            const int xe = setState(X, TcpState::Closed, i);
            const int ye = setState(Y, TcpState::Closed, i);
            if (!orderlyDone) {
                if (xe != kNone) {
                    x.rstClosedEntry = xe;
                    x.beforeRst = xBefore;
                }
                if (ye != kNone) {
                    y.rstClosedEntry = ye;
                    y.beforeRst = yBefore;
                }
            }
            teardownAt(s.ts);
            continue;
        }

        // A side closed by a RST that goes on sending did not take that RST (an injected or
        // out-of-window RST answered by a challenge ACK, RFC 5961 §3): undo its CLOSED.
        if (x.rstClosedEntry != kNone && !(syn && !ack)) {
            kill(x.rstClosedEntry);
            x.rstClosedEntry = kNone;
            x.state = x.beforeRst;
        }
        // Crossing FINs: the first closer's FIN reached the second closer after the second FIN
        // left; any later segment of the first closer arrives after it (in-order delivery).
        if (y.finReceiptDeferred && y.finSent)
            takeFin(Y, i, s.ts);

        if (syn && !ack) {
            if ((x.synSent || x.isnInferred) && s.seq == x.isn) {
                s.meta |= ControlSegment::Retransmission; // tcp_retransmit_skb resends the same SYN
            } else if (!x.hasIsn()) {
                x.isn = s.seq;
                if (X == static_cast<int>(Side::Client) && out.firstSynTs == kNoTime)
                    out.firstSynTs = s.ts;
            }
            x.synSent = true;
            if (x.state == TcpState::None || x.state == TcpState::Closed)
                setState(X, TcpState::SynSent, i);
            continue;
        }
        if (syn && ack) {
            if (x.synAckSent && s.seq == x.isn) {
                s.meta |= ControlSegment::Retransmission;
            } else {
                if (!x.hasIsn())
                    x.isn = s.seq;
                x.synAckSent = true;
                if (x.state == TcpState::None || x.state == TcpState::SynSent || x.state == TcpState::Closed)
                    setState(X, TcpState::SynRecv, i);
            }
            if (y.state == TcpState::SynSent && s.ack == y.isn + 1)
                setState(Y, TcpState::Established, i); // RFC 9293 §3.10.7.3: SYN-ACK in SYN_SENT
            if (!y.hasIsn() && !y.isnInferred) {
                y.isn = s.ack - 1;
                y.isnInferred = true;
            }
            continue;
        }

        // A side first seen sending (mid-stream), or a SYN_SENT side sending an ACK (it got the
        // SYN-ACK, maybe not captured), is ESTABLISHED from this segment.
        if (!fin && (x.state == TcpState::None || (x.state == TcpState::SynSent && ack)))
            setState(X, TcpState::Established, i);

        // The sender's ACK of its peer's FIN.
        const bool acksPeerFin = ack && y.finSent && seqGeq(s.ack, y.finSeq + 1);
        if (ack && y.finSent && !acksPeerFin)
            x.dupAckedPeerFin = true;
        if (acksPeerFin) {
            if (!x.peerFinProcessed)
                takeFin(X, i, s.ts); // it took the FIN before ACKing it
            // The final ACK, or a re-ACK of a repeated FIN; not TIME_WAIT's answer to a new SYN,
            // nor an ACK from a side already CLOSED (it has no socket left to send one: such an
            // ACK answers the 4-tuple's next incarnation, whose SYN came before it).
            if (x.state != TcpState::Closed && (!x.ackedPeerFin || x.state != TcpState::TimeWait || x.twRestarted))
                teardownAt(s.ts);
            if (x.state == TcpState::FinWait2 || (x.state == TcpState::FinWait1 && x.finAcked)) {
                // FIN_WAIT_2 --FIN in, send ACK--> TIME_WAIT; FIN_WAIT_1 with a FIN that ACKed our FIN
                // goes there directly (tcp_rcv_state_process -> tcp_fin -> tcp_time_wait). The
                // window starts with the ACK that leaves.
                enterTimeWait(X, i, s.ts);
            } else if (x.state == TcpState::TimeWait && !fin && x.ackedPeerFin && x.twRestarted) {
                x.twStart = s.ts; // the re-ACK of a retransmitted FIN: the timer restarted with it
                x.twRestarted = false;
            }
            x.ackedPeerFin = true;
        }

        if (fin) {
            const std::uint32_t fs = finSequence(s, x.hasIsn(), x.isn);
            if (!x.finSent) {
                x.finSent = true;
                x.finSeq = fs;
                if (firstCloser == kNone)
                    firstCloser = X;
                if (x.state == TcpState::CloseWait || x.peerFinProcessed)
                    setState(X, TcpState::LastAck, i); // CLOSE_WAIT --close, send FIN--> LAST_ACK
                else
                    setState(X, TcpState::FinWait1, i); // ESTABLISHED --close, send FIN--> FIN_WAIT_1
            } else if (fs == x.finSeq) {
                s.meta |= ControlSegment::Retransmission;
                ++finRetransmissions;
                const bool passive = !scan.crossing && X != firstCloser;
                if (passive) {
                    // The passive closer sends its FIN again: it never got the final ACK. From a
                    // capture point before the loss the ACK was seen first; from one after it, no
                    // ACK came between. A peer ACKing short of the FIN instead means the FIN (or
                    // data before it) was lost, not the final ACK.
                    if (!y.dupAckedPeerFin)
                        lostFinalAck = true;
                    if (x.state == TcpState::Closed && x.lastAckClosedEntry != kNone) {
                        kill(x.lastAckClosedEntry); // it was still in LAST_ACK
                        x.lastAckClosedEntry = kNone;
                        x.state = TcpState::LastAck;
                        x.finAcked = false;
                    }
                }
            }
        }

        // What the receiver makes of it. ACK of its FIN first (a FIN+ACK is processed in that
        // order, RFC 9293 §3.10.7.4 "fifth, check the ACK field" before "eighth, check the FIN bit").
        if (ack && y.finSent && !y.finAcked && seqGeq(s.ack, y.finSeq + 1)) {
            y.finAcked = true;
            switch (y.state) {
            case TcpState::FinWait1:
                if (!fin)
                    setState(Y, TcpState::FinWait2, i);
                break;
            case TcpState::Closing:
                enterTimeWait(Y, i, s.ts); // CLOSING --ACK of our FIN--> TIME_WAIT
                break;
            case TcpState::LastAck:
                y.lastAckClosedEntry = setState(Y, TcpState::Closed, i); // LAST_ACK --ACK--> CLOSED
                teardownAt(s.ts);
                break;
            default:
                break;
            }
        }
        if (y.state == TcpState::SynRecv && ack && (!y.hasIsn() || seqGeq(s.ack, y.isn + 1)))
            setState(Y, TcpState::Established, i);
        if (y.state == TcpState::None && y.silent)
            setState(Y, TcpState::Established, i); // never captured sending, yet spoken to
        // Crossing FINs with the first one lost after the capture point: the peer never got this
        // copy and takes the retransmission instead (prescan, firstFinLost).
        const bool lostCopy = scan.crossing && scan.firstFinLost && X == scan.firstCloser &&
                              !(s.meta & ControlSegment::Retransmission);
        if (fin && !lostCopy && !y.peerFinProcessed && !y.finReceiptDeferred) {
            if (scan.crossing && X == scan.firstCloser && !y.finSent)
                y.finReceiptDeferred = true; // its own FIN leaves before this one arrives
            else
                takeFin(Y, i, s.ts);
        }
        // tcp_timewait_state_process: every segment with ACK reaching a TIME_WAIT socket (a
        // retransmitted FIN above all) reschedules the timer to a full TCP_TIMEWAIT_LEN.
        // A SYN without ACK does not reschedule it (it is answered with an ACK, TCP_TW_ACK).
        if (y.state == TcpState::TimeWait && y.inTimeWait && ack) {
            y.twStart = std::max(y.twStart, s.ts);
            y.twRestarted = true;
        }
    }

    // Windows, and CLOSED when the TIME_WAIT timer fires (its time is the window's end).
    std::array<TimeWaitWindow, 2> windows{};
    std::uint8_t count = 0;
    for (int side = 0; side < 2; ++side) {
        SideTrack& t = sd[static_cast<std::size_t>(side)];
        if (t.twEntry == kNone)
            continue;
        TimeWaitWindow w;
        w.side = static_cast<Side>(side);
        w.start = t.twStart;
        if (t.twCutByRst) {
            w.end = t.twEnd;
            w.reason = TimeWaitEnd::Rst;
        } else {
            w.end = t.twStart + twLength_;
            w.reason = TimeWaitEnd::Expired;
            if (!t.twExpired) // else recorded when it fired, before the later segments' events
                scratch_.push_back(StateChange{StateChange::kTimerSegment, TcpState::Closed, static_cast<Side>(side)});
        }
        windows[count++] = w;
    }
    if (count == 2 && windows[1].start < windows[0].start)
        std::swap(windows[0], windows[1]);
    c.timeWait = windows;
    c.timeWaitCount = count;

    // Roles and verdicts.
    if (scan.crossing)
        c.activeCloser = Closer::Both;
    else if (firstCloser != kNone)
        c.activeCloser = firstCloser == static_cast<int>(Side::Client) ? Closer::Client : Closer::Server;
    else
        c.activeCloser = Closer::None;
    const bool rstClosed = sd[0].rstClosedEntry != kNone || sd[1].rstClosedEntry != kNone;
    const int fins = (sd[0].finSent ? 1 : 0) + (sd[1].finSent ? 1 : 0);
    if (rstClosed)
        c.closeKind = CloseKind::Rst;
    else if (fins == 2)
        c.closeKind = scan.crossing ? CloseKind::Simultaneous : CloseKind::Fin;
    else if (fins == 1)
        c.closeKind = CloseKind::HalfClosed;
    else
        c.closeKind = CloseKind::Open;
    c.finRetransmissions = finRetransmissions;
    c.set(Connection::LostFinalAck, lostFinalAck);
    c.set(Connection::FinWait2Timeout, finWait2Timeout);
    for (int side = 0; side < 2; ++side)
        c.isn[static_cast<std::size_t>(side)] = sd[static_cast<std::size_t>(side)].hasIsn() ? sd[static_cast<std::size_t>(side)].isn : 0;

    c.firstState = static_cast<std::uint32_t>(states.size());
    for (const StateChange& e : scratch_)
        if (e.state != TcpState::None)
            states.push_back(e);
    c.stateCount = static_cast<std::uint16_t>(states.size() - c.firstState);
    out.closeTime = closeTime;
    return out;
}

} // namespace twlens::recon
