// SPDX-License-Identifier: GPL-3.0-or-later
// The one analysis a test runs over files on disk (importers/analyze_files.h, default settings
// unless the files include a sysctl input). A file that cannot be read at all stops the test
// program: every later check would fail for that reason alone.
#pragma once
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <memory>

#include "core/model/analysis.h"
#include "importers/analyze_files.h"

namespace twlens::testsupport {

inline std::shared_ptr<const Analysis> analyseFiles(const QStringList& files) {
    AnalyzeRequest r;
    for (const QString& f : files)
        r.paths.push_back(f.toStdString());
    auto result = analyzeFiles(r);
    if (!result)
        qFatal("%s", result.error().message.c_str());
    return *result;
}

} // namespace twlens::testsupport
