// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QString>
#include <QStringList>

namespace twlens {

// The bundled sample (resources/samples: a capture of a client exhausting its ports, with its ss
// snapshots and sysctl output). Looked up, in order: $TWLENS_SAMPLES_DIR, the install tree next
// to the executable (../share/twlens/samples), the source tree the build came from. Files are
// read in place (no copy). Empty when none is found; `searched` lists where it looked.
QStringList sampleFiles(QStringList* searched = nullptr);

} // namespace twlens
