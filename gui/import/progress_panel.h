// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "core/model/progress.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace twlens {

// The import's progress strip: it appears only when the work takes longer than kShowDelayMs
// (Wireshark ui/qt/progress_frame.cpp), shows bytes, packets, connections and an estimate of the
// time left, and offers Cancel.
class ProgressPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kShowDelayMs = 150;
    explicit ProgressPanel(QWidget* parent = nullptr);

    void begin(const QString& what);
    void update(const ImportProgress& p);
    void end();
    QString text() const;

signals:
    void cancelRequested();

private:
    QLabel* label_;
    QProgressBar* bar_;
    QPushButton* cancel_;
    QTimer showTimer_;
    QElapsedTimer elapsed_;
    QString what_;
};

} // namespace twlens
