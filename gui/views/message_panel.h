// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QTreeWidget>

#include "core/model/analysis.h"

namespace twlens {

// Errors and warnings from the importers and the app, one line each with the file and where in
// it (byte offset or line): a panel instead of a storm of modal dialogs.
class MessagePanel : public QTreeWidget {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    explicit MessagePanel(QWidget* parent = nullptr);

    void add(Level level, const QString& source, const QString& text);
    // Replaces the import-time messages with the complete warnings of the analysis' inputs.
    void showInputWarnings(const Analysis& a);
    int count(Level level) const;

signals:
    void countsChanged(int errors, int warnings);

private:
    void emitCounts();
};

} // namespace twlens
