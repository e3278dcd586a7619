// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QStringList>

namespace twlens {

// Recently opened input sets (several files analysed together count as one entry), newest
// first, kept in QSettings.
class RecentFiles {
public:
    static constexpr int kMax = 10;
    static QList<QStringList> load();
    static void add(const QStringList& files);
    static void clear();
    static QString label(const QStringList& files); // "capture.pcap (+2 more)"
};

} // namespace twlens
