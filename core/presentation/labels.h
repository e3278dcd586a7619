// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>

#include "core/model/ip_address.h"

namespace twlens::labels {

// "10.0.0.1:40312" or "[2001:db8::1]:443": one end of a connection as people type it in a filter.
// (Enum spellings are core/output/contract_names.h; times and durations core/output/time_format.h.)
std::string endpoint(const IpAddress& ip, std::uint16_t port);

} // namespace twlens::labels
