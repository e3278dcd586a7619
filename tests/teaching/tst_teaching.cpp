// SPDX-License-Identifier: GPL-3.0-or-later
// The teaching mode on the scenario library (real captures made by tests/kernel/make-fixtures.sh).
//
// The expected (client, server) state pairs below were written from `tcpdump -nr` of each capture
// and RFC 9293 §3.10.7.4, not from the engine's output. They follow the capture-point convention
// the whole tool uses (ladder, timeline, TIME_WAIT windows): a side's state changes at the segment
// that shows it, i.e. the sender's at the segment it sends and the receiver's at the segment it
// accepts; entering TIME-WAIT is shown at the final ACK the TIME-WAIT side sends (Linux sends it
// and starts the 60 s timer in the same call, tcp_fin -> tcp_time_wait), and the server's
// SYN-RECEIVED at its SYN-ACK (before it the server end is "not known yet", None). A segment the
// capture shows but the peer never received (dropped after the capture point, as the scenario's
// .md says) changes nothing at that peer. The last steps are the TIME-WAIT timers firing (60 s
// after the last final ACK; past the end of these short captures).
#include <QAbstractButton>
#include <QBuffer>
#include <QPainter>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSvgGenerator>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

#include "core/model/tcp_flags.h"
#include "core/output/time_format.h"
#include "core/presentation/teaching_steps.h"
#include "gui/figures/figure_frame.h"
#include "gui/figures/state_diagram_painter.h"
#include "gui/state/selection_state.h"
#include "gui/teaching/scenario_menu.h"
#include "gui/teaching/state_diagram_widget.h"
#include "gui/teaching/step_explanations.h"
#include "gui/teaching/teaching_view.h"
#include "gui/views/ladder_widget.h"
#include "support/analyse_files.h"

using namespace twlens;

namespace {

using S = TcpState;
constexpr S None = S::None, SynSent = S::SynSent, SynRecv = S::SynRecv, Est = S::Established, Fw1 = S::FinWait1,
            Fw2 = S::FinWait2, CloseWait = S::CloseWait, Closing = S::Closing, LastAck = S::LastAck, Tw = S::TimeWait,
            Closed = S::Closed;

struct Expected {
    std::uint32_t frame; // 0: a TIME-WAIT timer
    S client;
    S server;
};

QString dir() { return QStringLiteral(TWLENS_SOURCE_DIR "/resources/scenarios/"); }

// A scenario analysed from the inputs the app opens for it (its capture and sysctl lines,
// loadScenarios; scenarioMenuOrder checks that pairing); null for an unknown id.
std::shared_ptr<const Analysis> analyseScenario(const QString& id) {
    for (const Scenario& s : loadScenarios(dir()))
        if (s.id == id)
            return testsupport::analyseFiles(s.inputs);
    return nullptr;
}

// A scenario's main connection stepped through: the analysis holds the segments the steps show.
struct Taught {
    std::shared_ptr<const Analysis> a;
    std::uint32_t connection = kNoIndex;
    std::vector<TeachingStep> steps;

    explicit Taught(const QString& id) : a(analyseScenario(id)) {
        if (a) {
            connection = mainConnectionOf(*a);
            steps = buildTeachingSteps(*a, connection);
        }
    }
    // The step's frame; 0 for a TIME-WAIT timer.
    std::uint32_t frameOf(const TeachingStep& st) const {
        const std::optional<ControlSegment> seg = stepSegment(*a, connection, st);
        return seg ? seg->frame : 0;
    }
    // The step of a frame and its segment. A missing frame yields an empty step and segment,
    // whose checks then fail.
    const TeachingStep* at(std::uint32_t frame) const {
        static const TeachingStep kMissing;
        for (const TeachingStep& st : steps)
            if (st.kind == TeachingStep::Kind::Segment && frameOf(st) == frame)
                return &st;
        return &kMissing;
    }
    ControlSegment segmentAt(std::uint32_t frame) const {
        const std::optional<ControlSegment> seg = a ? stepSegment(*a, connection, *at(frame)) : std::nullopt;
        return seg.value_or(ControlSegment{});
    }
};

QString pairText(std::uint32_t frame, S c, S s) {
    return QStringLiteral("frame %1: %2 / %3")
        .arg(frame)
        .arg(QString::fromLatin1(stateName(c).data()), QString::fromLatin1(stateName(s).data()));
}

// The handshake every scenario opens with: SYN, SYN-ACK, the ACK of the SYN-ACK (frames 1-3).
const std::vector<Expected> kOpen{{1, SynSent, None}, {2, Est, SynRecv}, {3, Est, Est}};

std::vector<Expected> withOpen(std::vector<Expected> rest) {
    std::vector<Expected> all = kOpen;
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
}

} // namespace

