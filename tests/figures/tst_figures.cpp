// SPDX-License-Identifier: GPL-3.0-or-later
// Figures on the bundled sample (resources/samples/sample.pcap: 17 connections, #2 with a lost
// final ACK, #5 a TIME_WAIT assassination) and the ladder's segment highlight.
#include <QImage>
#include <QScrollBar>
#include <QtTest>

#include "gui/state/selection_state.h"
#include "gui/views/ladder_widget.h"
#include "importers/analyze_files.h"

using namespace twlens;

namespace {

const QString kSamples = QStringLiteral(TWLENS_SOURCE_DIR "/resources/samples");

std::shared_ptr<const Analysis> analyse(const QStringList& files) {
    AnalyzeRequest r;
    for (const QString& f : files)
        r.paths.push_back((kSamples + QLatin1Char('/') + f).toStdString());
    auto result = analyzeFiles(r);
    if (!result)
        qFatal("%s", result.error().message.c_str());
    return *result;
}

} // namespace

class TestFigures : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void ladder_highlightedSegment();

private:
    std::shared_ptr<const Analysis> sample_;
};

void TestFigures::initTestCase() { sample_ = analyse({QStringLiteral("sample.pcap")}); }

void TestFigures::ladder_highlightedSegment() {
    SelectionState selection;
    LadderView view(&selection);
    view.resize(900, 200);
    view.show();
    selection.setAnalysis(sample_);
    selection.selectConnection(2);
    LadderCanvas* canvas = view.canvas();
    const std::size_t rows = canvas->ladder().rows.size();
    QCOMPARE(rows, std::size_t(11));
    const QImage before = canvas->grab().toImage();
    QCOMPARE(view.verticalScrollBar()->value(), 0);
    // The server's retransmitted FIN (frame 42) is the lost final ACK's evidence.
    int fin = -1;
    std::size_t finRow = 0;
    for (std::size_t i = 0; i < rows; ++i)
        if (canvas->ladder().rows[i].frame == 42 && canvas->ladder().rows[i].kind == LadderRow::Kind::Segment) {
            fin = int(canvas->ladder().rows[i].segment);
            finRow = i;
        }
    QCOMPARE(fin, 7);
    QCOMPARE(finRow, std::size_t(8));
    view.setHighlightedSegment(fin);
    QCOMPARE(canvas->highlightedSegment(), fin);
    // Scrolled so the row is in sight (the view shows 200 px of the 442 px ladder).
    const QRect rr = canvas->rowRect(finRow);
    const int top = view.verticalScrollBar()->value();
    QVERIFY(top > 0);
    QVERIFY(rr.top() >= top && rr.bottom() <= top + view.viewport()->height());
    const QImage after = canvas->grab().toImage();
    QVERIFY(before != after);
    if (qEnvironmentVariableIsSet("TWLENS_FIGURE_DUMP"))
        after.save(qEnvironmentVariable("TWLENS_FIGURE_DUMP") + QStringLiteral("/ladder-highlight.png"));
    // Selecting another connection drops the highlight.
    selection.selectConnection(3);
    QCOMPARE(canvas->highlightedSegment(), -1);
}

QTEST_MAIN(TestFigures)
#include "tst_figures.moc"
