// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

#include "core/model/settings.h"

class QCoreApplication;

namespace twlens {

// What `twlens [options] [FILE...]` asked for. The analysis options are the ones every front end
// shares (cli-json.md): --tw-seconds, --port-range, --tw-reuse, --rfc1337.
struct CommandLine {
    QStringList files;
    bool sample = false;
    QString screenshotDir;      // hidden: grab each view to PNG files there, then quit
    SettingsOverrides overrides;
    QString error;              // set when an option value is invalid
};

CommandLine parseCommandLine(const QStringList& arguments);

} // namespace twlens
