// SPDX-License-Identifier: GPL-3.0-or-later
// One connection's ladder diagram as a figure, drawn by the view's LadderPainter: rows shrink (and
// past that the whole drawing scales) so every segment fits the page.
#include <QPainter>
#include <QStringList>
#include <algorithm>
#include <qcustomplot.h>

#include "core/model/tcp_flags.h"
#include "core/presentation/ladder_rows.h"
#include "gui/figures/figure_content.h"
#include "gui/figures/ladder_painter.h"

namespace twlens {

namespace {

constexpr double kMinRowHeight = 24; // two lines of small text: label over arrow
constexpr double kMaxRowHeight = 52; // taller rows only make the arrows steeper

class LadderFigure : public FigureContent {
public:
    LadderFigure(const FigureSetup& s, std::uint32_t connection) : s_(s) { painter_.setLadder(buildLadder(s.analysis, connection)); }

    std::size_t rows() const { return painter_.ladder().rows.size(); }

    void paint(QCPPainter& p, const QRectF& area) override {
        LadderGeometry g;
        const std::size_t n = std::max<std::size_t>(rows(), 1);
        const double fixed = g.height(0);
        g.rowHeight = std::clamp((area.height() - fixed) / double(n), kMinRowHeight, kMaxRowHeight);
        // Too many rows or too narrow a page even so: scale the whole ladder down.
        const double scale = std::min({1.0, area.height() / g.height(n), area.width() / LadderGeometry::minimumWidth()});
        g.width = area.width() / scale;
        const double spare = std::max(0.0, area.height() - g.height(n) * scale);
        p.save();
        p.translate(area.left(), area.top() + spare / 2);
        p.scale(scale, scale);
        p.setClipRect(QRectF(0, 0, g.width, area.height() / scale));
        LadderPaintOptions o;
        painter_.paint(p, &s_.analysis, g, s_.colors, o);
        p.restore();
    }

private:
    const FigureSetup& s_;
    LadderPainter painter_;
};

} // namespace

std::unique_ptr<FigureContent> makeLadderFigure(const FigureSetup& s, QString* error) {
    const Analysis& a = s.analysis;
    const bool chosen = !s.request.connection;
    const std::uint32_t id = chosen ? exampleConnection(a, s.window) : *s.request.connection;
    if (id == kNoIndex) {
        if (error)
            *error = a.connections.empty() ? QObject::tr("the ladder needs a TCP connection and the inputs have none")
                                           : QObject::tr("no connection in the time window to draw as a ladder");
        return nullptr;
    }
    auto f = std::make_unique<LadderFigure>(s, id);
    const Connection& c = a.connections[id];
    f->text.title = QObject::tr("Ladder diagram of connection #%1").arg(id);
    QStringList kinds;
    for (const Hazard& h : a.hazardsOf(c))
        if (!kinds.contains(QString::fromStdString(h.kind)))
            kinds << QString::fromStdString(h.kind);
    QString sub = connectionLabel(a, c);
    if (!kinds.isEmpty())
        sub += QObject::tr(" · hazards: %1").arg(kinds.join(QStringLiteral(", ")));
    if (chosen)
        sub += kinds.isEmpty() ? QObject::tr(" · shown as the example (no hazard in the window)")
                               : QObject::tr(" · shown as the example with the most severe hazard");
    sub += QObject::tr(" · times from the connection's first segment");
    f->text.subtitle = sub;
    using M = LegendEntry::Mark;
    const StateColors& k = s.colors;
    f->text.legend = {
        {M::Line, k.state(TcpState::Established), QObject::tr("SYN"), Qt::SolidLine, 2},
        {M::Line, k.state(TcpState::FinWait1).darker(120), QObject::tr("FIN"), Qt::SolidLine, 2},
        {M::Line, k.severity(Severity::Critical), QObject::tr("RST"), Qt::SolidLine, 2},
        {M::Line, k.text(), QObject::tr("ACK / data"), Qt::SolidLine, 2},
        {M::Line, k.text(), QObject::tr("retransmission"), Qt::DashLine, 2},
        {M::Line, k.mutedText(), QObject::tr("tap duplicate"), Qt::DotLine, 2},
        {M::Bracket, k.timeWait(), QObject::tr("TIME-WAIT window")},
    };
    // The lifelines take the timeline's state colours; short names keep the legend to two lines.
    f->text.legend.push_back({M::None, QColor(), QObject::tr("Lifelines:")});
    f->text.legend.push_back({M::Box, k.state(TcpState::SynSent), QObject::tr("handshake")});
    f->text.legend.push_back({M::Box, k.state(TcpState::Established), QObject::tr("ESTABLISHED")});
    f->text.legend.push_back({M::Box, k.state(TcpState::FinWait1), QObject::tr("active close")});
    f->text.legend.push_back({M::Box, k.state(TcpState::CloseWait), QObject::tr("passive close")});
    f->text.legend.push_back({M::Box, k.timeWait(), QObject::tr("TIME-WAIT")});
    f->text.caption = figureCaption(s, false);
    return f;
}

} // namespace twlens
