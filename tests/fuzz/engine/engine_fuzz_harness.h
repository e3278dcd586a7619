// SPDX-License-Identifier: GPL-3.0-or-later
// The one fuzzing step over the analysis engine behind the decoder, shared by the libFuzzer target
// (fuzz_engine.cpp) and the replay test (tst_engine_fuzz_replay.cpp): fuzz bytes -> a sequence of
// twlens::Segment over a small universe of hosts and ports (so 4-tuples are reused, incarnations
// and TIME_WAIT windows meet), fed in batches to the Reconstructor as the importers do, then the
// hazard, exhaustion and findings passes, the JSON/CSV/text writers and the presentation
// (teaching steps, ladder rows, state spans, tuple rows ...). Every promise the model makes
// (core/model/analysis.h, connection.h) is checked (engine_invariants.h). The input language is
// segment_generator.h; TWLENS_ENGINE_TRACE=1 prints a run (engine_trace.h).
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "core/findings/findings_pass.h"
#include "core/hazards/detect_hazards.h"
#include "core/model/analysis.h"
#include "core/output/csv_writer.h"
#include "core/output/json_writer.h"
#include "core/output/teardown_stats.h"
#include "core/output/text_summary.h"
#include "core/presentation/connection_filter.h"
#include "core/presentation/exhaustion_projection.h"
#include "core/presentation/figure_caption.h"
#include "core/presentation/figure_window.h"
#include "core/presentation/overview_summary.h"
#include "core/presentation/state_transitions.h"
#include "core/presentation/teaching_steps.h"
#include "core/presentation/tuple_rows.h"
#include "core/reconstruct/reconstructor.h"
#include "engine_invariants.h"
#include "engine_trace.h"
#include "segment_generator.h"