Q_DECLARE_METATYPE(std::vector<Expected>)

class TestTeaching : public QObject {
    Q_OBJECT
private slots:
    void scenarioStates_data();
    void scenarioStates();
    void scenarioTopics();
    void mainConnections();
    void scenarioMenuOrder();
    void explanationsExistForEveryTopic();
    void viewKeysAndButtons();
    void viewKeepsLifelinesInSight();
    void viewPlays();
    void viewLoadsScenario();
    void viewFollowsWorkspaceSelection();
    void diagramSvgKeepsText();
    void reuseExplanationSaysBeforeOrAfter();
};

void TestTeaching::scenarioStates_data() {
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<std::vector<Expected>>("expected");

    // Client closes first (frame 8); the server's FIN (9) also ACKs it: FIN-WAIT-1 straight to TIME-WAIT.
    QTest::newRow("client-close") << QStringLiteral("client-close")
                                  << withOpen({{8, Fw1, CloseWait}, {9, Fw1, LastAck}, {10, Tw, Closed}, {0, Closed, Closed}});
    // The server closes first (8): the server holds the TIME-WAIT.
    QTest::newRow("server-close") << QStringLiteral("server-close")
                                  << withOpen({{8, CloseWait, Fw1}, {9, LastAck, Fw1}, {10, Closed, Tw}, {0, Closed, Closed}});
    // The client's FIN (8) is dropped at the server after the capture point (its FIN, 9, has ack=19,
    // not 20): the client goes CLOSING on the server's FIN, the server FIN-WAIT-2 on the client's ACK
    // (10), then TIME-WAIT on the retransmitted FIN (11) with its ACK (12), which also takes the
    // client from CLOSING to TIME-WAIT. Both windows start at frame 12; the client's timer is listed
    // first on a tie.
    QTest::newRow("simultaneous-close")
        << QStringLiteral("simultaneous-close")
        << withOpen({{8, Fw1, Est},
                     {9, Closing, Fw1},
                     {10, Closing, Fw2},
                     {11, Closing, Fw2},
                     {12, Tw, Tw},
                     {0, Closed, Tw},
                     {0, Closed, Closed}});
    // shutdown(SHUT_WR) at frame 6; the server's data keeps coming (the client's ACKs 9-17 are kept).
    QTest::newRow("half-close") << QStringLiteral("half-close")
                                << withOpen({{6, Fw1, CloseWait},
                                             {7, Fw2, CloseWait},
                                             {9, Fw2, CloseWait},
                                             {11, Fw2, CloseWait},
                                             {13, Fw2, CloseWait},
                                             {15, Fw2, CloseWait},
                                             {17, Fw2, CloseWait},
                                             {18, Fw2, LastAck},
                                             {19, Tw, Closed},
                                             {0, Closed, Closed}});
    // The final ACK (11) is dropped after the capture point: the server stays in LAST-ACK, resends
    // its FIN (12) and the client's second ACK (13) closes it.
    QTest::newRow("lost-final-ack") << QStringLiteral("lost-final-ack")
                                    << withOpen({{8, Fw1, CloseWait},
                                                 {9, Fw2, CloseWait},
                                                 {10, Fw2, LastAck},
                                                 {11, Tw, LastAck},
                                                 {12, Tw, LastAck},
                                                 {13, Tw, Closed},
                                                 {0, Closed, Closed}});
    // RST (11) at the client's RCV.NXT (seq 27 relative): tcp_rfc1337 = 0 deletes the TIME-WAIT.
    QTest::newRow("rst-in-time-wait-rfc1337-0")
        << QStringLiteral("rst-in-time-wait-rfc1337-0")
        << withOpen({{8, Fw1, CloseWait}, {9, Fw1, LastAck}, {10, Tw, Closed}, {11, Closed, Closed}});
    // The same RST under tcp_rfc1337 = 1 is ignored; the timer runs on.
    QTest::newRow("rst-in-time-wait-rfc1337-1")
        << QStringLiteral("rst-in-time-wait-rfc1337-1")
        << withOpen({{8, Fw1, CloseWait}, {9, Fw1, LastAck}, {10, Tw, Closed}, {11, Tw, Closed}, {0, Closed, Closed}});
    // Main connection: the first reuse of port 40000 (frames 21-30), opened inside the TIME-WAIT of
    // the first connection.
    QTest::newRow("tw-reuse") << QStringLiteral("tw-reuse")
                              << std::vector<Expected>{{21, SynSent, None}, {22, Est, SynRecv}, {23, Est, Est},
                                                       {28, Fw1, CloseWait}, {29, Fw1, LastAck}, {30, Tw, Closed},
                                                       {0, Closed, Closed}};
    // Main connection: the first of the 20 (no hazard anywhere); a client close like the first scenario.
    QTest::newRow("port-exhaustion") << QStringLiteral("port-exhaustion")
                                     << withOpen({{8, Fw1, CloseWait}, {9, Fw1, LastAck}, {10, Tw, Closed}, {0, Closed, Closed}});
    // SO_LINGER 0: close() sends RST,ACK (8) instead of FIN; both ends CLOSED, no TIME-WAIT.
    QTest::newRow("so-linger-0") << QStringLiteral("so-linger-0") << withOpen({{8, Closed, Closed}});
}

