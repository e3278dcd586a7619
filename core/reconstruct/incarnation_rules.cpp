// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/reconstruct/incarnation_rules.h"

namespace twlens::recon {

bool startsNewIncarnation(const LiveConnection& live, int dir, const Segment& syn) {
    const LiveDirection& d = live.dir[dir];
    const bool isnKnown =
        d.has(LiveDirection::SynNoAck) || d.has(LiveDirection::SynAck) || d.has(LiveDirection::IsnFromSynAck);
    if (isnKnown && syn.seq == d.isn)
        return false;
    if (live.has(LiveConnection::Closed))
        return true;
    if (syn.ts - live.lastTs >= kSilenceNs)
        return true;
    return d.has(LiveDirection::SynNoAck) && !d.has(LiveDirection::SentNonSyn);
}

int clientDirection(const LiveConnection& live, bool& rolesInferred) {
    rolesInferred = false;
    if (live.has(LiveConnection::AnySyn))
        return live.has(LiveConnection::FirstSynDir1) ? 1 : 0;
    const bool synAck0 = live.dir[0].has(LiveDirection::SynAck);
    const bool synAck1 = live.dir[1].has(LiveDirection::SynAck);
    if (synAck0 != synAck1)
        return synAck0 ? 1 : 0; // the SYN-ACK's receiver is the client
    rolesInferred = true;
    const std::uint16_t p0 = live.key.port[0], p1 = live.key.port[1];
    const bool wellKnown0 = p0 < 1024, wellKnown1 = p1 < 1024;
    if (wellKnown0 != wellKnown1)
        return wellKnown0 ? 1 : 0;
    if (p0 != p1)
        return p0 < p1 ? 1 : 0;
    return live.has(LiveConnection::FirstSegDir1) ? 1 : 0;
}

} // namespace twlens::recon
