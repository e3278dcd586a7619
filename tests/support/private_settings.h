// SPDX-License-Identifier: GPL-3.0-or-later
// QSettings of a test program's own: the windows and dialogs under test remember things (recent
// files, layout, the export directory), and neither the user's settings nor another build tree's
// run of the same test at the same moment may see them (a shared file let one run's clear()
// empty another's recent files).
#pragma once
#include <QCoreApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

namespace twlens::testsupport {

class PrivateSettings {
public:
    // Call first in initTestCase(); false when the temporary directory cannot be made.
    bool use(const QString& testName) {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("twlens-tests"));
        QCoreApplication::setApplicationName(testName);
        if (!dir_.isValid())
            return false;
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.path());
        return true;
    }

private:
    QTemporaryDir dir_;
};

} // namespace twlens::testsupport
