// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/message_panel.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QStyle>

namespace twlens {

MessagePanel::MessagePanel(QWidget* parent) : QTreeWidget(parent) {
    setHeaderLabels({tr("Level"), tr("Source"), tr("Message")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setStretchLastSection(true);
    setColumnWidth(0, 90);
    setColumnWidth(1, 220);
}

void MessagePanel::add(Level level, const QString& source, const QString& text) {
    static const char* const kNames[] = {"info", "warning", "error"};
    auto* item = new QTreeWidgetItem(this, {tr(kNames[int(level)]), source, text});
    const QStyle::StandardPixmap icon = level == Level::Error     ? QStyle::SP_MessageBoxCritical
                                        : level == Level::Warning ? QStyle::SP_MessageBoxWarning
                                                                  : QStyle::SP_MessageBoxInformation;
    item->setIcon(0, style()->standardIcon(icon));
    item->setData(0, Qt::UserRole, int(level));
    item->setToolTip(2, text);
    scrollToItem(item);
    emitCounts();
}

void MessagePanel::showInputWarnings(const Analysis& a) {
    // Keep app-level errors (failed opens); replace the live import warnings with the full list.
    for (int i = topLevelItemCount() - 1; i >= 0; --i)
        if (topLevelItem(i)->data(0, Qt::UserRole).toInt() == int(Level::Warning))
            delete takeTopLevelItem(i);
    for (const InputInfo& in : a.inputs) {
        const QString file = QFileInfo(QString::fromStdString(in.path)).fileName();
        for (const InputWarning& w : in.warnings)
            add(Level::Warning, file, QString::fromStdString(w.text()));
    }
    emitCounts();
}

int MessagePanel::count(Level level) const {
    int n = 0;
    for (int i = 0; i < topLevelItemCount(); ++i)
        n += topLevelItem(i)->data(0, Qt::UserRole).toInt() == int(level);
    return n;
}

void MessagePanel::emitCounts() { emit countsChanged(count(Level::Error), count(Level::Warning)); }

} // namespace twlens
