// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <thread>
#include <vector>

#include "core/model/analysis.h"
#include "core/model/progress.h"
#include "core/model/settings.h"
#include "gui/state/selection_state.h"

namespace twlens {

// Runs analyzeFiles() off the GUI thread (KDAB hotspot jobtracker style). Each start() gets a new
// job id; a newer job asks the older one to stop (std::stop_source) and results of any job that
// is not the current one are dropped, so a late result can never overwrite a newer analysis.
// Progress comes throttled from the worker through queued calls; the GUI thread never parses.
// The worker also prepares what the views derive from the analysis (prepareViewData: timeline
// rows, overview summary, hazard groups, the TIME_WAIT load, the filter's matcher), so the
// result's arrival costs the GUI thread no pass over the connections.
class ImportJob : public QObject {
    Q_OBJECT
public:
    explicit ImportJob(QObject* parent = nullptr);
    ~ImportJob() override;

    quint64 start(const QStringList& paths, const SettingsOverrides& overrides);
    void cancel();
    bool isRunning() const { return running_; }
    quint64 currentJob() const { return current_; }

    // Minimum spacing of progress signals (the observer drops the rest).
    static constexpr int kProgressIntervalMs = 100;
    // Warnings forwarded live per job; the complete list arrives with the result (InputInfo).
    static constexpr int kLiveWarningLimit = 200;

signals:
    void started(quint64 job);
    void progress(quint64 job, twlens::ImportProgress progress);
    void warning(quint64 job, const QString& input, const QString& text);
    // `view->analysis` is the result; `view` also holds what the views derive from it (prepared
    // on the worker).
    void finished(quint64 job, std::shared_ptr<const twlens::ViewData> view);
    void failed(quint64 job, const QString& message);
    void cancelled(quint64 job);

private:
    void deliver(quint64 job, std::function<void()> emitter);
    void reapFinished();

    struct Worker;
    std::vector<std::unique_ptr<Worker>> workers_;
    quint64 current_ = 0;
    bool running_ = false;
};

} // namespace twlens

Q_DECLARE_METATYPE(twlens::ImportProgress)
Q_DECLARE_METATYPE(std::shared_ptr<const twlens::Analysis>)
Q_DECLARE_METATYPE(std::shared_ptr<const twlens::ViewData>)
