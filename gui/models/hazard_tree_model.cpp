// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/models/hazard_tree_model.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

#include "core/presentation/labels.h"
#include "core/presentation/state_spans.h"
#include "gui/views/state_colors.h"

namespace twlens {

HazardTreeModel::HazardTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

void HazardTreeModel::setAnalysis(std::shared_ptr<const Analysis> analysis) {
    std::vector<HazardGroup> groups = analysis ? groupHazards(*analysis) : std::vector<HazardGroup>{};
    setAnalysis(std::move(analysis), std::move(groups));
}

void HazardTreeModel::setAnalysis(std::shared_ptr<const Analysis> analysis, std::vector<HazardGroup> groups) {
    beginResetModel();
    analysis_ = std::move(analysis);
    groups_ = analysis_ ? std::move(groups) : std::vector<HazardGroup>{};
    origin_ = analysis_ ? captureStartOf(*analysis_) : 0;
    endResetModel();
}

// Group rows carry kGroup as internal id; hazard rows carry their group's index.
QModelIndex HazardTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < int(groups_.size()) ? createIndex(row, column, kGroup) : QModelIndex();
    if (parent.internalId() != kGroup || parent.row() >= int(groups_.size()))
        return {};
    if (row >= int(groups_[std::size_t(parent.row())].hazards.size()))
        return {};
    return createIndex(row, column, quintptr(parent.row()));
}

QModelIndex HazardTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kGroup)
        return {};
    return createIndex(int(child.internalId()), 0, kGroup);
}

int HazardTreeModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return int(groups_.size());
    if (parent.column() != 0 || parent.internalId() != kGroup)
        return 0;
    return int(groups_[std::size_t(parent.row())].hazards.size());
}

int HazardTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant HazardTreeModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !analysis_)
        return {};
    const bool group = index.internalId() == kGroup;
    const HazardGroup& g = groups_[std::size_t(group ? index.row() : int(index.internalId()))];
    if (group) {
        switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
            case Summary:
                return QStringLiteral("%1 (%2)").arg(QString::fromStdString(g.kind)).arg(g.hazards.size());
            case Severity:
                return QString::fromLatin1(severityName(g.worst));
            default:
                return {};
            }
        case Qt::ForegroundRole:
            if (index.column() == Severity)
                return QBrush(StateColors(QGuiApplication::palette()).severity(g.worst));
            return {};
        case KindRole:
            return QString::fromStdString(g.kind);
        case HazardRole:
            return {};
        default:
            return {};
        }
    }
    const std::uint32_t hi = g.hazards[std::size_t(index.row())];
    const Hazard& h = analysis_->hazards[hi];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Summary:
            return QString::fromStdString(h.summary);
        case Severity:
            return QString::fromLatin1(severityName(h.severity));
        case Connection:
            return h.connection == kNoIndex ? QString() : QStringLiteral("#%1").arg(h.connection);
        case Time:
            return QStringLiteral("+%1 s").arg(toSeconds(h.ts - origin_), 0, 'f', 6);
        case Reference:
            return QString::fromStdString(h.reference);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        QString tip = QString::fromStdString(h.summary) + QLatin1Char('\n') + QString::fromStdString(h.reference);
        if (!h.evidenceFrames.empty()) {
            QStringList frames;
            for (std::uint32_t f : h.evidenceFrames)
                frames << QString::number(f);
            tip += QLatin1Char('\n') + tr("Evidence frames: %1").arg(frames.join(QStringLiteral(", ")));
        }
        return tip;
    }
    case Qt::ForegroundRole:
        if (index.column() == Severity)
            return QBrush(StateColors(QGuiApplication::palette()).severity(h.severity));
        return {};
    case HazardRole:
        return QVariant::fromValue(hi);
    case KindRole:
        return QString::fromStdString(h.kind);
    default:
        return {};
    }
}

QVariant HazardTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char* const kTitles[ColumnCount] = {"Hazard", "Severity", "Connection", "Time", "Reference"};
    return tr(kTitles[section]);
}

QModelIndex HazardTreeModel::indexOfHazard(std::uint32_t hazard) const {
    for (std::size_t g = 0; g < groups_.size(); ++g)
        for (std::size_t i = 0; i < groups_[g].hazards.size(); ++i)
            if (groups_[g].hazards[i] == hazard)
                return index(int(i), 0, index(int(g), 0));
    return {};
}

} // namespace twlens
