// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QScrollArea>

#include "core/presentation/overview_summary.h"

class QLabel;
class QVBoxLayout;

namespace twlens {

class SelectionState;

// The verdict first: connections, active closers, TIME_WAIT peak and when, lost final ACKs,
// hazards by kind, exhaustion headroom per destination, findings. Every number is a link that
// sets the connection filter (or selects what it names).
class OverviewView : public QScrollArea {
    Q_OBJECT
public:
    explicit OverviewView(SelectionState* selection, QWidget* parent = nullptr);
    // The selection's prepared summary (ViewData), which every card is written from.
    const OverviewSummary& summary() const;
    // The text of each card (for tests and accessibility), in display order.
    QStringList cardTexts() const;
    // Follows a link as a click would ("filter:closer:client", "connection:3", "hazard:5").
    void activateLink(const QString& link);

protected:
    void changeEvent(QEvent*) override;

private:
    void rebuild();
    QLabel* addCard(const QString& title, const QString& html, const QString& tooltipKey);

    SelectionState* selection_;
    QWidget* page_;
    QVBoxLayout* layout_;
    QList<QLabel*> cards_;
};

} // namespace twlens
