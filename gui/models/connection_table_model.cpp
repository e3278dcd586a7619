// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/models/connection_table_model.h"

#include <QString>
#include <algorithm>

#include "core/output/contract_names.h"
#include "core/output/time_format.h"
#include "core/presentation/labels.h"
#include "core/presentation/state_spans.h"
#include "gui/views/help_texts.h"

namespace twlens {

namespace {

QString seconds(TimeNs d) { return QString::number(toSeconds(d), 'f', 6); }

QString hazardKinds(const Analysis& a, const Connection& c) {
    QString out;
    for (const Hazard& h : a.hazardsOf(c)) {
        const QString k = QString::fromStdString(h.kind);
        if (!out.split(QLatin1Char(' '), Qt::SkipEmptyParts).contains(k)) {
            if (!out.isEmpty())
                out += QLatin1Char(' ');
            out += k;
        }
    }
    return out;
}

TimeNs timeWaitLength(const Connection& c) {
    TimeNs longest = 0;
    for (std::uint8_t i = 0; i < c.timeWaitCount; ++i)
        longest = std::max(longest, c.timeWait[i].end - c.timeWait[i].start);
    return longest;
}

} // namespace

ConnectionTableModel::ConnectionTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ConnectionTableModel::setAnalysis(std::shared_ptr<const Analysis> analysis) {
    beginResetModel();
    analysis_ = std::move(analysis);
    order_.clear();
    rowOf_.clear();
    origin_ = analysis_ ? captureStartOf(*analysis_) : 0;
    endResetModel();
}

int ConnectionTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !analysis_ ? 0 : int(analysis_->connections.size());
}

int ConnectionTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString ConnectionTableModel::text(int row, int column) const {
    const Analysis& a = *analysis_;
    const Connection& c = a.connections[connectionAt(row)];
    switch (column) {
    case Id:
        return QString::number(c.id);
    case Client:
        return QString::fromStdString(labels::endpoint(a.clientIp(c), c.clientPort));
    case Server:
        return QString::fromStdString(labels::endpoint(a.serverIp(c), c.serverPort));
    case Start:
        return seconds(c.start - origin_);
    case Duration:
        return seconds(c.end - c.start);
    case ActiveCloser:
        return QString::fromLatin1(closerName(c.activeCloser));
    case CloseKind:
        return QString::fromLatin1(closeKindName(c.closeKind));
    case TimeWaitSide: {
        QString sides;
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
            if (!sides.isEmpty())
                sides += QLatin1Char(' ');
            sides += QString::fromLatin1(sideName(c.timeWait[i].side));
        }
        return sides;
    }
    case TimeWaitEnd: {
        QString ends;
        for (std::uint8_t i = 0; i < c.timeWaitCount; ++i) {
            if (!ends.isEmpty())
                ends += QLatin1Char(' ');
            ends += QString::fromLatin1(timeWaitEndName(c.timeWait[i].reason));
        }
        return ends;
    }
    case TimeWaitLength:
        return c.timeWaitCount ? seconds(timeWaitLength(c)) : QString();
    case FinRetransmissions:
        return QString::number(c.finRetransmissions);
    case LostFinalAck:
        return c.has(Connection::LostFinalAck) ? QStringLiteral("yes") : QString();
    case ReuseGap:
        return c.reuseGap == kNoTime ? QString() : seconds(c.reuseGap);
    case Hazards:
        return hazardKinds(a, c);
    case Packets:
        return QString::number(qulonglong(c.packets[0]) + c.packets[1]);
    default:
        return {};
    }
}

double ConnectionTableModel::sortKey(const Connection& c, int column) const {
    switch (column) {
    case Start:
        return double(c.start);
    case Duration:
        return double(c.end - c.start);
    case ActiveCloser:
        return double(c.activeCloser);
    case CloseKind:
        return double(c.closeKind);
    case TimeWaitSide:
        return c.timeWaitCount ? 1.0 + double(c.timeWait[0].side) + 2.0 * (c.timeWaitCount - 1) : 0.0;
    case TimeWaitEnd:
        return c.timeWaitCount ? 1.0 + double(c.timeWait[0].reason) : 0.0;
    case TimeWaitLength:
        return double(timeWaitLength(c));
    case FinRetransmissions:
        return c.finRetransmissions;
    case LostFinalAck:
        return c.has(Connection::LostFinalAck) ? 1.0 : 0.0;
    case ReuseGap:
        return c.reuseGap == kNoTime ? -1.0 : double(c.reuseGap);
    case Hazards:
        return c.hazardCount;
    case Packets:
        return double(c.packets[0]) + c.packets[1];
    default:
        return c.id;
    }
}