void TestTeaching::scenarioStates() {
    QFETCH(QString, scenario);
    QFETCH(std::vector<Expected>, expected);
    const Taught taught(scenario);
    QVERIFY(taught.a);
    QCOMPARE(taught.steps.size(), expected.size());
    for (std::size_t i = 0; i < taught.steps.size(); ++i) {
        const Expected& e = expected[i];
        const TeachingStep& st = taught.steps[i];
        QCOMPARE(taught.frameOf(st), e.frame);
        QCOMPARE(pairText(e.frame, st.states[0], st.states[1]), pairText(e.frame, e.client, e.server));
    }
}

void TestTeaching::scenarioTopics() {
    {
        const Taught taught(QStringLiteral("client-close"));
        QVERIFY(taught.at(1)->has(TeachingTopic::Handshake));
        QCOMPARE(taught.at(8)->topics.front(), TeachingTopic::ActiveClose);
        QVERIFY(taught.at(8)->has(TeachingTopic::PassiveClose));
        const TeachingStep* tw = taught.at(10);
        QVERIFY(tw->has(TeachingTopic::TimeWaitEntered));
        QVERIFY(tw->has(TeachingTopic::TimeWaitLength));
        QCOMPARE(tw->transitions.front(), (TeachingTransition{Side::Client, Fw1, Tw}));
        QCOMPARE(tw->text, std::string("ACK seq=20 ack=27"));
        QCOMPARE(taught.steps.back().topics, std::vector<TeachingTopic>{TeachingTopic::TimeWaitExpired});
        QVERIFY(taught.steps.back().pastCaptureEnd);
        QCOMPARE(taught.steps.back().from, Side::Client);
    }
    {
        const Taught taught(QStringLiteral("simultaneous-close"));
        QVERIFY(taught.at(8)->has(TeachingTopic::SimultaneousClose));
        QVERIFY(taught.at(9)->has(TeachingTopic::SimultaneousClose));
        QVERIFY(taught.at(11)->has(TeachingTopic::FinRetransmission));
        QVERIFY(!taught.at(11)->has(TeachingTopic::LostFinalAck)); // the client is in CLOSING, not LAST-ACK
    }
    {
        const Taught taught(QStringLiteral("half-close"));
        QVERIFY(taught.at(7)->has(TeachingTopic::FinWait2));
        QCOMPARE(taught.at(9)->topics, std::vector<TeachingTopic>{TeachingTopic::HalfClose});
        QCOMPARE(taught.segmentAt(9).dataBefore, 1u);
    }
    {
        const Taught taught(QStringLiteral("lost-final-ack"));
        QVERIFY(taught.at(12)->has(TeachingTopic::LostFinalAck));
        QVERIFY(taught.segmentAt(12).meta & ControlSegment::Retransmission);
        QCOMPARE(taught.at(13)->topics.front(), TeachingTopic::LostFinalAck); // then the passive close ends
        QCOMPARE(taught.at(12)->hazards.size(), 1u);
    }
    {
        const Taught taught(QStringLiteral("rst-in-time-wait-rfc1337-0"));
        QCOMPARE(taught.at(11)->topics.front(), TeachingTopic::Assassination);
        QCOMPARE(taught.at(11)->transitions, (std::vector<TeachingTransition>{{Side::Client, Tw, Closed}}));
    }
    {
        const Taught taught(QStringLiteral("rst-in-time-wait-rfc1337-1"));
        QVERIFY(taught.at(11)->has(TeachingTopic::RstIgnoredInTimeWait));
        QVERIFY(!taught.at(11)->has(TeachingTopic::Assassination));
        QVERIFY(taught.at(11)->transitions.empty());
    }
    {
        const Taught taught(QStringLiteral("tw-reuse"));
        QCOMPARE(taught.at(21)->topics.front(), TeachingTopic::Reuse);
    }
    {
        const Taught taught(QStringLiteral("port-exhaustion"));
        QVERIFY(taught.at(10)->has(TeachingTopic::PortExhaustion));
        const Taught clean(QStringLiteral("client-close"));
        QVERIFY(!clean.at(10)->has(TeachingTopic::PortExhaustion));
    }
    {
        const Taught taught(QStringLiteral("so-linger-0"));
        QCOMPARE(taught.at(8)->topics, std::vector<TeachingTopic>{TeachingTopic::RstClose});
        QVERIFY(taught.segmentAt(8).flags & tcpflag::RST);
    }
}

