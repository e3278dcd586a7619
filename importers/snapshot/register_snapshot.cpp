// SPDX-License-Identifier: GPL-3.0-or-later
// The snapshot importers (ss, netstat, sockstat, /proc/net/tcp, counters, sysctl, bundles),
// registered after the capture importers: their probes are text heuristics (confidence < 100),
// so magic-number formats always win.
#include "importers/registry.h"

namespace twlens {

void registerSnapshotImporters(ImporterRegistry& r)
{
    (void)r;
}

} // namespace twlens