int ConnectionTableModel::compare(std::uint32_t left, std::uint32_t right, int column) const {
    const Analysis& a = *analysis_;
    const Connection& l = a.connections[left];
    const Connection& r = a.connections[right];
    if (column == Client || column == Server) {
        // Address, then port: numeric order, not text order (10.0.0.10 after 10.0.0.9).
        const bool client = column == Client;
        const IpAddress& li = a.addresses[client ? l.clientAddr : l.serverAddr];
        const IpAddress& ri = a.addresses[client ? r.clientAddr : r.serverAddr];
        if (li != ri)
            return li < ri ? -1 : 1;
        const int lp = client ? l.clientPort : l.serverPort;
        const int rp = client ? r.clientPort : r.serverPort;
        return lp - rp;
    }
    const double lk = sortKey(l, column), rk = sortKey(r, column);
    return lk < rk ? -1 : (lk > rk ? 1 : 0);
}

QVariant ConnectionTableModel::data(const QModelIndex& index, int role) const {
    if (!analysis_ || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Connection& c = analysis_->connections[connectionAt(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return text(index.row(), index.column());
    case SortRole:
        return sortKey(c, index.column());
    case ConnectionRole:
        return QVariant::fromValue(c.id);
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Id:
        case Start:
        case Duration:
        case TimeWaitLength:
        case FinRetransmissions:
        case ReuseGap:
        case Packets:
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
        }
    case Qt::ToolTipRole:
        if (index.column() == Hazards && c.hazardCount) {
            QStringList lines;
            for (const Hazard& h : analysis_->hazardsOf(c))
                lines << QStringLiteral("%1 (%2)").arg(QString::fromStdString(h.summary), QString::fromStdString(h.reference));
            return lines.join(QLatin1Char('\n'));
        }
        return {};
    default:
        return {};
    }
}

void ConnectionTableModel::sort(int column, Qt::SortOrder order) {
    if (!analysis_ || (column < 0 && order_.empty()))
        return;
    const std::size_t n = analysis_->connections.size();
    std::vector<std::uint32_t> sorted;
    if (column >= 0) {
        sorted.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            sorted[i] = std::uint32_t(i);
        const bool ascending = order == Qt::AscendingOrder;
        if (column == Client || column == Server) {
            std::stable_sort(sorted.begin(), sorted.end(), [&](std::uint32_t l, std::uint32_t r) {
                const int c = compare(l, r, column);
                return ascending ? c < 0 : c > 0;
            });
        } else {
            std::vector<double> keys(n);
            for (std::size_t i = 0; i < n; ++i)
                keys[i] = sortKey(analysis_->connections[i], column);
            std::stable_sort(sorted.begin(), sorted.end(), [&](std::uint32_t l, std::uint32_t r) {
                return ascending ? keys[l] < keys[r] : keys[l] > keys[r];
            });
        }
    }
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<std::uint32_t> connections;
    connections.reserve(before.size());
    for (const QModelIndex& i : before)
        connections << connectionAt(i.row());
    order_ = std::move(sorted);
    rowOf_.clear();
    if (!order_.empty()) {
        rowOf_.resize(n);
        for (std::size_t row = 0; row < n; ++row)
            rowOf_[order_[row]] = std::uint32_t(row);
    }
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i)
        after << index(rowOfConnection(connections[i]), before[i].column());
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QVariant ConnectionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const kTitles[ColumnCount] = {
        "#",           "Client",    "Server",      "Start (s)",     "Duration (s)",  "Active closer", "Close",
        "TIME_WAIT at", "TIME_WAIT end", "TIME_WAIT (s)", "FIN retx", "Lost final ACK", "Reuse gap (s)", "Hazards",
        "Packets"};
    static const char* const kTipKeys[ColumnCount] = {
        "column.id",          "column.client",        "column.server",        "column.start",
        "column.duration",    "column.active_closer", "column.close_kind",    "column.time_wait_side",
        "column.time_wait_end", "column.time_wait_length", "column.fin_retransmissions", "column.lost_final_ack",
        "column.reuse_gap",   "column.hazards",       "column.packets"};
    if (role == Qt::DisplayRole)
        return tr(kTitles[section]);
    if (role == Qt::ToolTipRole)
        return HelpTexts::tooltip(QString::fromLatin1(kTipKeys[section]));
    return {};
}

} // namespace twlens
