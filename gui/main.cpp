// SPDX-License-Identifier: GPL-3.0-or-later
#include <QApplication>
#include <QSettings>
#include <cstdio>

#include "gui/app/command_line.h"
#include "gui/app/main_window.h"
#include "gui/app/screenshot_mode.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("twlens"));
    QApplication::setApplicationName(QStringLiteral("twlens"));
    QApplication::setApplicationVersion(QStringLiteral(TWLENS_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/twlens.svg")));

    const twlens::CommandLine cl = twlens::parseCommandLine(QApplication::arguments());
    if (!cl.error.isEmpty()) {
        std::fprintf(stderr, "twlens: %s\n", qPrintable(cl.error));
        return 2;
    }
    twlens::MainWindow window;
    window.setOverrides(cl.overrides);
    if (!cl.screenshotDir.isEmpty()) {
        twlens::installScreenshotMode(&window, cl.screenshotDir);
        window.resize(1600, 1000);
    }
    window.show();

    // The first start with no file opens the bundled sample; later starts open empty.
    QSettings settings;
    const bool firstStart = !settings.value(QStringLiteral("started")).toBool();
    settings.setValue(QStringLiteral("started"), true);
    if (!cl.files.isEmpty())
        window.openFiles(cl.files);
    else if (cl.sample || firstStart || !cl.screenshotDir.isEmpty())
        window.openSample();
    return app.exec();
}
