// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/csv_writer.h"

#include <ostream>

#include "core/output/contract_names.h"
#include "core/output/time_format.h"

namespace twlens {

namespace {

constexpr std::string_view kHeader =
    "id,client_ip,client_port,server_ip,server_port,vlan,roles_inferred,start,end,syn_seen,"
    "active_closer,close_kind,"
    "client_tw_start,client_tw_end,client_tw_end_reason,server_tw_start,server_tw_end,server_tw_end_reason,"
    "fin_retransmissions,lost_final_ack,previous_incarnation,reuse_gap_s,"
    "client_states,server_states,hazards,"
    "client_packets,server_packets,client_bytes,server_bytes,flags";

class Row {
public:
    explicit Row(std::string& line) : line_(line) { line_.clear(); }
    Row& field(std::string_view s) {
        sep();
        appendCsvField(line_, s);
        return *this;
    }
    Row& number(std::uint64_t v) {
        sep();
        line_ += std::to_string(v);
        return *this;
    }
    Row& boolean(bool b) { return field(b ? "true" : "false"); }
    Row& time(TimeNs t) {
        sep();
        if (t != kNoTime)
            line_ += secondsText(t).text();
        return *this;
    }
    Row& empty() {
        sep();
        return *this;
    }

private:
    void sep() {
        if (!first_)
            line_ += ',';
        first_ = false;
    }
    std::string& line_;
    bool first_ = true;
};

std::string timelineText(const Analysis& a, const Connection& c, Side side, std::span<const ControlSegment> segs) {
    std::string s;
    for (const StateChange& sc : a.statesOf(c)) {
        if (sc.side != side || sc.state == TcpState::None)
            continue;
        if (!s.empty())
            s += ';';
        s += stateName(sc.state);
        s += '@';
        s += secondsText(a.stateTime(c, sc, segs)).text();
    }
    return s;
}

} // namespace

std::string_view csvHeader() { return kHeader; }

void appendCsvField(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char ch : field) {
        if (ch == '"')
            out += '"';
        out += ch;
    }
    out += '"';
}

bool writeCsv(const Analysis& a, std::ostream& out) {
    out << kHeader << "\r\n";
    std::string line;
    std::string joined;
    for (const Connection& c : a.connections) {
        Row row(line);
        row.number(c.id).field(a.clientIp(c).toString()).number(c.clientPort);
        row.field(a.serverIp(c).toString()).number(c.serverPort);
        joined.clear();
        for (std::uint16_t id : vlanIds(c.vlan < a.vlanStacks.size() ? a.vlanStacks[c.vlan] : 0)) {
            if (!joined.empty())
                joined += ';';
            joined += std::to_string(id);
        }
        row.field(joined);
        row.boolean(c.has(Connection::RolesInferred)).time(c.start).time(c.end).boolean(c.has(Connection::SynSeen));
        row.field(closerName(c.activeCloser)).field(closeKindName(c.closeKind));
        for (Side side : {Side::Client, Side::Server}) {
            const TimeWaitWindow* w = nullptr;
            for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i)
                if (c.timeWait[i].side == side)
                    w = &c.timeWait[i];
            if (w)
                row.time(w->start).time(w->end).field(timeWaitEndName(w->reason));
            else
                row.empty().empty().empty();
        }
        row.number(c.finRetransmissions).boolean(c.has(Connection::LostFinalAck));
        if (c.previousIncarnation == kNoIndex)
            row.empty().empty();
        else
            row.number(c.previousIncarnation).time(c.reuseGap);
        const auto segs = a.segmentsOf(c);
        row.field(timelineText(a, c, Side::Client, segs)).field(timelineText(a, c, Side::Server, segs));
        joined.clear();
        for (const Hazard& h : a.hazardsOf(c)) {
            if (!joined.empty())
                joined += ';';
            joined += h.kind;
        }
        row.field(joined);
        row.number(c.packets[0]).number(c.packets[1]).number(c.payloadBytes[0]).number(c.payloadBytes[1]);
        joined.clear();
        for (std::string_view f : connectionFlagNames(c.flags)) {
            if (!joined.empty())
                joined += ';';
            joined += f;
        }
        row.field(joined);
        line += "\r\n";
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
    out.flush();
    return static_cast<bool>(out);
}

} // namespace twlens
