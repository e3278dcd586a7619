// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/output/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <rapidjson/encodings.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/output/address_texts.h"
#include "core/output/contract_names.h"
#include "core/output/time_format.h"

namespace twlens {

namespace {

// The rapidjson output stream of both writers: a buffer in front of a std::ostream (rapidjson's
// OStreamWrapper writes one character at a time through the stream's virtual put) or a FILE.
// PutReserve/PutUnsafe (specialised below) let rapidjson's string and raw writers skip the
// per-character room check, and append() lets the Emitter copy a name or a number in one go.
class BufferedStream {
public:
    using Ch = char;
    explicit BufferedStream(std::ostream& os) : os_(&os) {}
    explicit BufferedStream(std::FILE* file) : file_(file) {}
    explicit BufferedStream(std::string& text) : text_(&text) {}
    void retarget(std::string& text) { text_ = &text; } // a memory stream only, when empty
    void Put(char c) {
        if (used_ == buf_.size())
            Flush();
        buf_[used_++] = c;
    }
    // Room for n more characters without a check per character.
    void Reserve(std::size_t n) {
        if (buf_.size() - used_ < n)
            makeRoom(n);
    }
    void PutUnsafe(char c) { buf_[used_++] = c; }
    // Inlined into each caller, where the size of a literal is a constant and the copy a few moves
    // (called as a function, ~80 times a connection, it and its memcpy call were a fifth of the
    // JSON's instructions).
    [[gnu::always_inline]] void append(std::string_view s) {
        Reserve(s.size());
        std::memcpy(buf_.data() + used_, s.data(), s.size());
        used_ += s.size();
    }
    // Room for n characters at the returned place; done(end) keeps what was written up to end.
    [[gnu::always_inline]] char* room(std::size_t n) {
        Reserve(n);
        return buf_.data() + used_;
    }
    void done(const char* end) { used_ = static_cast<std::size_t>(end - buf_.data()); }
    void Flush() {
        sink(std::string_view(buf_.data(), used_));
        used_ = 0;
    }
    // Text already formatted elsewhere, after what is buffered, without copying it into the buffer.
    void writeThrough(std::string_view s) {
        Flush();
        sink(s);
    }

private:
    // Out of line: Reserve is inlined wherever append is, and this runs once per 64 KiB.
    [[gnu::noinline]] void makeRoom(std::size_t n) {
        Flush();
        if (n > buf_.size())
            buf_.resize(n); // only a string longer than the buffer (rapidjson reserves 6 per char)
    }
    void sink(std::string_view s) {
        if (os_)
            os_->write(s.data(), static_cast<std::streamsize>(s.size()));
        else if (file_)
            std::fwrite(s.data(), 1, s.size(), file_);
        else
            text_->append(s);
    }
    std::ostream* os_ = nullptr;
    std::FILE* file_ = nullptr;
    std::string* text_ = nullptr;
    std::vector<char> buf_ = std::vector<char>(std::size_t{1} << 16);
    std::size_t used_ = 0;
};

} // namespace
} // namespace twlens

namespace rapidjson {
template <>
inline void PutReserve(twlens::BufferedStream& stream, size_t count) {
    stream.Reserve(count);
}
template <>
inline void PutUnsafe(twlens::BufferedStream& stream, char c) {
    stream.PutUnsafe(c);
}
} // namespace rapidjson

namespace twlens {
namespace {

// Input text (paths, warning messages quoting file contents) may not be UTF-8, and JSON must be.
// Invalid bytes become U+FFFD; rapidjson's own UTF-8 validator decides what is valid.
class Utf8Repair {
public:
    std::string_view operator()(std::string_view s) {
        if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
            return s;
        out_.clear();
        rapidjson::MemoryStream is(s.data(), s.size());
        while (is.Tell() < s.size()) {
            const std::size_t before = is.Tell();
            CodePoint cp;
            if (rapidjson::UTF8<>::Validate(is, cp)) {
                out_.append(cp.bytes.data(), cp.size);
            } else {
                out_ += "\xEF\xBF\xBD";
                is.src_ = is.begin_ + before + 1; // resynchronise on the byte after the bad one
            }
        }
        return out_;
    }

private:
    struct CodePoint {
        using Ch = char;
        std::array<char, 4> bytes{};
        std::size_t size = 0;
        void Put(char c) {
            if (size < bytes.size())
                bytes[size++] = c;
        }
    };
    std::string out_;
};

template <typename W>
class Emitter {
public:
    Emitter(W& w, BufferedStream& out, const Analysis& a, unsigned threads = 1)
        : w_(w), out_(out), a_(a), threads_(threads), addressText_(a.addresses) {}

