// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/figures/figure.h"

#include <QBuffer>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <array>
#include <cmath>
#include <qcustomplot.h>

#include "core/presentation/figure_caption.h"
#include "core/presentation/labels.h"
#include "core/presentation/state_spans.h"
#include "gui/figures/figure_content.h"

namespace twlens {

namespace {

constexpr std::array<std::pair<FigureView, const char*>, 5> kViews{{{FigureView::Timeline, "timeline"},
                                                                    {FigureView::Ladder, "ladder"},
                                                                    {FigureView::Exhaustion, "exhaustion"},
                                                                    {FigureView::Snapshots, "snapshots"},
                                                                    {FigureView::States, "states"}}};
constexpr double kMaxPngPixels = 200e6; // a 14142 px square: beyond it QImage allocation is a risk

std::unique_ptr<FigureContent> makeContent(const FigureSetup& s, QString* error) {
    switch (s.request.view) {
    case FigureView::Timeline:
        return makeTimelineFigure(s, error);
    case FigureView::Ladder:
        return makeLadderFigure(s, error);
    case FigureView::Exhaustion:
        return makeExhaustionFigure(s, error);
    case FigureView::Snapshots:
        return makeSnapshotsFigure(s, error);
    case FigureView::States:
        return makeStatesFigure(s, error);
    }
    return nullptr;
}

void paintFigure(QCPPainter& p, const QSizeF& size, FigureContent& content, const StateColors& colors) {
    const QRectF area = paintFigureFrame(p, size, content.text, colors);
    p.save();
    p.setFont(figureFont(12));
    content.paint(p, area);
    p.restore();
}

} // namespace

std::optional<FigureView> parseFigureView(std::string_view name) {
    for (const auto& [view, text] : kViews)
        if (name == text)
            return view;
    return std::nullopt;
}

const char* figureViewName(FigureView view) {
    for (const auto& [v, text] : kViews)
        if (v == view)
            return text;
    return "";
}

std::optional<FigureFormat> figureFormatForPath(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return FigureFormat::Png;
    if (suffix == QLatin1String("svg"))
        return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf"))
        return FigureFormat::Pdf;
    return std::nullopt;
}

QStringList figureCaption(const FigureSetup& s, bool withWindow) {
    const Analysis& a = s.analysis;
    const QString inputs = s.request.inputLabel.isEmpty() ? QString::fromStdString(inputsCaption(a)) : s.request.inputLabel;
    QStringList lines;
    lines << QObject::tr("Input: %1 · twlens %2").arg(inputs, QStringLiteral(TWLENS_VERSION));
    if (withWindow)
        lines << QObject::tr("Time: %1").arg(QString::fromStdString(windowCaption(a, s.window)));
    lines << QObject::tr("Settings: %1").arg(QString::fromStdString(settingsCaption(a.settings)));
    return lines;
}

QString relativeText(const Analysis& a, TimeNs t) { return QString::fromStdString(relativeSecondsText(a, t)); }

QString endpointText(const IpAddress& ip, std::uint16_t port) { return QString::fromStdString(labels::endpoint(ip, port)); }

QString connectionLabel(const Analysis& a, const Connection& c) {
    return QStringLiteral("%1 → %2").arg(endpointText(a.clientIp(c), c.clientPort), endpointText(a.serverIp(c), c.serverPort));
}

std::vector<LegendEntry> stateLegend(const StateColors& colors) {
    using M = LegendEntry::Mark;
    return {{M::Box, colors.state(TcpState::SynSent), QObject::tr("SYN-SENT / SYN-RECEIVED")},
            {M::Box, colors.state(TcpState::Established), QObject::tr("ESTABLISHED")},
            {M::Box, colors.state(TcpState::FinWait1), QObject::tr("FIN-WAIT-1/2, CLOSING (active close)")},
            {M::Box, colors.state(TcpState::CloseWait), QObject::tr("CLOSE-WAIT, LAST-ACK (passive close)")},
            {M::Box, colors.timeWait(), QObject::tr("TIME-WAIT")}};
}

std::optional<QByteArray> renderFigure(const Analysis& a, const FigureRequest& r, FigureFormat f, QString* error) {
    auto fail = [error](const QString& message) -> std::optional<QByteArray> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QSizeF size = r.size;
    if (!(size.width() >= kFigureMinSide && size.height() >= kFigureMinSide && size.width() <= kFigureMaxSide &&
          size.height() <= kFigureMaxSide))
        return fail(QObject::tr("figure size %1x%2: each side must be between %3 and %4")
                        .arg(size.width())
                        .arg(size.height())
                        .arg(kFigureMinSide)
                        .arg(kFigureMaxSide));
    const QSize pixels(int(std::lround(size.width() * r.scale)), int(std::lround(size.height() * r.scale)));
    if (!(r.scale > 0 && r.scale <= kFigureMaxScale) ||
        (f == FigureFormat::Png && double(pixels.width()) * double(pixels.height()) > kMaxPngPixels))
        return fail(QObject::tr("scale %1: expected a factor above 0 and at most 16 that keeps the PNG under %2 megapixels")
                        .arg(r.scale)
                        .arg(kMaxPngPixels / 1e6));
    if (r.from != kNoTime && r.to != kNoTime && r.from >= r.to)
        return fail(QObject::tr("the time window's start (%1) is not before its end (%2)").arg(relativeText(a, r.from), relativeText(a, r.to)));
    if (r.connection && *r.connection >= a.connections.size())
        return fail(a.connections.empty() ? QObject::tr("no connection #%1: the analysis has no TCP connections").arg(*r.connection)
                                          : QObject::tr("no connection #%1: the analysis has %2 connections, #0 to #%3")
                                                .arg(*r.connection)
                                                .arg(a.connections.size())
                                                .arg(a.connections.size() - 1));
    const FigureWindow window = resolveWindow(a, r.from, r.to, r.view == FigureView::Snapshots);
    if (window.from >= window.to) {
        const FigureWindow all = fullWindow(a);
        return fail(QObject::tr("the time window %1 to %2 is empty (the analysis spans %3 to %4)")
                        .arg(relativeText(a, window.from), relativeText(a, window.to), relativeText(a, all.from),
                             relativeText(a, all.to)));
    }
    const QPalette palette = figurePalette();
    const FigureSetup setup{a, r, window, figureOrigin(a), palette, StateColors(palette)};
    std::unique_ptr<FigureContent> content = makeContent(setup, error);
    if (!content)
        return std::nullopt;

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    const QString title = content->text.title;
    // SVG and PDF: the painter ends (and the device is written) when it goes out of scope.
    auto paintVector = [&](QPaintDevice& device) {
        QCPPainter p(&device);
        p.setMode(QCPPainter::pmVectorized);
        p.setRenderHint(QPainter::Antialiasing);
        paintFigure(p, size, *content, setup.colors);
    };
    switch (f) {
    case FigureFormat::Png: {
        QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(r.scale);
        image.fill(Qt::white);
        {
            QCPPainter p(&image);
            p.setRenderHint(QPainter::Antialiasing);
            p.setRenderHint(QPainter::TextAntialiasing);
            paintFigure(p, size, *content, setup.colors);
        }
        image.setText(QStringLiteral("Title"), title);
        image.setText(QStringLiteral("Software"), QStringLiteral("twlens " TWLENS_VERSION));
        if (!image.save(&buffer, "PNG"))
            return fail(QObject::tr("could not encode the PNG"));
        break;
    }
    case FigureFormat::Svg: {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), size));
        svg.setResolution(72); // one logical unit = one point
        svg.setTitle(title);
        svg.setDescription(QStringLiteral("twlens " TWLENS_VERSION));
        paintVector(svg);
        break;
    }
    case FigureFormat::Pdf: {
        QPdfWriter pdf(&buffer);
        pdf.setResolution(72); // one logical unit = one point
        pdf.setPageSize(QPageSize(size, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("twlens " TWLENS_VERSION));
        paintVector(pdf);
        break;
    }
    }
    buffer.close();
    if (bytes.isEmpty())
        return fail(QObject::tr("the figure came out empty"));
    return bytes;
}

bool exportFigure(const Analysis& a, const FigureRequest& r, const QString& path, QString* error) {
    const auto format = figureFormatForPath(path);
    if (!format) {
        if (error)
            *error = QObject::tr("%1: unknown figure format '%2' (expected .png, .svg or .pdf)").arg(path, QFileInfo(path).suffix());
        return false;
    }
    const auto bytes = renderFigure(a, r, *format, error);
    if (!bytes)
        return false;
    // QSaveFile: the file appears whole, or an old one stays as it was.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(*bytes) != bytes->size() || !file.commit()) {
        if (error)
            *error = QObject::tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace twlens
