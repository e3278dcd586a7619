// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/models/connection_proxy_model.h"

#include "gui/models/connection_table_model.h"
#include "gui/state/selection_state.h"

namespace twlens {

ConnectionProxyModel::ConnectionProxyModel(ConnectionTableModel* source, QObject* parent)
    : QSortFilterProxyModel(parent), source_(source) {
    setSourceModel(source);
    connect(source, &QAbstractItemModel::modelReset, this, &ConnectionProxyModel::analysisChanged);
    analysisChanged();
}

void ConnectionProxyModel::analysisChanged() {
    // Following the selection, its prepared matcher serves; no pass over the addresses here.
    matcher_ = source_->analysis() && !selection_ ? std::make_unique<ConnectionMatcher>(*source_->analysis()) : nullptr;
    invalidateFilter();
}

void ConnectionProxyModel::setFilterText(const QString& text) {
    filter_ = parseConnectionFilter(text.toStdString());
    invalidateFilter();
}

void ConnectionProxyModel::followFilter(const SelectionState* selection) {
    selection_ = selection;
    analysisChanged(); // the own matcher exactly when not following
}

bool ConnectionProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (sourceParent.isValid())
        return true;
    const std::uint32_t connection = source_->connectionAt(sourceRow);
    if (selection_)
        return selection_->passesFilter(connection);
    if (!matcher_ || filter_.empty())
        return true;
    return matcher_->matches(source_->analysis()->connections[connection], filter_);
}

void ConnectionProxyModel::sort(int column, Qt::SortOrder order) { source_->sort(column, order); }

} // namespace twlens