    void connectionRange(std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            connection(a_.connections[i]);
    }

    void document() {
        w_.StartObject();
        key("schema");
        str(kJsonSchema);
        settings();
        inputs();
        connections();
        hazards();
        exhaustion();
        snapshots();
        findings();
        w_.EndObject();
    }

private:
    // Keys are literals and names (states, sides, kinds, printed addresses) are ASCII without
    // characters JSON escapes, so they go out quoted as raw text: rapidjson's String would look up
    // every character in its escape table, and Key(const char*) would strlen each of the ~40 keys
    // per connection. A key is a string value to rapidjson's Prefix, so the ':' and ',' are kept.
    template <std::size_t N>
    void key(const char (&k)[N]) {
        name(std::string_view(k, N - 1));
    }
    void key(std::string_view k) { name(k); }
    void name(std::string_view s) {
        raw(s, rapidjson::kStringType, true);
    }
    // rapidjson writes the separator (Prefix: ',' or ':') and counts the value; the text itself
    // then goes straight into the stream, which rapidjson writes to unbuffered, so the order holds.
    void raw(std::string_view s, rapidjson::Type type, bool quoted) {
        w_.RawValue("", 0, type);
        if (quoted)
            out_.Put('"');
        out_.append(s);
        if (quoted)
            out_.Put('"');
    }
    void str(std::string_view s) {
        const std::string_view v = repair_(s);
        w_.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    }
    void time(TimeNs t) {
        if (t == kNoTime) {
            w_.Null();
            return;
        }
        const SecondsText s = secondsText(t);
        raw(s.text(), rapidjson::kNumberType, false);
    }
    void number(double v) {
        if (std::isfinite(v))
            w_.Double(v);
        else
            w_.Null(); // JSON has no NaN or infinity
    }
    void index(std::uint32_t i) {
        if (i == kNoIndex)
            w_.Null();
        else
            w_.Uint(i);
    }
    void portRange(std::uint16_t lo, std::uint16_t hi) {
        w_.StartArray();
        w_.Uint(lo);
        w_.Uint(hi);
        w_.EndArray();
    }

    void settings() {
        const Settings& s = a_.settings;
        key("settings");
        w_.StartObject();
        key("tw_seconds");
        number(s.twSeconds.value);
        key("port_range");
        portRange(s.portLow.value, s.portHigh.value);
        key("tw_reuse");
        w_.Int(s.twReuse.value);
        key("rfc1337");
        w_.Int(s.rfc1337.value);
        key("timestamps");
        w_.Int(s.timestamps.value);
        key("tw_reuse_delay_ms");
        w_.Int(s.twReuseDelayMs.value);
        key("fin_timeout");
        w_.Int(s.finTimeout.value);
        key("max_tw_buckets");
        if (s.maxTwBuckets.value < 0)
            w_.Null();
        else
            w_.Int64(s.maxTwBuckets.value);
        key("reserved_ports");
        str(s.reservedPorts.value);
        key("sources");
        w_.StartObject();
        const std::pair<const char*, const std::string*> sources[] = {
            {"tw_seconds", &s.twSeconds.source},         {"port_range", &s.portLow.source},
            {"tw_reuse", &s.twReuse.source},             {"rfc1337", &s.rfc1337.source},
            {"timestamps", &s.timestamps.source},        {"tw_reuse_delay_ms", &s.twReuseDelayMs.source},
            {"fin_timeout", &s.finTimeout.source},       {"max_tw_buckets", &s.maxTwBuckets.source},
            {"reserved_ports", &s.reservedPorts.source},
        };
        for (const auto& [name, source] : sources) {
            key(name);
            str(*source);
        }
        w_.EndObject();
        w_.EndObject();
    }

