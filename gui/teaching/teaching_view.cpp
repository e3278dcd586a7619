// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/teaching/teaching_view.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QShowEvent>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include "core/model/tcp_flags.h"
#include "core/presentation/labels.h"
#include "gui/state/selection_state.h"
#include "gui/teaching/scenario_menu.h"
#include "gui/teaching/state_diagram_widget.h"
#include "gui/teaching/step_explanations.h"
#include "gui/views/ladder_widget.h"
#include "importers/analyze_files.h"

namespace twlens {

namespace {

QAction* makeAction(QWidget* owner, const QString& text, const QKeySequence& key, const QString& tip) {
    auto* act = new QAction(text, owner);
    act->setShortcut(key);
    // Only while the focus is in this view: the workspace's own arrow keys stay theirs.
    act->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    act->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    owner->addAction(act);
    return act;
}

QToolButton* buttonFor(QAction* act) {
    auto* b = new QToolButton;
    b->setDefaultAction(act);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

} // namespace

TeachingView::TeachingView(QWidget* parent, SelectionState* follow)
    : QWidget(parent), selection_(follow ? follow : new SelectionState(this)), title_(new QLabel),
      ladder_(new LadderView(selection_)),
      diagram_(new StateDiagramWidget), text_(new QTextBrowser), counter_(new QLabel), speed_(new QComboBox),
      timer_(new QTimer(this)) {
    setWindowTitle(tr("Teaching mode"));
    setFocusPolicy(Qt::StrongFocus);
    title_->setTextFormat(Qt::RichText);
    title_->setWordWrap(true);
    text_->setOpenExternalLinks(true);
    text_->setMinimumWidth(280);

    firstAct_ = makeAction(this, tr("|\u25c0 First"), QKeySequence(Qt::Key_Home), tr("First step"));
    backAct_ = makeAction(this, tr("\u25c0 Back"), QKeySequence(Qt::Key_Left), tr("Previous step"));
    nextAct_ = makeAction(this, tr("Next \u25b6"), QKeySequence(Qt::Key_Right), tr("Next step"));
    lastAct_ = makeAction(this, tr("Last \u25b6|"), QKeySequence(Qt::Key_End), tr("Last step"));
    playAct_ = makeAction(this, tr("Play"), QKeySequence(Qt::Key_Space), tr("Play or pause"));
    connect(firstAct_, &QAction::triggered, this, &TeachingView::first);
    connect(backAct_, &QAction::triggered, this, &TeachingView::back);
    connect(nextAct_, &QAction::triggered, this, &TeachingView::next);
    connect(lastAct_, &QAction::triggered, this, &TeachingView::last);
    connect(playAct_, &QAction::triggered, this, &TeachingView::togglePlay);

    for (int ms : {250, 500, 1000, 2000, 4000})
        speed_->addItem(tr("%1 s per step").arg(QString::number(ms / 1000.0)), ms);
    speed_->setCurrentIndex(2);
    speed_->setToolTip(tr("How fast Play advances"));
    connect(speed_, &QComboBox::currentIndexChanged, this, [this] { timer_->setInterval(playInterval()); });
    timer_->setInterval(playInterval());
    connect(timer_, &QTimer::timeout, this, [this] {
        if (current_ + 1 >= stepCount())
            pause();
        else
            setStep(current_ + 1);
    });

    auto* split = split_ = new QSplitter(Qt::Horizontal);
    split->addWidget(ladder_);
    split->addWidget(diagram_);
    split->addWidget(text_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 3);
    split->setStretchFactor(2, 2);
    connect(split, &QSplitter::splitterMoved, this, [this] { splitSized_ = true; }); // the user's sizes stay

    auto* controls = new QHBoxLayout;
    for (QAction* act : {firstAct_, backAct_, nextAct_, lastAct_, playAct_})
        controls->addWidget(buttonFor(act));
    controls->addWidget(speed_);
    controls->addSpacing(12);
    controls->addWidget(counter_);
    controls->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(split, 1);
    layout->addLayout(controls);

    // Connected after the ladder's own slots, so the ladder has rebuilt when a step is shown.
    connect(selection_, &SelectionState::analysisChanged, this, &TeachingView::onAnalysisChanged);
    connect(selection_, &SelectionState::connectionSelected, this, [this](std::uint32_t id) {
        if (id != connection_)
            setConnection(id);
    });
    onAnalysisChanged();
}

TeachingView::~TeachingView() = default;

void TeachingView::setAnalysis(std::shared_ptr<const Analysis> analysis) {
    if (analysis != selection_->analysis())
        selection_->setAnalysis(std::move(analysis)); // -> onAnalysisChanged
}

void TeachingView::onAnalysisChanged() {
    pause();
    analysis_ = selection_->analysis();
    connection_ = kNoIndex;
    steps_.clear();
    // Following the workspace: a connection may already be selected in the new analysis.
    setConnection(selection_->connection());
}

// At each new width until the user drags a handle: room for the whole ladder (both lifelines and
// its notes; up to 55 %, which at 1100 px still shows both lifelines and their state names), the
// rest shared by the diagram and the text. Once dragged, the user's splitter positions stay.
void TeachingView::sizeSplit() {
    if (splitSized_ || connection_ == kNoIndex || !isVisible() || split_->width() < 200)
        return;
    const int total = split_->width();
    const int ladder = std::min(ladder_->canvas()->minimumWidth() + 24, total * 11 / 20);
    split_->setSizes({ladder, (total - ladder) * 3 / 5, (total - ladder) * 2 / 5});
}

void TeachingView::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    sizeSplit();
}

void TeachingView::showEvent(QShowEvent* e) {
    QWidget::showEvent(e);
    sizeSplit(); // a tabbed dock is resized while hidden: size it when it shows
}

void TeachingView::setConnection(std::uint32_t id) {
    pause();
    connection_ = analysis_ && id < analysis_->connections.size() ? id : kNoIndex;
    // Select first: the ladder rebuilds (and clears its highlight) before the first step shows.
    if (selection_->connection() != connection_)
        selection_->selectConnection(connection_);
    steps_ = analysis_ && connection_ != kNoIndex ? buildTeachingSteps(*analysis_, connection_) : std::vector<TeachingStep>{};
    sizeSplit();
    if (analysis_ && connection_ != kNoIndex) {
        const Connection& c = analysis_->connections[connection_];
        title_->setText(tr("<b>Connection %1</b>: client %2 &rarr; server %3")
                            .arg(connection_)
                            .arg(QString::fromStdString(labels::endpoint(analysis_->clientIp(c), c.clientPort)),
                                 QString::fromStdString(labels::endpoint(analysis_->serverIp(c), c.serverPort))));
    } else {
        title_->setText(tr("No connection selected."));
    }
    showStep(steps_.empty() ? -1 : 0);
}

bool TeachingView::loadScenario(const Scenario& scenario, QString* error) {
    AnalyzeRequest req;
    for (const QString& path : scenario.inputs)
        req.paths.push_back(path.toStdString());
    auto result = analyzeFiles(req);
    if (!result) {
        if (error)
            *error = QString::fromStdString(result.error().message);
        return false;
    }
    setAnalysis(result.value());
    setConnection(mainConnectionOf(*analysis_));
    title_->setText(tr("<b>Scenario: %1</b> &mdash; %2").arg(scenario.title.toHtmlEscaped(), title_->text()));
    setWindowTitle(tr("Teaching mode: %1").arg(scenario.title));
    return true;
}

bool TeachingView::isPlaying() const { return timer_->isActive(); }

int TeachingView::playInterval() const { return speed_->currentData().toInt(); }

void TeachingView::setPlayInterval(int ms) {
    int best = 0;
    for (int i = 0; i < speed_->count(); ++i)
        if (std::abs(speed_->itemData(i).toInt() - ms) < std::abs(speed_->itemData(best).toInt() - ms))
            best = i;
    speed_->setCurrentIndex(best);
}

void TeachingView::setStep(int index) {
    if (steps_.empty())
        return;
    showStep(std::clamp(index, 0, stepCount() - 1));
}

void TeachingView::first() { setStep(0); }
void TeachingView::back() { setStep(current_ - 1); }
void TeachingView::next() { setStep(current_ + 1); }
void TeachingView::last() { setStep(stepCount() - 1); }

void TeachingView::play() {
    if (steps_.empty())
        return;
    if (current_ + 1 >= stepCount())
        setStep(0); // Play at the end starts over
    timer_->start(playInterval());
    updateActions();
}

void TeachingView::pause() {
    timer_->stop();
    updateActions();
}

void TeachingView::togglePlay() {
    if (isPlaying())
        pause();
    else
        play();
}

void TeachingView::showStep(int index) {
    current_ = index;
    StateDiagramContent content;
    if (index < 0) {
        ladder_->setHighlightedSegment(-1);
        text_->setHtml(tr("<p>Choose a connection (or Help &gt; Scenarios) to step through its teardown.</p>"));
        diagram_->setContent(content);
        updateActions();
        return;
    }
    const TeachingStep& st = steps_[static_cast<std::size_t>(index)];
    // A timer has no segment: nothing to highlight on the ladder.
    ladder_->setHighlightedSegment(st.kind == TeachingStep::Kind::Segment ? static_cast<int>(st.segment) : -1);
    content.clientState = st.states[0];
    content.serverState = st.states[1];
    const std::optional<ControlSegment> seg = stepSegment(*analysis_, connection_, st);
    const bool reset = seg && (seg->flags & tcpflag::RST);
    for (const TeachingTransition& t : st.transitions)
        content.taken.push_back({t.from, t.to, t.side, reset});
    diagram_->setContent(std::move(content));
    text_->setHtml(stepExplanationHtml(*analysis_, connection_, st, static_cast<std::size_t>(index), steps_.size()));
    updateActions();
    emit stepChanged(index);
}

void TeachingView::updateActions() {
    const bool any = !steps_.empty();
    firstAct_->setEnabled(any && current_ > 0);
    backAct_->setEnabled(any && current_ > 0);
    nextAct_->setEnabled(any && current_ + 1 < stepCount());
    lastAct_->setEnabled(any && current_ + 1 < stepCount());
    playAct_->setEnabled(any);
    playAct_->setText(isPlaying() ? tr("Pause") : tr("Play"));
    counter_->setText(any ? tr("Step %1 of %2").arg(current_ + 1).arg(stepCount()) : QString());
}

} // namespace twlens
