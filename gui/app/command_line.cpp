// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/app/command_line.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace twlens {

CommandLine parseCommandLine(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "twlens", "Shows how TCP connections close: who closed first, TIME_WAIT windows, lost final ACKs, "
                  "4-tuple reuse, RFC 1337 hazards, ephemeral-port exhaustion."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("files"),
                                 QCoreApplication::translate("twlens", "Captures (pcap, pcapng, .gz), socket snapshots, sysctl output "
                                                                       "or collector bundles; analysed together."),
                                 QStringLiteral("[FILE...]"));
    const QCommandLineOption sample(QStringLiteral("sample"), QCoreApplication::translate("twlens", "Open the bundled sample."));
    QCommandLineOption shots(QStringLiteral("screenshot-dir"), QStringLiteral("Save a PNG of each view to DIR and quit."),
                             QStringLiteral("DIR"));
    shots.setFlags(QCommandLineOption::HiddenFromHelp);
    const QCommandLineOption tw(QStringLiteral("tw-seconds"),
                                QCoreApplication::translate("twlens", "TIME_WAIT length in seconds [60, Linux TCP_TIMEWAIT_LEN]."),
                                QStringLiteral("S"));
    const QCommandLineOption range(QStringLiteral("port-range"),
                                   QCoreApplication::translate("twlens", "Ephemeral port range LO-HI [sysctl input, else 32768-60999]."),
                                   QStringLiteral("LO-HI"));
    const QCommandLineOption reuse(QStringLiteral("tw-reuse"),
                                   QCoreApplication::translate("twlens", "net.ipv4.tcp_tw_reuse 0|1|2 [sysctl input, else 2]."),
                                   QStringLiteral("N"));
    const QCommandLineOption rfc(QStringLiteral("rfc1337"),
                                 QCoreApplication::translate("twlens", "net.ipv4.tcp_rfc1337 0|1 [sysctl input, else 0]."),
                                 QStringLiteral("N"));
    parser.addOptions({sample, shots, tw, range, reuse, rfc});
    parser.process(arguments);

    CommandLine cl;
    cl.files = parser.positionalArguments();
    cl.sample = parser.isSet(sample);
    cl.screenshotDir = parser.value(shots);
    bool ok = true;
    if (parser.isSet(tw)) {
        cl.overrides.hasTwSeconds = true;
        cl.overrides.twSeconds = parser.value(tw).toDouble(&ok);
        if (!ok || cl.overrides.twSeconds <= 0)
            cl.error = QStringLiteral("--tw-seconds: expected a positive number");
    }
    if (parser.isSet(range)) {
        const QStringList parts = parser.value(range).split(QLatin1Char('-'));
        bool okLo = false, okHi = false;
        const uint lo = parts.value(0).toUInt(&okLo), hi = parts.value(1).toUInt(&okHi);
        if (parts.size() != 2 || !okLo || !okHi || lo == 0 || hi > 65535 || lo > hi)
            cl.error = QStringLiteral("--port-range: expected LO-HI with 1 <= LO <= HI <= 65535");
        cl.overrides.hasPortRange = true;
        cl.overrides.portLow = std::uint16_t(lo);
        cl.overrides.portHigh = std::uint16_t(hi);
    }
    if (parser.isSet(reuse)) {
        cl.overrides.hasTwReuse = true;
        cl.overrides.twReuse = parser.value(reuse).toInt(&ok);
        if (!ok || cl.overrides.twReuse < 0 || cl.overrides.twReuse > 2)
            cl.error = QStringLiteral("--tw-reuse: expected 0, 1 or 2");
    }
    if (parser.isSet(rfc)) {
        cl.overrides.hasRfc1337 = true;
        cl.overrides.rfc1337 = parser.value(rfc).toInt(&ok);
        if (!ok || cl.overrides.rfc1337 < 0 || cl.overrides.rfc1337 > 1)
            cl.error = QStringLiteral("--rfc1337: expected 0 or 1");
    }
    return cl;
}

} // namespace twlens