    void inputs() {
        key("inputs");
        w_.StartArray();
        for (const InputInfo& in : a_.inputs) {
            w_.StartObject();
            key("path");
            str(in.path);
            key("kind");
            name(inputKindName(in.kind));
            key("packets");
            w_.Uint64(in.packets);
            key("tcp_packets");
            w_.Uint64(in.tcpPackets);
            key("first_ts");
            time(in.firstTs);
            key("last_ts");
            time(in.lastTs);
            key("warnings");
            w_.StartArray();
            for (const InputWarning& warning : in.warnings)
                str(warning.text());
            w_.EndArray();
            key("compressed");
            w_.Bool(in.compressed);
            key("size_bytes");
            w_.Uint64(in.sizeBytes);
            key("non_tcp_packets");
            w_.Uint64(in.nonTcpPackets);
            key("ip_fragments");
            w_.Uint64(in.ipFragments);
            key("undecodable");
            w_.Uint64(in.undecodable);
            key("link_type");
            if (in.linkType < 0)
                w_.Null();
            else
                w_.Int(in.linkType);
            w_.EndObject();
        }
        w_.EndArray();
    }

    // Connections are nearly all of a big document (~1 KB each, ~90 values): one is written as
    // text here, its keys and punctuation as literals, and rapidjson only places it in the array
    // (the ',' before it). Through the Writer, where each value goes through Prefix and each array
    // and object through its level stack, a connection cost ~18k instructions; as text, ~11k
    // (callgrind, 100k connections), the JSON the same bytes. Its strings are names
    // (contract_names), addresses and hazard kinds: text() sends those JSON would escape through
    // rapidjson after all.
    void connection(const Connection& c) {
        w_.RawValue("", 0, rapidjson::kObjectType);
        const auto segs = a_.segmentsOf(c);
        lit("{\"id\":");
        putUint(c.id);
        lit(",\"client\":");
        putEndpoint(c.clientAddr, c.clientPort);
        lit(",\"server\":");
        putEndpoint(c.serverAddr, c.serverPort);
        lit(",\"roles_inferred\":");
        putBool(c.has(Connection::RolesInferred));
        lit(",\"start\":");
        putTime(c.start);
        lit(",\"end\":");
        putTime(c.end);
        lit(",\"syn_seen\":");
        putBool(c.has(Connection::SynSeen));
        lit(",\"active_closer\":");
        putName(closerName(c.activeCloser));
        lit(",\"close_kind\":");
        putName(closeKindName(c.closeKind));
        lit(",\"time_wait\":[");
        for (std::uint8_t i = 0; i < c.timeWaitCount && i < c.timeWait.size(); ++i) {
            const TimeWaitWindow& tw = c.timeWait[i];
            if (i > 0)
                out_.Put(',');
            lit("{\"side\":");
            putName(sideName(tw.side));
            lit(",\"start\":");
            putTime(tw.start);
            lit(",\"end\":");
            putTime(tw.end);
            lit(",\"end_reason\":");
            putName(timeWaitEndName(tw.reason));
            out_.Put('}');
        }
        lit("],\"fin_retransmissions\":");
        putUint(c.finRetransmissions);
        lit(",\"lost_final_ack\":");
        putBool(c.has(Connection::LostFinalAck));
        lit(",\"previous_incarnation\":");
        putIndex(c.previousIncarnation);
        lit(",\"reuse_gap_s\":");
        putTime(c.previousIncarnation == kNoIndex ? kNoTime : c.reuseGap);
        lit(",\"states\":{\"client\":");
        putTimeline(c, Side::Client, segs);
        lit(",\"server\":");
        putTimeline(c, Side::Server, segs);
        lit("},\"hazards\":[");
        bool first = true;
        for (const Hazard& h : a_.hazardsOf(c)) {
            comma(first);
            text(h.kind);
        }
        // Additions to the contract (allowed: new keys, never renamed ones).
        lit("],\"next_incarnation\":");
        putIndex(c.nextIncarnation);
        lit(",\"input\":");
        putUint(c.input);
        lit(",\"vlan\":[");
        first = true;
        for (std::uint16_t id : vlanIds(c.vlan < a_.vlanStacks.size() ? a_.vlanStacks[c.vlan] : 0)) {
            comma(first);
            putUint(id);
        }
        lit("],\"packets\":{\"client\":");
        putUint(c.packets[0]);
        lit(",\"server\":");
        putUint(c.packets[1]);
        lit("},\"bytes\":{\"client\":");
        putUint(c.payloadBytes[0]);
        lit(",\"server\":");
        putUint(c.payloadBytes[1]);
        lit("},\"flags\":[");
        first = true;
        for (std::string_view f : connectionFlagNames(c.flags)) {
            comma(first);
            text(f);
        }
        lit("]}");
    }