void TestTeaching::mainConnections() {
    const auto reuse = analyseScenario(QStringLiteral("tw-reuse"));
    QVERIFY(reuse);
    QCOMPARE(reuse->connections.size(), 5u);
    const std::uint32_t m = mainConnectionOf(*reuse);
    QCOMPARE(m, 2u); // the first connection carrying a hazard (reuse_within_time_wait)
    QCOMPARE(reuse->connections[m].clientPort, 40000);
    QCOMPARE(reuse->connections[m].previousIncarnation, 0u);
    const auto ports = analyseScenario(QStringLiteral("port-exhaustion"));
    QCOMPARE(ports->connections.size(), 20u);
    QCOMPARE(mainConnectionOf(*ports), 0u); // no hazard: the first
    QCOMPARE(mainConnectionOf(Analysis{}), kNoIndex);
    QVERIFY(buildTeachingSteps(*ports, 20).empty());
}

void TestTeaching::scenarioMenuOrder() {
    const QList<Scenario> list = loadScenarios(dir());
    QStringList ids;
    for (const Scenario& s : list)
        ids << s.id;
    QCOMPARE(ids, (QStringList{"client-close", "server-close", "simultaneous-close", "half-close", "lost-final-ack",
                               "rst-in-time-wait-rfc1337-0", "rst-in-time-wait-rfc1337-1", "tw-reuse", "port-exhaustion",
                               "so-linger-0"}));
    QCOMPARE(list[4].title, QStringLiteral("Lost final ACK"));
    QCOMPARE(list[5].inputs.size(), 2); // the capture and its sysctl lines
    QVERIFY(list[5].inputs[1].endsWith(QLatin1String("rst-in-time-wait-rfc1337-0.sysctl.txt")));
    QCOMPARE(list[0].inputs.size(), 1);
    QVERIFY(list[0].description.startsWith(QLatin1String("What happens. A client on 127.1.0.1")));
    ScenarioMenu menu(nullptr, dir());
    QCOMPARE(menu.actions().size(), 10);
    QCOMPARE(menu.actions().at(9)->text(), QStringLiteral("SO_LINGER 0"));
    QSignalSpy chosen(&menu, &ScenarioMenu::scenarioChosen);
    menu.actions().at(2)->trigger();
    QCOMPARE(chosen.size(), 1);
    QCOMPARE(chosen.at(0).at(0).value<Scenario>().id, QStringLiteral("simultaneous-close"));
    ScenarioMenu empty(nullptr, QStringLiteral("/nonexistent"));
    QCOMPARE(empty.actions().size(), 1);
    QVERIFY(!empty.actions().at(0)->isEnabled());
}

