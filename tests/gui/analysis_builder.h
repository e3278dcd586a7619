// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/model/analysis.h"

namespace twlens::testing {

// Builds Analysis objects by hand for the GUI tests, the way the reconstructor lays them out:
// connections ordered by start, each one's segments (coded) and states contiguous, hazards sorted by
// connection. Times are given in seconds after `origin`.
class AnalysisBuilder {
public:
    static constexpr TimeNs kOrigin = 1'700'000'000 * kNsPerSecond;

    std::uint32_t connection(const std::string& client, std::uint16_t clientPort, const std::string& server,
                             std::uint16_t serverPort, double start);
    // Adds a kept segment; returns its index within the connection.
    std::uint16_t segment(std::uint32_t conn, double t, Side from, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                          std::uint16_t payload = 0, std::uint16_t dataBefore = 0, std::uint8_t meta = 0);
    void state(std::uint32_t conn, std::uint16_t segment, Side side, TcpState s);
    void timerState(std::uint32_t conn, Side side, TcpState s);
    void timeWait(std::uint32_t conn, Side side, double start, double end, TimeWaitEnd reason = TimeWaitEnd::Expired);
    void hazard(std::uint32_t conn, const std::string& kind, double t, Severity sev, const std::string& reference,
                const std::string& summary);
    void link(std::uint32_t previous, std::uint32_t next);  // same 4-tuple, next incarnation
    Connection& edit(std::uint32_t conn) { return conns_[conn].c; }
    void input(const std::string& path, double first, double last, std::uint64_t packets);
    Analysis& raw() { return a_; }

    std::shared_ptr<const Analysis> finish();

private:
    struct Pending {
        Connection c;
        std::vector<ControlSegment> segments;
        std::vector<StateChange> states;
        std::vector<Hazard> hazards;
    };
    std::uint32_t address(const std::string& text);
    Analysis a_;
    std::vector<Pending> conns_;
};

TimeNs at(double seconds);

// The hand-built teardown scenario the GUI tests assert against (see the .cpp for the story).
std::shared_ptr<const Analysis> teardownScenario();

// n synthetic connections for the timeline benchmark: many 4-tuples to one server, each closed by
// the client with a 60 s TIME_WAIT, some 4-tuples reused.
std::shared_ptr<const Analysis> syntheticAnalysis(std::size_t n);

} // namespace twlens::testing
