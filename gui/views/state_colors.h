// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QColor>
#include <QPalette>

#include "core/model/hazard.h"
#include "core/model/tcp_state.h"

namespace twlens {

// Colours for states and severities, picked for the current palette: the same hues on light and
// dark backgrounds, lighter or darker so they stay readable. Views call this on every paint
// (cheap) so a QEvent::PaletteChange only needs an update().
class StateColors {
public:
    explicit StateColors(const QPalette& palette);
    QColor state(TcpState s) const;
    QColor severity(Severity s) const;
    QColor timeWait() const { return state(TcpState::TimeWait); }
    QColor reuseLink() const;
    QColor selection() const { return palette_.color(QPalette::Highlight); }
    QColor text() const { return palette_.color(QPalette::WindowText); }
    QColor mutedText() const;
    QColor grid() const;
    QColor base() const { return palette_.color(QPalette::Base); }
    bool dark() const { return dark_; }

private:
    QColor adapt(QColor c) const;
    QPalette palette_;
    bool dark_ = false;
};

} // namespace twlens
