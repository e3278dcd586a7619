// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/app/sample_files.h"

#include <QCoreApplication>
#include <QDir>

namespace twlens {

QStringList sampleFiles(QStringList* searched) {
    QStringList dirs;
    const QString env = qEnvironmentVariable("TWLENS_SAMPLES_DIR");
    if (!env.isEmpty())
        dirs << env;
    dirs << QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../") + QStringLiteral(TWLENS_INSTALL_SAMPLES_DIR));
    dirs << QStringLiteral(TWLENS_BUILD_SAMPLES_DIR);
    for (const QString& d : dirs) {
        QDir dir(d);
        if (searched)
            *searched << dir.absolutePath();
        if (!dir.exists())
            continue;
        QStringList files;
        const auto entries = dir.entryInfoList(QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& fi : entries) {
            const QString name = fi.fileName();
            // Documentation and build files that live beside the sample are not inputs.
            if (name.startsWith(QLatin1String("README"), Qt::CaseInsensitive) || name.endsWith(QLatin1String(".md")) ||
                name == QLatin1String("CMakeLists.txt") || name.endsWith(QLatin1String(".sha256")) ||
                name.endsWith(QLatin1String(".sh")) || name.startsWith(QLatin1Char('.')))
                continue;
            files << fi.absoluteFilePath();
        }
        if (!files.isEmpty())
            return files;
    }
    return {};
}

} // namespace twlens
