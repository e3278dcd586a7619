// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/capture/pcap_importer.h"

#include <array>
#include <chrono>
#include <cstdint>

#include "importers/capture/link_layer.h"
#include "importers/capture/packet_decoder.h"
#include "importers/capture/pcap_source.h"
#include "importers/capture/segment_batcher.h"

namespace twlens {

namespace {

// How often the loop looks at the clock and the stop token; a power of two keeps it a mask test.
constexpr std::uint64_t kCheckEvery = 4096;
constexpr auto kProgressInterval = std::chrono::milliseconds(100);

// Nanoseconds from libpcap's header. With PCAP_TSTAMP_PRECISION_NANO, tv_usec holds nanoseconds;
// a damaged file can carry a sub-second field of 1e9 or more, which we carry into the seconds.
inline TimeNs packetTime(const pcap_pkthdr& h, bool* outOfRange) {
    // The file stores the field as an unsigned 32-bit value; libpcap (sf-pcap.c) passes it
    // through a signed 32-bit one, so 2147483648 arrives as -2147483648. Undo that.
    auto sub = static_cast<std::int64_t>(h.ts.tv_usec);
    if (sub < 0)
        sub = static_cast<std::int64_t>(static_cast<std::uint32_t>(sub));
    *outOfRange = sub >= kNsPerSecond;
    return static_cast<TimeNs>(h.ts.tv_sec) * kNsPerSecond + sub;
}

// Progress and cancellation for one input, throttled to a few calls a second.
class ProgressPacer {
public:
    ProgressPacer(const ImportContext& ctx, const PcapSource& src, std::uint64_t packetsBefore)
        : ctx_(ctx), src_(src), packetsBefore_(packetsBefore), last_(std::chrono::steady_clock::now()) {}

    // False when the caller should stop (cancellation requested).
    bool tick(std::uint64_t packets) {
        if (ctx_.stop.stop_requested())
            return false;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ >= kProgressInterval) {
            last_ = now;
            report(packets);
        }
        return true;
    }

    void report(std::uint64_t packets) {
        if (ctx_.packetsSoFar)
            *ctx_.packetsSoFar = packetsBefore_ + packets;
        if (!ctx_.observer)
            return;
        ImportProgress p;
        p.input = ctx_.inputIndex;
        p.inputCount = ctx_.inputCount;
        p.bytesDone = src_.diskOffset();
        p.bytesTotal = src_.sizeOnDisk();
        p.packets = packetsBefore_ + packets;
        p.connections = ctx_.connectionsSoFar ? *ctx_.connectionsSoFar : 0;
        ctx_.observer->progress(p);
    }

private:
    const ImportContext& ctx_;
    const PcapSource& src_;
    std::uint64_t packetsBefore_;
    std::chrono::steady_clock::time_point last_;
};

} // namespace

InputKind captureKindFromMagic(std::span<const std::byte> head) {
    if (head.size() < 4)
        return InputKind::Unknown;
    const std::uint32_t m = (std::to_integer<std::uint32_t>(head[0]) << 24) |
                            (std::to_integer<std::uint32_t>(head[1]) << 16) |
                            (std::to_integer<std::uint32_t>(head[2]) << 8) | std::to_integer<std::uint32_t>(head[3]);
    switch (m) {
    case 0xA1B2C3D4: // pcap, microseconds, as written by a big-endian host
    case 0xD4C3B2A1: // ... little-endian host
    case 0xA1B23C4D: // pcap, nanoseconds, big-endian
    case 0x4D3CB2A1: // ... little-endian
        return InputKind::Pcap;
    case 0x0A0D0D0A: // pcapng Section Header Block type (the same in both byte orders)
        return InputKind::Pcapng;
    default:
        return InputKind::Unknown;
    }
}

int PcapImporter::probe(std::span<const std::byte> head) const { return captureKindFromMagic(head) == kind_ ? 100 : 0; }

