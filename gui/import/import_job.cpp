// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/import/import_job.h"

#include <QFileInfo>
#include <QPointer>
#include <atomic>
#include <chrono>
#include <functional>

#include "importers/analyze_files.h"

namespace twlens {

namespace {

// The ImportObserver the worker thread calls: keeps at most one progress call per interval and
// a bounded number of warnings, and hands them to the GUI thread through queued invocations.
class ForwardingObserver final : public ImportObserver {
public:
    using Post = std::function<void(std::function<void()>)>;
    ForwardingObserver(ImportJob* job, quint64 id, QStringList paths, Post post)
        : job_(job), id_(id), paths_(std::move(paths)), post_(std::move(post)) {}

    void progress(const ImportProgress& p) override {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_ < std::chrono::milliseconds(ImportJob::kProgressIntervalMs))
            return;
        last_ = now;
        QPointer<ImportJob> job = job_;
        const quint64 id = id_;
        post_([job, id, p] {
            if (job)
                emit job->progress(id, p);
        });
    }

    void warning(std::uint32_t input, const InputWarning& w) override {
        if (++warnings_ > ImportJob::kLiveWarningLimit)
            return;
        const QString file = input < static_cast<std::uint32_t>(paths_.size()) ? QFileInfo(paths_[int(input)]).fileName()
                                                                               : QString::number(input);
        const QString text = QString::fromStdString(w.text());
        QPointer<ImportJob> job = job_;
        const quint64 id = id_;
        post_([job, id, file, text] {
            if (job)
                emit job->warning(id, file, text);
        });
    }

private:
    ImportJob* job_;
    quint64 id_;
    QStringList paths_;
    Post post_;
    std::chrono::steady_clock::time_point last_{};
    int warnings_ = 0;
};

} // namespace

struct ImportJob::Worker {
    quint64 id = 0;
    std::stop_source stop;
    std::atomic<bool> done{false};
    std::thread thread;
};

ImportJob::ImportJob(QObject* parent) : QObject(parent) {
    qRegisterMetaType<twlens::ImportProgress>();
    qRegisterMetaType<std::shared_ptr<const twlens::Analysis>>();
    qRegisterMetaType<std::shared_ptr<const twlens::ViewData>>();
}

ImportJob::~ImportJob() {
    for (auto& w : workers_)
        w->stop.request_stop();
    for (auto& w : workers_)
        if (w->thread.joinable())
            w->thread.join();
}

void ImportJob::deliver(quint64 job, std::function<void()> emitter) {
    // Runs on the GUI thread: drop whatever a superseded job still sends.
    if (job != current_)
        return;
    emitter();
}

quint64 ImportJob::start(const QStringList& paths, const SettingsOverrides& overrides) {
    reapFinished();
    for (auto& w : workers_)
        w->stop.request_stop();
    const quint64 id = ++current_;
    running_ = true;

    AnalyzeRequest request;
    for (const QString& p : paths)
        request.paths.push_back(QFile::encodeName(p).toStdString());
    request.overrides = overrides;

    auto worker = std::make_unique<Worker>();
    worker->id = id;
    Worker* raw = worker.get();
    auto post = [this](std::function<void()> fn) { QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection); };
    const std::stop_token token = worker->stop.get_token();
    worker->thread = std::thread([this, raw, id, paths, request = std::move(request), post, token] {
        ForwardingObserver observer(this, id, paths, post);
        auto result = analyzeFiles(request, &observer, token);
        std::shared_ptr<const ViewData> view;
        if (result.ok() && !token.stop_requested())
            view = prepareViewData(result.value());
        const bool stopped = token.stop_requested();
        // Runs on the GUI thread with this job object as context: Qt drops it if the job is gone.
        post([this, raw, id, stopped, result = std::move(result), view = std::move(view)]() mutable {
            raw->done = true;
            deliver(id, [&] {
                running_ = false;
                if (stopped)
                    emit cancelled(id);
                else if (result.ok())
                    emit finished(id, std::move(view));
                else
                    emit failed(id, QString::fromStdString(result.error().message));
            });
            reapFinished();
        });
    });
    workers_.push_back(std::move(worker));
    emit started(id);
    return id;
}

void ImportJob::cancel() {
    for (auto& w : workers_)
        if (w->id == current_)
            w->stop.request_stop();
}

void ImportJob::reapFinished() {
    for (auto it = workers_.begin(); it != workers_.end();) {
        if ((*it)->done) {
            if ((*it)->thread.joinable())
                (*it)->thread.join();
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace twlens
