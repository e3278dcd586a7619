// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/model/connection.h"

namespace twlens {

// Spellings of the connection enums in the twlens/1 contract (shared/contract/cli-json.md);
// the JSON, CSV and text writers all use these so that they never disagree.
std::string_view closerName(Closer c);          // "none" | "client" | "server" | "both"
std::string_view closeKindName(CloseKind k);    // "open" | "fin" | "rst" | "simultaneous" | "half_closed"
std::string_view timeWaitEndName(TimeWaitEnd e); // "expired" | "reused" | "rst"
std::string_view sideName(Side s);              // "client" | "server"

// Connection::Flag bits as the snake_case words of the JSON "flags" key, in bit order.
std::vector<std::string_view> connectionFlagNames(std::uint16_t flags);

// VLAN IDs of an interned Segment::vlanStack value, outermost first (empty when untagged).
// Each tag takes 16 bits as (id | 0x1000) so that VLAN 0 still marks a tag; the outermost
// tag sits in the least significant group (importers/capture/link_layer.cpp shifts each
// further tag 16 bits up).
std::vector<std::uint16_t> vlanIds(std::uint64_t vlanStack);

} // namespace twlens
