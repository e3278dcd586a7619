// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>
#include <vector>

#include "core/model/analysis.h"

namespace twlens {

// One input as the report lists it: what it is, how big, its SHA-256 (so a reader can check they
// hold the same file) and the time it covers.
struct ReportInput {
    QString path;
    QString name;      // file name without the directory
    QString kind;      // contract spelling ("pcap", "ss", "sysctl", ...), "" when not analysed
    qint64 size = -1;  // bytes on disk, -1 when it cannot be read now
    QString sha256;    // lower-case hex, "" when the file cannot be read now (or is a directory)
    TimeNs first = kNoTime; // captures: first and last packet; snapshots: their time stamps
    TimeNs last = kNoTime;
    quint64 packets = 0;
    int warnings = 0;
};

// The analysed inputs (Analysis::inputs) in order, then any of `inputs` the analysis does not
// list. Reads each file once for its hash; never writes to it.
std::vector<ReportInput> reportInputs(const Analysis& a, const QStringList& inputs);

// SHA-256 of a file's bytes in lower-case hex; "" when it cannot be opened.
QString fileSha256(const QString& path);

} // namespace twlens
