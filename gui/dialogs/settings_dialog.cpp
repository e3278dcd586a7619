// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/dialogs/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

#include "gui/views/help_texts.h"

namespace twlens {

namespace {
QString sourceText(const std::string& source) {
    return QObject::tr("in effect from: %1").arg(QString::fromStdString(source));
}
} // namespace

SettingsDialog::SettingsDialog(const Settings& s, const SettingsOverrides& o, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Analysis settings"));
    auto* layout = new QVBoxLayout(this);
    auto* grid = new QGridLayout;
    layout->addLayout(grid);
    int row = 0;
    auto addRow = [&](const QString& name, QCheckBox* box, QWidget* editor, const std::string& source, const QString& tipKey) {
        auto* label = new QLabel(name, this);
        const QString tip = HelpTexts::tooltip(tipKey);
        label->setToolTip(tip);
        editor->setToolTip(tip);
        box->setToolTip(tr("Use this value instead of the sysctl input or the default"));
        grid->addWidget(label, row, 0);
        grid->addWidget(editor, row, 1);
        grid->addWidget(box, row, 2);
        auto* src = new QLabel(sourceText(source), this);
        src->setEnabled(false);
        grid->addWidget(src, row, 3);
        editor->setEnabled(box->isChecked());
        connect(box, &QCheckBox::toggled, editor, &QWidget::setEnabled);
        ++row;
    };

    overrideTw_ = new QCheckBox(tr("override"), this);
    overrideTw_->setChecked(o.hasTwSeconds);
    tw_ = new QDoubleSpinBox(this);
    tw_->setRange(0.001, 3600);
    tw_->setDecimals(3);
    tw_->setSuffix(tr(" s"));
    tw_->setValue(o.hasTwSeconds ? o.twSeconds : s.twSeconds.value);
    addRow(tr("TIME-WAIT length"), overrideTw_, tw_, s.twSeconds.source, QStringLiteral("settings.tw_seconds"));

    overridePorts_ = new QCheckBox(tr("override"), this);
    overridePorts_->setChecked(o.hasPortRange);
    auto* ports = new QWidget(this);
    auto* portsLayout = new QHBoxLayout(ports);
    portsLayout->setContentsMargins(0, 0, 0, 0);
    portLow_ = new QSpinBox(ports);
    portHigh_ = new QSpinBox(ports);
    for (QSpinBox* b : {portLow_, portHigh_})
        b->setRange(1, 65535);
    portLow_->setValue(o.hasPortRange ? o.portLow : s.portLow.value);
    portHigh_->setValue(o.hasPortRange ? o.portHigh : s.portHigh.value);
    portsLayout->addWidget(portLow_);
    portsLayout->addWidget(new QLabel(QStringLiteral("–"), ports));
    portsLayout->addWidget(portHigh_);
    addRow(tr("ip_local_port_range"), overridePorts_, ports, s.portLow.source, QStringLiteral("settings.port_range"));

    overrideReuse_ = new QCheckBox(tr("override"), this);
    overrideReuse_->setChecked(o.hasTwReuse);
    reuse_ = new QComboBox(this);
    reuse_->addItem(tr("0: off"), 0);
    reuse_->addItem(tr("1: on for all connections"), 1);
    reuse_->addItem(tr("2: loopback only (default)"), 2);
    reuse_->setCurrentIndex(std::clamp(o.hasTwReuse ? o.twReuse : s.twReuse.value, 0, 2));
    addRow(tr("tcp_tw_reuse"), overrideReuse_, reuse_, s.twReuse.source, QStringLiteral("settings.tw_reuse"));

    overrideRfc_ = new QCheckBox(tr("override"), this);
    overrideRfc_->setChecked(o.hasRfc1337);
    rfc_ = new QComboBox(this);
    rfc_->addItem(tr("0: a RST at RCV.NXT kills TIME-WAIT (default)"), 0);
    rfc_->addItem(tr("1: such a RST is ignored (RFC 1337 F1)"), 1);
    rfc_->setCurrentIndex(std::clamp(o.hasRfc1337 ? o.rfc1337 : s.rfc1337.value, 0, 1));
    addRow(tr("tcp_rfc1337"), overrideRfc_, rfc_, s.rfc1337.source, QStringLiteral("settings.rfc1337"));

    auto* note = new QLabel(tr("Values not overridden come from sysctl inputs when loaded, else the Linux defaults. "
                               "Applying re-runs the analysis."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    // Names for tests and accessibility tools.
    overrideTw_->setObjectName(QStringLiteral("overrideTimeWait"));
    tw_->setObjectName(QStringLiteral("timeWaitSeconds"));
    overridePorts_->setObjectName(QStringLiteral("overridePortRange"));
    portLow_->setObjectName(QStringLiteral("portLow"));
    portHigh_->setObjectName(QStringLiteral("portHigh"));
    overrideReuse_->setObjectName(QStringLiteral("overrideTwReuse"));
    reuse_->setObjectName(QStringLiteral("twReuse"));
    overrideRfc_->setObjectName(QStringLiteral("overrideRfc1337"));
    rfc_->setObjectName(QStringLiteral("rfc1337"));
}

SettingsOverrides SettingsDialog::overrides() const {
    SettingsOverrides o;
    o.hasTwSeconds = overrideTw_->isChecked();
    o.twSeconds = tw_->value();
    o.hasPortRange = overridePorts_->isChecked();
    o.portLow = std::uint16_t(std::min(portLow_->value(), portHigh_->value()));
    o.portHigh = std::uint16_t(std::max(portLow_->value(), portHigh_->value()));
    o.hasTwReuse = overrideReuse_->isChecked();
    o.twReuse = reuse_->currentData().toInt();
    o.hasRfc1337 = overrideRfc_->isChecked();
    o.rfc1337 = rfc_->currentData().toInt();
    return o;
}

} // namespace twlens
