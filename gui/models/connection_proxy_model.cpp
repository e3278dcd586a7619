// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/models/connection_proxy_model.h"

#include "gui/models/connection_table_model.h"

namespace twlens {

ConnectionProxyModel::ConnectionProxyModel(ConnectionTableModel* source, QObject* parent)
    : QSortFilterProxyModel(parent), source_(source) {
    setSourceModel(source);
    connect(source, &QAbstractItemModel::modelReset, this, &ConnectionProxyModel::analysisChanged);
    analysisChanged();
}

void ConnectionProxyModel::analysisChanged() {
    matcher_ = source_->analysis() ? std::make_unique<ConnectionMatcher>(*source_->analysis()) : nullptr;
    invalidateFilter();
}

void ConnectionProxyModel::setFilterText(const QString& text) {
    filter_ = parseConnectionFilter(text.toStdString());
    invalidateFilter();
}

bool ConnectionProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (sourceParent.isValid() || !matcher_ || filter_.empty())
        return true;
    return matcher_->matches(source_->analysis()->connections[std::size_t(sourceRow)], filter_);
}

bool ConnectionProxyModel::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const int c = source_->compare(left.row(), right.row(), left.column());
    return c != 0 ? c < 0 : left.row() < right.row();
}

} // namespace twlens