ImportOutcome PcapImporter::read(const std::string& path, ImportContext& ctx) const {
    PcapSource src;
    std::string error;
    if (!src.open(path, &error))
        return {ImportStatus::Failed, error};

    InputInfo scratch;
    InputInfo& info = ctx.info ? *ctx.info : scratch;
    if (info.path.empty()) // the pipeline may have set a display name (a bundle member's)
        info.path = path;
    info.kind = kind_;
    info.compressed = src.compressed();
    info.sizeBytes = src.sizeOnDisk();
    info.linkType = pcap_datalink(src.handle());
    const int linkType = info.linkType;
    if (!isSupportedLinkType(linkType)) {
        const char* dltName = pcap_datalink_val_to_name(linkType);
        ctx.warn({InputWarning::kNone, InputWarning::kNone,
                  "link type " + std::to_string(linkType) + " (" + (dltName ? dltName : "unknown") +
                      ") is not decoded: its packets are counted as undecodable"});
    }

    const std::uint64_t packetsBefore = ctx.packetsSoFar ? *ctx.packetsSoFar : 0;
    ProgressPacer pacer(ctx, src, packetsBefore);
    SegmentBatcher batch(ctx.segments);
    std::uint64_t packets = 0, tcp = 0, nonTcp = 0, fragments = 0, undecodable = 0;
    bool timeWarned = false;
    ImportOutcome outcome;

    pcap_t* const p = src.handle();
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    for (;;) {
        const int rc = pcap_next_ex(p, &hdr, &data);
        if (rc == PCAP_ERROR_BREAK) // end of the savefile
            break;
        if (rc != 1) {
            // Damaged part-way: what came before stays analysed; say where libpcap stopped.
            std::string msg = std::string("libpcap stopped reading: ") + pcap_geterr(p);
            if (src.compressed())
                msg += " (offset in the decompressed data)";
            msg += "; the " + std::to_string(packets) + " packets before it were read";
            ctx.warn({src.dataOffset(), InputWarning::kNone, std::move(msg)});
            break;
        }
        ++packets;
        bool badTime = false;
        const TimeNs ts = packetTime(*hdr, &badTime);
        if (badTime && !timeWarned) {
            timeWarned = true;
            ctx.warn({InputWarning::kNone, InputWarning::kNone,
                      "frame " + std::to_string(packets) + ": sub-second timestamp field " +
                          std::to_string(static_cast<std::int64_t>(hdr->ts.tv_usec)) +
                          " ns is not below one second; carried into the seconds (later ones alike, warned once)"});
        }
        if (info.firstTs == kNoTime)
            info.firstTs = ts;
        info.lastTs = ts;

        Segment& s = batch.slot();
        switch (decodePacket({data, hdr->caplen}, hdr->len, linkType, s)) {
        case DecodeClass::Tcp:
            s.ts = ts;
            s.frame = static_cast<std::uint32_t>(packets); // the model keeps 32 bits (ControlSegment::frame)
            s.input = ctx.inputIndex;
            batch.keep();
            ++tcp;
            break;
        case DecodeClass::NonTcp:
            ++nonTcp;
            break;
        case DecodeClass::Fragment:
            ++fragments;
            break;
        case DecodeClass::Undecodable:
            ++undecodable;
            break;
        }
        if ((packets & (kCheckEvery - 1)) == 0 && !pacer.tick(packets)) {
            outcome.status = ImportStatus::Cancelled;
            break;
        }
    }
    batch.flush();

    info.packets = packets;
    info.tcpPackets = tcp;
    info.nonTcpPackets = nonTcp;
    info.ipFragments = fragments;
    info.undecodable = undecodable;
    pacer.report(packets);
    return outcome;
}

Result<std::optional<TimeNs>> firstPacketTime(const std::string& path) {
    PcapSource src;
    std::string error;
    if (!src.open(path, &error))
        return Error{error};
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    if (pcap_next_ex(src.handle(), &hdr, &data) != 1)
        return std::optional<TimeNs>{};
    bool ignored = false;
    return std::optional<TimeNs>{packetTime(*hdr, &ignored)};
}

} // namespace twlens