void TestTeaching::explanationsExistForEveryTopic() {
    for (int t = 0; t < kTeachingTopicCount; ++t) {
        const QString html = topicExplanationHtml(static_cast<TeachingTopic>(t));
        QVERIFY2(html.startsWith(QLatin1String("<h3>")), teachingTopicName(static_cast<TeachingTopic>(t)).data());
    }
    // The facts the texts must not get wrong (facts §2, §3, §4, §6).
    const QString length = topicExplanationHtml(TeachingTopic::TimeWaitLength);
    QVERIFY(length.contains(QLatin1String("TCP_TIMEWAIT_LEN</code> = <b>60 s</b>")));
    QVERIFY(length.contains(QLatin1String("tcp_fin_timeout</code> does not change it")));
    const QString reuse = topicExplanationHtml(TeachingTopic::Reuse);
    QVERIFY(reuse.contains(QLatin1String("0 off, 1 on for all connections,\n2 loopback only")));
    QVERIFY(reuse.contains(QLatin1String("It needs TCP timestamps")));
    QVERIFY(reuse.contains(QLatin1String("it does nothing for a server")));
    QVERIFY(topicExplanationHtml(TeachingTopic::RstClose).contains(QLatin1String("leaves <b>no TIME-WAIT</b>")));
    QVERIFY(topicExplanationHtml(TeachingTopic::Assassination).contains(QLatin1String("tcp_rfc1337 = 0</code> (the Linux default)")));
}

void TestTeaching::viewKeysAndButtons() {
    const auto a = analyseScenario(QStringLiteral("client-close"));
    TeachingView view;
    view.resize(1400, 800);
    view.setAnalysis(a);
    view.setConnection(0);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.setFocus();
    QCOMPARE(view.stepCount(), 7);
    QCOMPARE(view.currentStep(), 0);
    auto* canvas = view.ladder()->canvas();
    QCOMPARE(canvas->highlightedSegment(), 0);
    QCOMPARE(view.diagram()->content().clientState, SynSent);
    QCOMPARE(view.diagram()->content().serverState, None);

    QTest::keyClick(&view, Qt::Key_Right);
    QCOMPARE(view.currentStep(), 1);
    QCOMPARE(canvas->highlightedSegment(), 1);
    QCOMPARE(view.diagram()->content().clientState, Est);
    QCOMPARE(view.diagram()->content().serverState, SynRecv);
    QCOMPARE(view.diagram()->content().taken.size(), 2u);

    QTest::keyClick(&view, Qt::Key_End);
    QCOMPARE(view.currentStep(), 6); // the client's TIME-WAIT timer: no segment to highlight
    QCOMPARE(canvas->highlightedSegment(), -1);
    QCOMPARE(view.diagram()->content().clientState, Closed);
    QCOMPARE(view.diagram()->content().taken.front().from, Tw);
    QCOMPARE(view.diagram()->content().taken.front().to, Closed);
    QTest::keyClick(&view, Qt::Key_Right); // stays on the last step
    QCOMPARE(view.currentStep(), 6);
    QTest::keyClick(&view, Qt::Key_Left);
    QCOMPARE(view.currentStep(), 5);
    // Step 6 (frame 10): the final ACK, TIME-WAIT entered; the ladder's segment 5.
    QCOMPARE(canvas->highlightedSegment(), 5);
    QCOMPARE(view.diagram()->content().clientState, Tw);
    QCOMPARE(view.diagram()->content().serverState, Closed);
    const QString text = view.explanation()->toPlainText();
    QVERIFY(text.contains(QLatin1String("Step 6 of 7")));
    QVERIFY(text.contains(QLatin1String("frame 10")));
    QVERIFY(text.contains(QStringLiteral("client: FIN-WAIT-1 \u2192 TIME-WAIT")));
    QVERIFY(text.contains(QLatin1String("Linux uses TCP_TIMEWAIT_LEN = 60 s")));
    QTest::keyClick(&view, Qt::Key_Home);
    QCOMPARE(view.currentStep(), 0);
    QTest::keyClick(&view, Qt::Key_Left); // stays on the first step
    QCOMPARE(view.currentStep(), 0);

    // The buttons drive the same actions.
    QToolButton* nextButton = nullptr;
    QToolButton* lastButton = nullptr;
    QToolButton* backButton = nullptr;
    for (QToolButton* b : view.findChildren<QToolButton*>()) {
        if (b->defaultAction() && b->defaultAction()->text().startsWith(QLatin1String("Next")))
            nextButton = b;
        if (b->defaultAction() && b->defaultAction()->text().startsWith(QLatin1String("Last")))
            lastButton = b;
        if (b->defaultAction() && b->defaultAction()->text().contains(QLatin1String("Back")))
            backButton = b;
    }
    QVERIFY(nextButton && lastButton && backButton);
    QVERIFY(!backButton->isEnabled());
    QTest::mouseClick(nextButton, Qt::LeftButton);
    QTest::mouseClick(nextButton, Qt::LeftButton);
    QCOMPARE(view.currentStep(), 2);
    QCOMPARE(canvas->highlightedSegment(), 2);
    QVERIFY(backButton->isEnabled());
    QTest::mouseClick(lastButton, Qt::LeftButton);
    QCOMPARE(view.currentStep(), 6);
    QVERIFY(!nextButton->isEnabled());
}

