// SPDX-License-Identifier: GPL-3.0-or-later
// The snapshot importers (ss, netstat, sockstat, /proc/net/tcp, counters, sysctl, bundles),
// registered after the capture importers: their probes are text heuristics (confidence < 100),
// so magic-number formats always win.
#include <memory>

#include "importers/registry.h"
#include "importers/snapshot/netstat_importer.h"
#include "importers/snapshot/proc_net_tcp_importer.h"
#include "importers/snapshot/sockstat_importer.h"
#include "importers/snapshot/ss_sockets_importer.h"
#include "importers/snapshot/ss_summary_importer.h"
#include "importers/snapshot/sysctl_importer.h"
#include "importers/snapshot/tcp_counters_importer.h"

namespace twlens {

void registerSnapshotImporters(ImporterRegistry& r) {
    r.add(std::make_unique<SsSocketsImporter>());
    r.add(std::make_unique<SsSummaryImporter>());
    r.add(std::make_unique<NetstatImporter>());
    r.add(std::make_unique<ProcNetTcpImporter>());
    r.add(std::make_unique<SockstatImporter>());
    r.add(std::make_unique<TcpCountersImporter>());
    r.add(std::make_unique<SysctlImporter>());
}

} // namespace twlens
