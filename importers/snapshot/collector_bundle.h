// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/model/result.h"
#include "core/model/time.h"

namespace twlens {

// A twlens-collect bundle (installer/twlens-collect): a .tar.gz, or the directory it unpacks to,
// holding "twlens-index.tsv" and the files it lists. The index is the tar's first member, so a
// bundle is recognised from the first bytes of the gunzipped stream, and its lines are
//   # twlens-collect bundle 1
//   MEMBER<TAB>KIND<TAB>EPOCH<TAB>NOTE
// MEMBER is relative to the bundle root; KIND is one of ss, ss_summary, sockstat, sockstat6,
// proc_net_netstat, sysctl, pcap (inputs twlens reads), info (uname, ip addresses: kept for the
// reader, not analysed) or skipped (NOTE says why, e.g. the capture needs root); EPOCH is when
// the collector took it (date +%s.%N).
inline constexpr std::string_view kBundleIndexName = "twlens-index.tsv";
inline constexpr std::string_view kBundleIndexMagic = "# twlens-collect bundle";

struct BundleMember {
    std::string name;         // as in the index ("ss-tano/0003.txt")
    std::string displayPath;  // "BUNDLE!name": what reports call it
    std::string filePath;     // where to read it: inside the directory, or extracted
    std::string kind;         // the index's KIND
    TimeNs indexTime = kNoTime;
};

// The members of one bundle that twlens reads, plus the index's notes on what the collector
// skipped. Extracted members live in a private temporary directory removed with this object.
class ExpandedBundle {
public:
    ExpandedBundle() = default;
    ~ExpandedBundle();
    ExpandedBundle(ExpandedBundle&& other) noexcept;
    ExpandedBundle& operator=(ExpandedBundle&& other) noexcept;
    ExpandedBundle(const ExpandedBundle&) = delete;
    ExpandedBundle& operator=(const ExpandedBundle&) = delete;

    std::vector<BundleMember> members;  // importable members in index order
    std::vector<std::string> notes;     // "tcpdump capture: skipped (needs root)", bad index lines
    std::string tempDir;                // empty for a directory bundle
};

// True when `path` is a bundle: a directory holding twlens-index.tsv (at its top or in its one
// subdirectory), or a (gzip-compressed) tar whose first member is a twlens-index.tsv that
// starts with the magic line. Decided by content, never by the file name.
bool isCollectorBundle(const std::string& path);

// Reads the index and makes every importable member readable as a plain file.
Result<ExpandedBundle> expandCollectorBundle(const std::string& path);

struct InputPlan;
// expandInputs()'s bundle step: when `path` is a bundle, appends its members to `plan` (each
// with its display path "BUNDLE!member" and index time, the first carrying the index's notes)
// and keeps the unpacked files alive with the plan; answers false when `path` is not a bundle.
// An Error when it is one but cannot be read, or holds nothing twlens reads.
Result<bool> addCollectorBundle(const std::string& path, InputPlan& plan);

// Parses index text; exposed for tests and fuzzing. Lines that cannot be read go to `notes`.
std::vector<BundleMember> parseBundleIndex(std::string_view text, std::vector<std::string>& notes);

} // namespace twlens