// A ladder wider than its pane: stepping scrolls it down to each row but never sideways, so the
// client's lifeline and state names on the left stay in sight (LadderView frames rows vertically).
void TestTeaching::viewKeepsLifelinesInSight() {
    const auto a = analyseScenario(QStringLiteral("half-close"));
    TeachingView view;
    view.resize(700, 320);
    view.setAnalysis(a);
    view.setConnection(0);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QScrollBar* across = view.ladder()->horizontalScrollBar();
    QScrollBar* down = view.ladder()->verticalScrollBar();
    QVERIFY(across->maximum() > 0);
    QVERIFY(down->maximum() > 0);
    for (int i = 0; i < view.stepCount(); ++i) {
        view.setStep(i);
        QCOMPARE(across->value(), 0);
    }
    QVERIFY(down->value() > 0); // the last rows were framed
}

void TestTeaching::viewPlays() {
    const auto a = analyseScenario(QStringLiteral("so-linger-0"));
    TeachingView view;
    view.setAnalysis(a);
    view.setConnection(0);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.setFocus();
    view.setPlayInterval(240);
    QCOMPARE(view.playInterval(), 250);
    QSignalSpy spy(&view, &TeachingView::stepChanged);
    QTest::keyClick(&view, Qt::Key_Space);
    QVERIFY(view.isPlaying());
    QTRY_COMPARE_WITH_TIMEOUT(view.currentStep(), 3, 3000);
    QTRY_VERIFY_WITH_TIMEOUT(!view.isPlaying(), 2000); // stops at the last step
    QCOMPARE(spy.size(), 3);
    QCOMPARE(view.diagram()->content().clientState, Closed);
    QCOMPARE(view.diagram()->content().taken.front().from, Est);
    QVERIFY(view.explanation()->toPlainText().contains(QLatin1String("leaves no TIME-WAIT")));
    QTest::keyClick(&view, Qt::Key_Space); // Play at the end starts over
    QCOMPARE(view.currentStep(), 0);
    QVERIFY(view.isPlaying());
    QTest::keyClick(&view, Qt::Key_Space);
    QVERIFY(!view.isPlaying());
}

void TestTeaching::viewLoadsScenario() {
    const QList<Scenario> list = loadScenarios(dir());
    TeachingView view;
    QString error;
    QVERIFY(view.loadScenario(list[5], &error)); // RST in TIME_WAIT, tcp_rfc1337 = 0
    QCOMPARE(view.connection(), 0u);
    QCOMPARE(view.analysis()->settings.rfc1337.value, 0);
    view.last();
    QCOMPARE(view.currentStep(), 6); // the RST: no TIME-WAIT timer left to fire
    QCOMPARE(view.ladder()->canvas()->highlightedSegment(), 6);
    const QString text = view.explanation()->toPlainText();
    QVERIFY(text.contains(QLatin1String("TIME-WAIT assassination")));
    QVERIFY(text.contains(QLatin1String("net.ipv4.tcp_rfc1337 = 0 (")));
    QVERIFY(view.loadScenario(list[7], &error)); // tw-reuse: the first reused connection
    QCOMPARE(view.connection(), 2u);
    QVERIFY(view.windowTitle().contains(QLatin1String("tcp_tw_reuse = 1")));
    Scenario missing;
    missing.inputs << QStringLiteral("/nonexistent.pcap");
    QVERIFY(!view.loadScenario(missing, &error));
    QVERIFY(error.contains(QLatin1String("nonexistent.pcap")));
}

