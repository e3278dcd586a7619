// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/offscreen_app.h"

#include <cstdio>

namespace twlens::cli {

namespace {

// Qt's own notes (no XDG_RUNTIME_DIR, offscreen plugin limits) are not the user's business on a
// command line; its critical errors still are.
void quietQtMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
    if (type == QtCriticalMsg || type == QtFatalMsg)
        std::fprintf(stderr, "twlens-cli: %s\n", message.toLocal8Bit().constData());
}

} // namespace

std::unique_ptr<QApplication> makeOffscreenApplication() {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quietQtMessages);
    // QApplication keeps references to argc and argv for its whole life.
    static int argc = 1;
    static char name[] = "twlens-cli";
    static char* argv[] = {name, nullptr};
    return std::make_unique<QApplication>(argc, argv);
}

} // namespace twlens::cli
