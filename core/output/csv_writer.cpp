// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/csv_writer.h"

#include <charconv>
#include <ostream>
#include <utility>
#include <vector>

#include "core/output/address_texts.h"
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
    explicit Row(std::string& line) : line_(line) {}
    Row& field(std::string_view s) {
        sep();
        appendCsvField(line_, s);
        return *this;
    }
    // Text that has nothing RFC 4180 quotes (numbers, times, names of the contract, addresses,
    // state timelines): appended as it is.
    Row& plain(std::string_view s) {
        sep();
        line_ += s;
        return *this;
    }
    Row& number(std::uint64_t v) {
        char buf[20];
        return plain(std::string_view(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf)));
    }
    Row& boolean(bool b) { return plain(b ? "true" : "false"); }
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
    // "STATE@seconds;..." for one side.
    Row& timeline(const Analysis& a, const Connection& c, Side side, std::span<const ControlSegment> segs) {
        sep();
        bool first = true;
        for (const StateChange& sc : a.statesOf(c)) {
            if (sc.side != side || sc.state == TcpState::None)
                continue;
            if (!std::exchange(first, false))
                line_ += ';';
            line_ += stateName(sc.state);
            line_ += '@';
            line_ += secondsText(a.stateTime(c, sc, segs)).text();
        }
        return *this;
    }
    void end() {
        line_ += "\r\n";
        first_ = true;
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
    // Rows are gathered into blocks of ~64 KiB for the stream.
    constexpr std::size_t kFlushAt = std::size_t{1} << 16;
    std::string block;
    block.reserve(kFlushAt + 4096);
    AddressTexts address(a.addresses);
    std::string joined;
    Row row(block);
    for (const Connection& c : a.connections) {
        row.number(c.id).plain(address[c.clientAddr]).number(c.clientPort);
        row.plain(address[c.serverAddr]).number(c.serverPort);
        joined.clear();
        for (std::uint16_t id : vlanIds(c.vlan < a.vlanStacks.size() ? a.vlanStacks[c.vlan] : 0)) {
            if (!joined.empty())
                joined += ';';
            joined += std::to_string(id);
        }
        row.plain(joined);
        row.boolean(c.has(Connection::RolesInferred)).time(c.start).time(c.end).boolean(c.has(Connection::SynSeen));
        row.plain(closerName(c.activeCloser)).plain(closeKindName(c.closeKind));
        for (Side side : {Side::Client, Side::Server}) {
            const TimeWaitWindow* w = nullptr;
            for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i)
                if (c.timeWait[i].side == side)
                    w = &c.timeWait[i];
            if (w)
                row.time(w->start).time(w->end).plain(timeWaitEndName(w->reason));
            else
                row.empty().empty().empty();
        }
        row.number(c.finRetransmissions).boolean(c.has(Connection::LostFinalAck));
        if (c.previousIncarnation == kNoIndex)
            row.empty().empty();
        else
            row.number(c.previousIncarnation).time(c.reuseGap);
        const auto segs = a.segmentsOf(c);
        row.timeline(a, c, Side::Client, segs).timeline(a, c, Side::Server, segs);
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
        row.end();
        if (block.size() >= kFlushAt) {
            out.write(block.data(), static_cast<std::streamsize>(block.size()));
            block.clear();
        }
    }
    out.write(block.data(), static_cast<std::streamsize>(block.size()));
    out.flush();
    return static_cast<bool>(out);
}

} // namespace twlens
