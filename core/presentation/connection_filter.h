// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// What a person typed in a connection filter box, parsed. Words combine with AND:
//   10.0.0.7          substring of either end's "ip:port" text
//   443               an exact port at either end
//   client:10.0.0.7   substring of the client end ("server:" likewise)
//   port:8080         an exact port at either end
//   closer:client     who sent the first FIN: client | server | both | none
//   close:rst         close kind: fin | rst | simultaneous | half_closed | open
//   hazard:any        any hazard, or a hazard kind (lost_final_ack, time_wait_assassination, ...)
//   is:lost-final-ack | is:time-wait | is:reused | is:roles-inferred
// Unknown keys are kept as errors so the box can say what it did not understand.
struct ConnectionFilter {
    std::vector<std::string> anyEnd;
    std::vector<std::string> clientEnd;
    std::vector<std::string> serverEnd;
    std::vector<std::uint16_t> ports;
    std::optional<Closer> closer;
    std::optional<CloseKind> closeKind;
    std::string hazard;            // "" none, "any", or a kind
    bool lostFinalAck = false;
    bool timeWait = false;
    bool reused = false;
    bool rolesInferred = false;
    std::vector<std::string> errors;

    bool empty() const;
};

ConnectionFilter parseConnectionFilter(std::string_view text);

// Applies a filter to the connections of one analysis. Address texts are formatted once per
// interned address, not once per row.
class ConnectionMatcher {
public:
    explicit ConnectionMatcher(const Analysis& a);
    bool matches(const Connection& c, const ConnectionFilter& f) const;
    const std::string& endpointText(std::uint32_t address, std::uint16_t port, std::string& scratch) const;

private:
    const Analysis& a_;
    std::vector<std::string> addressText_;
};

} // namespace twlens
