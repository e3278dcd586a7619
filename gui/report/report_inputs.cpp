// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/report/report_inputs.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <algorithm>

namespace twlens {

QString fileSha256(const QString& path) {
    QFile f(path);
    if (!QFileInfo(path).isFile() || !f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

namespace {

ReportInput describeFile(const QString& path) {
    ReportInput r;
    r.path = path;
    const QFileInfo info(path);
    r.name = info.fileName().isEmpty() ? path : info.fileName();
    if (info.isFile())
        r.size = info.size();
    r.sha256 = fileSha256(path);
    return r;
}

} // namespace

std::vector<ReportInput> reportInputs(const Analysis& a, const QStringList& inputs) {
    std::vector<ReportInput> rows;
    for (std::size_t i = 0; i < a.inputs.size(); ++i) {
        const InputInfo& in = a.inputs[i];
        ReportInput r = describeFile(QString::fromStdString(in.path));
        r.kind = QString::fromUtf8(inputKindName(in.kind).data(), static_cast<qsizetype>(inputKindName(in.kind).size()));
        if (r.size < 0)
            r.size = static_cast<qint64>(in.sizeBytes);
        r.first = in.firstTs;
        r.last = in.lastTs;
        r.packets = in.packets;
        r.warnings = static_cast<int>(in.warnings.size());
        // Snapshot inputs carry no packet times; their span is that of the snapshots they held.
        for (const SocketSnapshot& s : a.snapshots) {
            if (s.input != i || s.ts == kNoTime)
                continue;
            r.first = r.first == kNoTime ? s.ts : std::min(r.first, s.ts);
            r.last = r.last == kNoTime ? s.ts : std::max(r.last, s.ts);
        }
        rows.push_back(std::move(r));
    }
    for (const QString& path : inputs) {
        const QString canonical = QFileInfo(path).canonicalFilePath();
        const bool listed = std::any_of(rows.begin(), rows.end(), [&](const ReportInput& r) {
            return r.path == path || (!canonical.isEmpty() && QFileInfo(r.path).canonicalFilePath() == canonical);
        });
        if (!listed)
            rows.push_back(describeFile(path));
    }
    return rows;
}

} // namespace twlens