    // The text writers of connection(): straight into the stream, outside rapidjson's count.
    template <std::size_t N>
    [[gnu::always_inline]] void lit(const char (&s)[N]) {
        out_.append(std::string_view(s, N - 1));
    }
    void putUint(std::uint64_t v) {
        constexpr std::size_t kDigits = 20; // of UINT64_MAX
        char* at = out_.room(kDigits);
        out_.done(std::to_chars(at, at + kDigits, v).ptr);
    }
    // The ',' before each element of a text array but its first.
    void comma(bool& first) {
        if (!std::exchange(first, false))
            out_.Put(',');
    }
    void putBool(bool b) {
        if (b)
            lit("true");
        else
            lit("false");
    }
    void putIndex(std::uint32_t i) {
        if (i == kNoIndex)
            lit("null");
        else
            putUint(i);
    }
    void putTime(TimeNs t) {
        if (t == kNoTime)
            lit("null");
        else
            out_.done(writeSeconds(out_.room(kSecondsTextMax), t));
    }
    void putName(std::string_view s) { // a name of the contract or a printed address: nothing to escape
        out_.Put('"');
        out_.append(s);
        out_.Put('"');
    }
    void putEndpoint(std::uint32_t addr, std::uint16_t port) {
        lit("{\"ip\":");
        putName(addressText_[addr]);
        lit(",\"port\":");
        putUint(port);
        out_.Put('}');
    }
    void putTimeline(const Connection& c, Side side, std::span<const ControlSegment> segs) {
        out_.Put('[');
        bool first = true;
        for (const StateChange& sc : a_.statesOf(c)) {
            if (sc.side != side || sc.state == TcpState::None)
                continue; // None is "not known yet", not a state of the contract
            comma(first);
            out_.Put('[');
            putName(stateName(sc.state));
            out_.Put(',');
            putTime(a_.stateTime(c, sc, segs));
            out_.Put(']');
        }
        out_.Put(']');
    }
    // A string as rapidjson's String writes it: printable ASCII without '"' or '\\' as it is,
    // anything else (after the UTF-8 repair) escaped by rapidjson.
    void text(std::string_view s) {
        if (std::all_of(s.begin(), s.end(), [](char ch) { return ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\'; })) {
            putName(s);
            return;
        }
        const std::string_view v = repair_(s);
        rapidjson::StringBuffer escaped;
        rapidjson::Writer<rapidjson::StringBuffer> writer(escaped);
        writer.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        out_.append(std::string_view(escaped.GetString(), escaped.GetSize()));
    }

    void connections() {
        key("connections");
        w_.StartArray();
        const std::size_t n = a_.connections.size();
        if (threads_ > 1 && n >= 4 * kBlock)
            connectionsOnTwoThreads(n);
        else
            connectionRange(0, n);
        w_.EndArray();
    }

    // The connections are nearly all of a big document (~1 KB each) and formatting them, not
    // writing, is what takes the time. In blocks of kBlock: this thread writes the even blocks
    // straight to the stream while a second one formats the odd blocks into one of two memory
    // buffers, which this thread then writes in their place: the same bytes as one thread, with
    // at most two blocks (a few MB) held in memory.
    static constexpr std::size_t kBlock = 2048;
    void connectionsOnTwoThreads(std::size_t n) {
        const std::size_t blocks = (n + kBlock - 1) / kBlock;
        auto endOf = [&](std::size_t block) { return std::min(n, (block + 1) * kBlock); };
        struct Slot {
            std::string text;
            bool filled = false;
        };
        std::array<Slot, 2> slots;
        std::mutex m;
        std::condition_variable cv;
        bool stop = false;
        std::exception_ptr failed;
        std::jthread helper([&] {
            try {
                std::string unused;
                BufferedStream memory(unused);
                W writer(memory);
                Emitter emitter(writer, memory, a_);
                for (std::size_t block = 1, j = 0; block < blocks; block += 2, ++j) {
                    Slot& slot = slots[j % 2];
                    {
                        std::unique_lock lock(m);
                        cv.wait(lock, [&] { return !slot.filled || stop; });
                        if (stop)
                            return;
                    }
                    slot.text.clear();
                    memory.retarget(slot.text);
                    writer.Reset(memory);
                    writer.StartArray(); // so each element after the first gets its ','
                    emitter.connectionRange(block * kBlock, endOf(block));
                    memory.Flush();
                    {
                        std::lock_guard lock(m);
                        slot.filled = true;
                    }
                    cv.notify_all();
                }
            } catch (...) {
                std::lock_guard lock(m);
                failed = std::current_exception();
                for (Slot& slot : slots)
                    slot.filled = true;
                cv.notify_all();
            }
        });
        // Declared after the helper, so destroyed first: if this thread throws, the helper is
        // woken to stop before the jthread joins it.
        struct StopOnExit {
            std::mutex& m;
            std::condition_variable& cv;
            bool& stop;
            ~StopOnExit() {
                {
                    std::lock_guard lock(m);
                    stop = true;
                }
                cv.notify_all();
            }
        } stopOnExit{m, cv, stop};
        for (std::size_t block = 0, j = 0; block < blocks; block += 2, ++j) {
            connectionRange(block * kBlock, endOf(block));
            if (block + 1 >= blocks)
                break;
            Slot& slot = slots[j % 2];
            {
                std::unique_lock lock(m);
                cv.wait(lock, [&] { return slot.filled; });
                if (failed)
                    std::rethrow_exception(failed);
            }
            // Block 0 wrote at least one element, so the odd block's first one needs a ','; its
            // text starts with the helper writer's '['. This writer's own count of elements stays
            // above zero, so the next element it writes gets its ',' too.
            out_.Put(',');
            out_.writeThrough(std::string_view(slot.text).substr(1));
            {
                std::lock_guard lock(m);
                slot.filled = false;
            }
            cv.notify_all();
        }
    }

    void hazards() {
        key("hazards");
        w_.StartArray();
        for (const Hazard& h : a_.hazards) {
            w_.StartObject();
            key("kind");
            str(h.kind);
            key("connection");
            index(h.connection);
            key("ts");
            time(h.ts);
            key("severity");
            name(severityName(h.severity));
            key("reference");
            str(h.reference);
            key("summary");
            str(h.summary);
            key("evidence_frames");
            w_.StartArray();
            for (std::uint32_t f : h.evidenceFrames)
                w_.Uint(f);
            w_.EndArray();
            w_.EndObject();
        }
        w_.EndArray();
    }

    void exhaustion() {
        key("exhaustion");
        w_.StartArray();
        for (const Exhaustion& e : a_.exhaustion) {
            w_.StartObject();
            key("local_ip");
            str(e.localIp.toString());
            key("remote_ip");
            str(e.remoteIp.toString());
            key("remote_port");
            w_.Uint(e.remotePort);
            key("port_range");
            portRange(e.portLow, e.portHigh);
            key("peak_ports_in_use");
            w_.Uint(e.peakPortsInUse);
            key("peak_time");
            time(e.peakTime);
            key("peak_time_wait");
            w_.Uint(e.peakTimeWait);
            key("new_connections_per_s_peak");
            number(e.newConnectionsPerSecondPeak);
            key("max_sustainable_rate_per_s");
            number(e.maxSustainableRatePerSecond);
            key("projected_exhaustion_at");
            time(e.projectedExhaustionAt);
            key("usable_ports");
            w_.Uint(e.usablePorts);
            key("exhausted_at");
            time(e.exhaustedAt);
            key("series");
            series(e.series);
            w_.EndObject();
        }
        w_.EndArray();
    }

    // A series is most of the section's bytes (500k connections: 1.2M points) and, like a
    // connection, is written as text and placed by rapidjson as one value: the same bytes as
    // arrays of a time and two counts through the Writer (which, on one thread after the
    // connections, took ~30 ms more of a 500k-connection document).
    void series(const std::vector<ExhaustionSeriesPoint>& points) {
        w_.RawValue("", 0, rapidjson::kArrayType);
        out_.Put('[');
        bool first = true;
        for (const ExhaustionSeriesPoint& p : points) {
            comma(first);
            out_.Put('[');
            putTime(p.ts);
            out_.Put(',');
            putUint(p.portsInUse);
            out_.Put(',');
            putUint(p.timeWait);
            out_.Put(']');
        }
        out_.Put(']');
    }

    void snapshot(const SocketSnapshot& s) {
        w_.StartObject();
        key("ts");
        time(s.ts);
        key("source");
        str(s.input < a_.inputs.size() ? a_.inputs[s.input].path : std::string());
        key("kind");
        str(inputKindName(s.kind));
        key("states");
        w_.StartObject();
        for (int i = 1; i < kTcpStateCount; ++i) {
            const auto st = static_cast<TcpState>(i);
            std::int64_t n = s.stateCounts[static_cast<std::size_t>(i)];
            if (st == TcpState::TimeWait && n < 0)
                n = s.timeWaitTotal; // ss -s, sockstat: only the total is known
            if (n < 0)
                continue; // unknown in this kind of snapshot
            key(stateName(st));
            w_.Int64(n);
        }
        w_.EndObject();
        key("time_wait_by_destination");
        w_.StartArray();
        // Computed by core/snapshots (countTimeWaitByDestination), most first.
        for (const DestinationCount& d : s.timeWaitByDestination) {
            w_.StartObject();
            key("remote_ip");
            str(d.remoteIp.toString());
            key("remote_port");
            w_.Uint(d.remotePort);
            key("count");
            w_.Int64(d.count);
            w_.EndObject();
        }
        w_.EndArray();
        key("time_wait_total");
        if (s.timeWaitTotal < 0)
            w_.Null();
        else
            w_.Int64(s.timeWaitTotal);
        key("time_source");
        str(s.timeSource);
        key("sockets");
        w_.Uint64(s.sockets.size());
        key("counters");
        w_.StartObject();
        for (const auto& [name, value] : s.counters) {
            w_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
            w_.Int64(value);
        }
        w_.EndObject();
        w_.EndObject();
    }

    void snapshots() {
        key("snapshots");
        w_.StartArray();
        for (const SocketSnapshot& s : a_.snapshots)
            snapshot(s);
        w_.EndArray();
    }

    void findings() {
        key("findings");
        w_.StartArray();
        for (const Finding& f : a_.findings) {
            w_.StartObject();
            key("kind");
            str(f.kind);
            key("severity");
            str(severityName(f.severity));
            key("summary");
            str(f.summary);
            key("evidence");
            str(f.evidence);
            w_.EndObject();
        }
        w_.EndArray();
    }

    W& w_;
    BufferedStream& out_; // the stream w_ writes to (it holds no buffer of its own)
    const Analysis& a_;
    unsigned threads_;
    Utf8Repair repair_;
    AddressTexts addressText_;
};

void emit(const Analysis& a, BufferedStream& stream, unsigned threads) {
    rapidjson::Writer<BufferedStream> writer(stream);
    Emitter<rapidjson::Writer<BufferedStream>>(writer, stream, a, threads).document();
    stream.Put('\n');
    stream.Flush();
}

} // namespace

bool writeJson(const Analysis& analysis, std::ostream& out, unsigned threads) {
    BufferedStream stream(out);
    emit(analysis, stream, threads);
    out.flush();
    return static_cast<bool>(out);
}

bool writeJson(const Analysis& analysis, std::FILE* out, unsigned threads) {
    BufferedStream stream(out);
    emit(analysis, stream, threads);
    return std::fflush(out) == 0 && !std::ferror(out);
}

} // namespace twlens
