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
    invalidateFilter();
}

bool ConnectionProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (sourceParent.isValid())
        return true;
    // Rows are connections in id order (ConnectionTableModel).
    if (selection_)
        return selection_->passesFilter(std::uint32_t(sourceRow));
    if (!matcher_ || filter_.empty())
        return true;
    return matcher_->matches(source_->analysis()->connections[std::size_t(sourceRow)], filter_);
}

bool ConnectionProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const int c = source_->compare(left.row(), right.row(), left.column());
    return c != 0 ? c < 0 : left.row() < right.row();
}

} // namespace twlens