void TestTeaching::viewFollowsWorkspaceSelection() {
    SelectionState workspace;
    TeachingView view(nullptr, &workspace);
    QCOMPARE(view.currentStep(), -1);
    workspace.setAnalysis(analyseScenario(QStringLiteral("tw-reuse")));
    QCOMPARE(view.connection(), kNoIndex);
    QCOMPARE(view.stepCount(), 0);
    workspace.selectConnection(2); // a click in the connections table
    QCOMPARE(view.connection(), 2u);
    QCOMPARE(view.currentStep(), 0);
    QCOMPARE(stepSegment(*workspace.analysis(), 2, view.steps().front())->frame, 21u);
    QCOMPARE(view.ladder()->canvas()->highlightedSegment(), 0);
    QVERIFY(view.explanation()->toPlainText().contains(QLatin1String("A 4-tuple reopened while in TIME-WAIT")));
    view.setConnection(4); // teaching another one selects it in the workspace
    QCOMPARE(workspace.connection(), 4u);
    QCOMPARE(view.ladder()->canvas()->ladder().connection, 4u);
    workspace.setAnalysis(analyseScenario(QStringLiteral("client-close"))); // a new analysis clears it
    QCOMPARE(view.connection(), kNoIndex);
    QCOMPARE(view.currentStep(), -1);
}

void TestTeaching::diagramSvgKeepsText() {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(QSize(600, 700));
    svg.setViewBox(QRect(0, 0, 600, 700));
    StateDiagramContent c;
    c.clientState = Tw;
    c.serverState = Closed;
    c.taken = {{Fw1, Tw, Side::Client}, {LastAck, Closed, Side::Server}};
    c.transitions[{Est, Closed}] = 3; // outside Figure 5: drawn dashed, labelled RST
    {
        QPainter p(&svg);
        paintStateDiagram(p, QRectF(0, 0, 600, 700), c, StateColors(figurePalette()));
    }
    const QString out = QString::fromUtf8(buffer.data());
    for (const char* label : {"TIME-WAIT", "FIN-WAIT-2", "CLOSING", "LAST-ACK", "SYN-RECEIVED", "LISTEN", "client", "server",
                              "rcv FIN / snd ACK", "timeout 2 MSL (Linux: 60 s)", "RST"})
        QVERIFY2(out.contains(QLatin1String(label)), label);
    QVERIFY(out.contains(QStringLiteral("\u00d7""3")));
}

// The reopening step says how the SYN relates to the previous incarnation's close: after it
// (tw-reuse), or before it when the old connection was still closing (syn_to_last_ack: the
// server in LAST_ACK answered the SYN, and the client's RST to that answer closed it, 52 us later).
void TestTeaching::reuseExplanationSaysBeforeOrAfter() {
    const auto explanationOf = [](const Analysis& a, std::uint32_t connection) {
        const std::vector<TeachingStep> steps = buildTeachingSteps(a, connection);
        for (std::size_t i = 0; i < steps.size(); ++i)
            if (steps[i].has(TeachingTopic::Reuse))
                return stepExplanationHtml(a, connection, steps[i], i, steps.size());
        return QString();
    };
    const auto lastAck = testsupport::analyseFiles({QStringLiteral(TWLENS_TEST_DATA "/kernel/syn_to_last_ack/client.pcap")});
    QVERIFY(lastAck);
    QCOMPARE(lastAck->connections.size(), std::size_t{2});
    QCOMPARE(lastAck->connections[1].reuseGap, -fromSeconds(0.000052));
    const QString before = explanationOf(*lastAck, 1);
    QVERIFY2(before.contains(QLatin1String("The previous connection on this 4-tuple was still closing: it closed 0.000052 s after this SYN.")),
             qPrintable(before));
    QVERIFY(!before.contains(QLatin1String("closed -")));

    const Taught reuse(QStringLiteral("tw-reuse"));
    QVERIFY(reuse.a);
    const Connection& c = reuse.a->connections[reuse.connection];
    QVERIFY(c.reuseGap > 0);
    const QString after = explanationOf(*reuse.a, reuse.connection);
    QVERIFY2(after.contains(QStringLiteral("The previous connection on this 4-tuple closed %1 earlier.")
                                .arg(QString::fromStdString(durationText(c.reuseGap)))),
             qPrintable(after));
}

QTEST_MAIN(TestTeaching)
#include "tst_teaching.moc"
