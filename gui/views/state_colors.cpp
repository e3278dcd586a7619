// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/views/state_colors.h"

namespace twlens {

StateColors::StateColors(const QPalette& palette) : palette_(palette) {
    dark_ = palette.color(QPalette::Base).lightnessF() < 0.5;
}

QColor StateColors::adapt(QColor c) const { return dark_ ? c.lighter(115) : c; }

QColor StateColors::state(TcpState s) const {
    switch (s) {
    case TcpState::SynSent:
    case TcpState::SynRecv:
        return adapt(QColor(0x8e, 0xa9, 0xc8));      // handshake: slate blue
    case TcpState::Established:
        return adapt(QColor(0x4c, 0x8b, 0xc9));      // open: blue
    case TcpState::FinWait1:
    case TcpState::FinWait2:
    case TcpState::Closing:
        return adapt(QColor(0xe0, 0x9f, 0x3e));      // active close: amber
    case TcpState::CloseWait:
    case TcpState::LastAck:
        return adapt(QColor(0x9b, 0x7e, 0xc8));      // passive close: violet
    case TcpState::TimeWait:
        return adapt(QColor(0xd9, 0x5f, 0x4b));      // TIME-WAIT: brick red
    case TcpState::Listen:
    case TcpState::Closed:
    case TcpState::None:
        break;
    }
    return dark_ ? QColor(0x70, 0x70, 0x70) : QColor(0xb0, 0xb0, 0xb0);
}

QColor StateColors::severity(Severity s) const {
    switch (s) {
    case Severity::Critical:
        return dark_ ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc0, 0x1c, 0x28);
    case Severity::Warning:
        return dark_ ? QColor(0xf6, 0xc1, 0x43) : QColor(0xb5, 0x6b, 0x00);
    case Severity::Info:
        break;
    }
    return dark_ ? QColor(0x7a, 0xb8, 0xf5) : QColor(0x1c, 0x6b, 0xc0);
}

QColor StateColors::reuseLink() const { return dark_ ? QColor(0xf0, 0xf0, 0xf0) : QColor(0x30, 0x30, 0x30); }

QColor StateColors::mutedText() const {
    QColor c = text();
    c.setAlphaF(0.6f);
    return c;
}

QColor StateColors::grid() const {
    QColor c = text();
    c.setAlphaF(0.12f);
    return c;
}

} // namespace twlens
