// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/connections_view.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

#include "gui/models/connection_proxy_model.h"
#include "gui/models/connection_table_model.h"
#include "gui/state/selection_state.h"
#include "gui/views/connections_csv.h"

namespace twlens {

ConnectionsView::ConnectionsView(SelectionState* selection, QWidget* parent)
    : QWidget(parent), selection_(selection), model_(new ConnectionTableModel(this)),
      proxy_(new ConnectionProxyModel(model_, this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    filter_ = new QLineEdit(this);
    filter_->setClearButtonEnabled(true);
    filter_->setPlaceholderText(tr("Filter: 10.0.0.7  443  closer:client  close:rst  hazard:any  is:lost-final-ack  is:reused"));
    filter_->setToolTip(tr("Words combine with AND.\n"
                           "address or ip:port text (either end), a port number (either end)\n"
                           "client:TEXT, server:TEXT, port:N\n"
                           "closer:client|server|both|none (who sent the first FIN)\n"
                           "close:fin|rst|simultaneous|half_closed|open\n"
                           "hazard:any or hazard:KIND (lost_final_ack, time_wait_assassination, ...)\n"
                           "is:lost-final-ack, is:time-wait, is:reused, is:roles-inferred"));
    count_ = new QLabel(this);
    bar->addWidget(filter_, 1);
    bar->addWidget(count_);
    layout->addLayout(bar);

    table_ = new QTableView(this);
    table_->setModel(proxy_);
    // Unsorted is id order already (the model's rows): no sort pass over every row on arrival;
    // a header click sorts the table model (ConnectionTableModel::sort).
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    table_->setSortingEnabled(true);
    proxy_->followFilter(selection_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->horizontalHeader()->setSectionsMovable(true);
    table_->horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    table_->horizontalHeader()->setDefaultSectionSize(96);
    table_->setColumnWidth(ConnectionTableModel::Id, 56);
    table_->setColumnWidth(ConnectionTableModel::Client, 170);
    table_->setColumnWidth(ConnectionTableModel::Server, 170);
    table_->setColumnWidth(ConnectionTableModel::Hazards, 200);
    table_->setContextMenuPolicy(Qt::ActionsContextMenu);
    layout->addWidget(table_, 1);

    auto* copySel = new QAction(tr("Copy selected rows as CSV"), table_);
    copySel->setShortcut(QKeySequence::Copy);
    copySel->setShortcutContext(Qt::WidgetShortcut);
    connect(copySel, &QAction::triggered, this, [this] { copyCsv(true); });
    table_->addAction(copySel);
    auto* copyAll = new QAction(tr("Copy all shown rows as CSV"), table_);
    connect(copyAll, &QAction::triggered, this, [this] { copyCsv(false); });
    table_->addAction(copyAll);

    connect(table_->horizontalHeader(), &QWidget::customContextMenuRequested, this, &ConnectionsView::showColumnMenu);
    connect(filter_, &QLineEdit::textChanged, selection_, &SelectionState::setFilterText);
    connect(selection_, &SelectionState::filterChanged, this, [this](const QString& text) {
        if (filter_->text() != text)
            filter_->setText(text);
        proxy_->selectionFilterChanged();
        const bool bad = !selection_->filter().errors.empty();
        filter_->setStyleSheet(bad ? QStringLiteral("QLineEdit { color: palette(link-visited); }") : QString());
        updateCount();
    });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (syncing_ || !current.isValid())
            return;
        selection_->selectConnection(current.data(ConnectionTableModel::ConnectionRole).toUInt());
    });
    connect(selection_, &SelectionState::analysisChanged, this, &ConnectionsView::onAnalysisChanged);
    connect(selection_, &SelectionState::connectionSelected, this, &ConnectionsView::onConnectionSelected);
    onAnalysisChanged();
}

void ConnectionsView::onAnalysisChanged() {
    // A column sort chosen for the previous analysis would sort every new row on the GUI thread;
    // the new analysis opens in id order (clicking a header sorts it).
    table_->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    model_->setAnalysis(selection_->analysis());
    updateCount();
}

void ConnectionsView::updateCount() {
    const int all = model_->rowCount();
    const int shown = proxy_->rowCount();
    count_->setText(shown == all ? tr("%L1 connections").arg(all) : tr("%L1 of %L2 connections").arg(shown).arg(all));
}

void ConnectionsView::onConnectionSelected(std::uint32_t id) {
    if (id == kNoIndex || int(id) >= model_->rowCount())
        return;
    const QModelIndex current = table_->currentIndex();
    if (current.isValid() && current.data(ConnectionTableModel::ConnectionRole).toUInt() == id)
        return;
    const QModelIndex idx = proxy_->mapFromSource(model_->index(model_->rowOfConnection(id), 0));
    if (!idx.isValid())
        return;
    syncing_ = true;
    table_->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(idx, QAbstractItemView::PositionAtCenter);
    syncing_ = false;
}

void ConnectionsView::showColumnMenu(const QPoint& pos) {
    QMenu menu(this);
    for (int c = 0; c < model_->columnCount(); ++c) {
        QAction* a = menu.addAction(model_->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!table_->isColumnHidden(c));
        connect(a, &QAction::toggled, this, [this, c](bool on) { table_->setColumnHidden(c, !on); });
    }
    menu.exec(table_->horizontalHeader()->mapToGlobal(pos));
}

QString ConnectionsView::csv(bool selectedOnly) const {
    const auto& a = selection_->analysis();
    if (!a)
        return {};
    std::vector<std::uint32_t> ids;
    if (selectedOnly) {
        for (const QModelIndex& idx : table_->selectionModel()->selectedRows())
            ids.push_back(idx.data(ConnectionTableModel::ConnectionRole).toUInt());
        std::sort(ids.begin(), ids.end());
    } else {
        ids.reserve(std::size_t(proxy_->rowCount()));
        for (int r = 0; r < proxy_->rowCount(); ++r)
            ids.push_back(proxy_->index(r, 0).data(ConnectionTableModel::ConnectionRole).toUInt());
    }
    return connectionsCsv(*a, ids);
}

void ConnectionsView::copyCsv(bool selectedOnly) const { QApplication::clipboard()->setText(csv(selectedOnly)); }

} // namespace twlens
