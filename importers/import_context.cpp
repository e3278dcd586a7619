// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/importer.h"

namespace twlens {

void ImportContext::warn(InputWarning w) const {
    if (observer)
        observer->warning(inputIndex, w);
    if (info)
        info->warnings.push_back(std::move(w));
}

} // namespace twlens
