// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <cstdint>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// The CSV of some connections, exactly as `twlens-cli --csv` writes them (core/output's
// writeCsv): the header and the records of `ids`, in the order given.
QString connectionsCsv(const Analysis& a, const std::vector<std::uint32_t>& ids);

} // namespace twlens
