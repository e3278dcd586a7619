// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/import/progress_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

namespace twlens {

ProgressPanel::ProgressPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    label_ = new QLabel(this);
    bar_ = new QProgressBar(this);
    bar_->setRange(0, 1000);
    bar_->setTextVisible(false);
    bar_->setMaximumWidth(220);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setToolTip(tr("Stop reading; the previous analysis stays on screen"));
    layout->addWidget(label_, 1);
    layout->addWidget(bar_);
    layout->addWidget(cancel_);
    connect(cancel_, &QPushButton::clicked, this, &ProgressPanel::cancelRequested);
    showTimer_.setSingleShot(true);
    connect(&showTimer_, &QTimer::timeout, this, [this] { show(); });
    hide();
}

void ProgressPanel::begin(const QString& what) {
    what_ = what;
    label_->setText(tr("Reading %1…").arg(what));
    bar_->setValue(0);
    elapsed_.start();
    showTimer_.start(kShowDelayMs);
}

void ProgressPanel::update(const ImportProgress& p) {
    const QLocale loc;
    const double inputs = std::max<std::uint32_t>(p.inputCount, 1);
    const double within = p.bytesTotal ? double(p.bytesDone) / double(p.bytesTotal) : 0.0;
    const double fraction = std::clamp((p.input + within) / inputs, 0.0, 1.0);
    bar_->setValue(int(fraction * 1000));
    QString text = tr("%1 of %2 · %3 packets · %4 connections")
                       .arg(loc.formattedDataSize(qint64(p.bytesDone)), loc.formattedDataSize(qint64(p.bytesTotal)),
                            loc.toString(qulonglong(p.packets)), loc.toString(qulonglong(p.connections)));
    if (p.inputCount > 1)
        text.prepend(tr("file %1 of %2 · ").arg(p.input + 1).arg(p.inputCount));
    const qint64 ms = elapsed_.elapsed();
    if (fraction > 0.02 && ms > 500) {
        const qint64 left = qint64(double(ms) * (1.0 - fraction) / fraction / 1000.0);
        text += tr(" · about %1 s left").arg(left);
    }
    label_->setText(text);
}

void ProgressPanel::end() {
    showTimer_.stop();
    hide();
}

QString ProgressPanel::text() const { return label_->text(); }

} // namespace twlens