namespace twlens::fuzz::engine {

// What one run saw, for the replay test's "the mix reaches every path" assertions.
struct RunStats {
    std::size_t segments = 0;
    std::size_t connections = 0;
    std::size_t hazards = 0;
    std::size_t timeWaits = 0;
    std::size_t reusedLinks = 0;   // connections with a previous incarnation
    std::size_t ipv6 = 0;          // connections over IPv6
    bool timeWentBack = false;
};

// ---------------------------------------------------------------------------------------------
// The step.

// One input's reconstruction and what the generator said about it.
struct Reconstruction {
    Analysis analysis;
    bool monotonic = true;      // the generated capture time never went back
    bool rerunHazards = false;  // header bit: run detectHazards twice and compare
    std::size_t segments = 0;
};

// The generated segments through the Reconstructor, in the input's batches, as the importers
// feed it (importers/analyze_files.cpp: settings first, one InputInfo per capture, finish()).
inline Reconstruction reconstructInput(const std::uint8_t* data, std::size_t size) {
    static thread_local std::vector<Segment> segments = [] {
        std::vector<Segment> v;
        v.reserve(SegmentGenerator::kMaxSegments + SegmentGenerator::kBulk + 64);
        return v;
    }();
    SegmentGenerator gen(data, size, segments);
    gen.generate();
    if (tracing())
        traceSegments(segments, gen.settings);
    Reconstruction out;
    Analysis& a = out.analysis;
    a.settings = gen.settings;
    a.inputs.resize(gen.secondInput ? 2 : 1);
    for (std::size_t input = 0; input < a.inputs.size(); ++input) {
        InputInfo& info = a.inputs[input];
        info.path = input == 0 ? "fuzz-a.pcap" : "fuzz-b.pcapng";
        info.kind = input == 0 ? InputKind::Pcap : InputKind::Pcapng;
        info.linkType = 1;
    }
    for (const Segment& s : segments) { // what an importer counts while it reads the capture
        InputInfo& info = a.inputs[s.input];
        info.packets = ++info.tcpPackets;
        info.firstTs = info.firstTs == kNoTime ? s.ts : std::min(info.firstTs, s.ts);
        info.lastTs = std::max(info.lastTs, s.ts); // kNoTime is the lowest TimeNs
    }
    {
        Reconstructor r(a);
        const std::span<const Segment> all(segments);
        const std::size_t step = gen.batch == 0 ? std::max<std::size_t>(all.size(), 1) : gen.batch;
        for (std::size_t from = 0; from < all.size(); from += step)
            r.segments(all.subspan(from, std::min(step, all.size() - from)));
        TWLENS_ENGINE_CHECK(r.connectionCount() <= all.size(), r.connectionCount());
        r.finish(gen.finishThreads);
    }
    if (tracing())
        traceAnalysis(a);
    out.monotonic = !gen.timeWentBack;
    out.rerunHazards = gen.rerunHazards;
    out.segments = segments.size();
    return out;
}

inline RunStats runEngine(const std::uint8_t* data, std::size_t size) {
    static thread_local std::ostringstream text;
    Reconstruction rec = reconstructInput(data, size);
    Analysis& a = rec.analysis;
    const bool monotonic = rec.monotonic;
    checkReconstruction(a, monotonic);

    detectHazards(a);
    checkHazards(a, monotonic);
    if (rec.rerunHazards) { // "may run again": the same hazards, the same ranges
        const std::vector<Hazard> first = a.hazards;
        detectHazards(a);
        TWLENS_ENGINE_CHECK(sameHazards(first, a.hazards), first.size());
        checkHazards(a, monotonic);
    }
    computeExhaustionAndFindings(a);
    for (const Exhaustion& e : a.exhaustion)
        TWLENS_ENGINE_CHECK(e.usablePorts <= 65535u && e.series.size() <= 100000u, e.usablePorts);

    text.str(std::string());
    text.clear();
    TWLENS_ENGINE_CHECK(writeJson(a, text, 1), 0);
    checkJson(a, text.str());
    text.str(std::string());
    TWLENS_ENGINE_CHECK(writeCsv(a, text), 0);
    checkCsv(text.str(), a.connections.size());
    text.str(std::string());
    writeTextSummary(a, text);
    TWLENS_ENGINE_CHECK(!text.str().empty(), 0);
    // No negative time in the summary of a forward-running capture (a SYN that came while its
    // previous incarnation was still closing reads "reopened ... before #N closed"), but in the
    // signed range of reuse gaps ("Reused 4-tuples: 2 (gap -0.001 s to 0.5 s; ...").
    std::string told = text.str();
    if (const auto at = told.find("Reused 4-tuples:"); at != std::string::npos)
        told.erase(at, told.find('\n', at) - at);
    if (monotonic && negativeAmount(told)) {
        std::fprintf(stderr, "%s\n", text.str().c_str());
        broken("the text summary states no negative time on a forward-running capture");
    }

    (void)summarize(a);
    checkConcurrency(a);
    const TupleRows rows(a);
    std::size_t inRows = 0;
    for (std::size_t r = 0; r < rows.rowCount(); ++r)
        inRows += rows.incarnations(r).size();
    TWLENS_ENGINE_CHECK(inRows == a.connections.size(), inRows);
    const FigureWindow whole = fullWindow(a);
    TWLENS_ENGINE_CHECK(whole.from < whole.to, 0);
    (void)stateTransitions(a, whole);
    // Every connection overlaps the whole analysis' window (it is built to hold them all).
    for (const Connection& c : a.connections)
        TWLENS_ENGINE_CHECK(overlaps(c, whole), c.id);
    TWLENS_ENGINE_CHECK(!windowCaption(a, whole).empty() && !settingsCaption(a.settings).empty() &&
                            !inputsCaption(a).empty() && !relativeSecondsText(a, whole.to).empty(), 0);
    for (const Exhaustion& e : a.exhaustion) {
        (void)projectionLine(e);
        TWLENS_ENGINE_CHECK(usablePortsOf(e) <= 65535u, usablePortsOf(e));
    }
    // The connection filter over every connection: "any hazard" is exactly the connections with one.
    {
        const ConnectionMatcher matcher(a);
        const ConnectionFilter anyHazard = parseConnectionFilter("hazard:any");
        const ConnectionFilter mixed = parseConnectionFilter("port:80 is:time-wait closer:client close:fin 10.0.0");
        TWLENS_ENGINE_CHECK(anyHazard.errors.empty() && mixed.errors.empty(), 0);
        for (const Connection& c : a.connections) {
            TWLENS_ENGINE_CHECK(matcher.matches(c, anyHazard) == (c.hazardCount > 0), c.id);
            (void)matcher.matches(c, mixed);
        }
    }

    std::vector<StateSpan> spans;
    if (!a.connections.empty()) {
        const auto n = static_cast<std::uint32_t>(a.connections.size());
        const std::uint32_t main = mainConnectionOf(a);
        TWLENS_ENGINE_CHECK(main < n, main);
        checkPresentation(a, main, monotonic, spans);
        checkPresentation(a, 0, monotonic, spans);
        checkPresentation(a, n - 1, monotonic, spans);
        if (!a.hazards.empty())
            checkPresentation(a, a.hazards.back().connection, monotonic, spans);
        TWLENS_ENGINE_CHECK(buildTeachingSteps(a, n).empty() && buildLadder(a, n).rows.empty(), n);
    }

    RunStats st;
    st.segments = rec.segments;
    st.connections = a.connections.size();
    st.hazards = a.hazards.size();
    st.timeWentBack = !monotonic;
    for (const Connection& c : a.connections) {
        st.timeWaits += c.timeWaitCount;
        st.reusedLinks += c.previousIncarnation != kNoIndex;
        st.ipv6 += !a.clientIp(c).isV4();
    }
    return st;
}

} // namespace twlens::fuzz::engine
