// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/arguments.h"

#include <cmath>

namespace twlens::cli {

namespace {

constexpr std::string_view kUsage =
    R"(Usage: twlens-cli analyze INPUT... [options]
       twlens-cli report INPUT... -o REPORT.html|REPORT.pdf [options]
       twlens-cli render INPUT... --view VIEW -o FIGURE.png|FIGURE.svg|FIGURE.pdf [options]
       twlens-cli --help | --version

Reads TCP captures (pcap, pcapng, gzip-compressed or not) and socket snapshots (ss, netstat,
/proc/net/sockstat, /proc/net/tcp, /proc/net/netstat, sysctl output, collector bundles),
each detected by its content, and reports how the connections closed: who closed first,
TIME_WAIT windows, lost final ACKs, reused 4-tuples, hazards and port exhaustion.
Without --json or --csv it prints a summary for people on stdout.

report writes the incident report of the same analysis: verdict, timeline, ports per
destination, hazards with their evidence frames and ladder diagrams, findings and fixes
best first, the inputs with their SHA-256 and the settings used. A .html report is one
self-contained file (figures embedded); .pdf prints the same on A4. No display needed.
  -o, --output FILE   the report to write; .html, .htm or .pdf (report only)

render draws one view of the same analysis as a stand-alone figure (title, legend, time
axis, and a caption naming the inputs and the settings used with their sources). PNG, SVG
or PDF by the extension of -o; text stays text in SVG and PDF. No display needed.
  --view VIEW         timeline, ladder, exhaustion, snapshots (needs ss, netstat or
                      sockstat inputs) or states (the RFC 9293 state diagram with
                      how often each transition was taken)
  --connection ID     ladder, states: the connection (its number in the analyze
                      output) [ladder: the one with the most severe hazard;
                      states: every connection in the window]
  --from T, --to T    the time window, T in seconds after the analysis' first packet
                      (e.g. --from 12.5 --to 30) [the whole analysis, TIME_WAIT included]
  --size WxH          figure size in pixels (points in SVG and PDF) [1200x750]
  --scale S           PNG only: pixels per figure unit, e.g. 2 for print [1]
  -o, --output FILE   the figure to write: FILE.png, FILE.svg or FILE.pdf (render only)

Options:
  --json OUT          write the twlens/1 JSON document to OUT ('-' = stdout)
  --csv OUT           write one CSV row per connection to OUT ('-' = stdout)
  --tw-seconds S      TIME_WAIT length in seconds [60, Linux TCP_TIMEWAIT_LEN]
  --port-range LO-HI  ephemeral port range [from a sysctl input, else 32768-60999]
  --tw-reuse 0|1|2    net.ipv4.tcp_tw_reuse (outgoing connections only): 0 off,
                      1 all, 2 loopback only [from a sysctl input, else 2]
  --rfc1337 0|1       net.ipv4.tcp_rfc1337: 0 = a RST carrying exactly the expected
                      sequence number ends TIME_WAIT, 1 = it is ignored
                      [from a sysctl input, else 0]
  --reuse-factor N    what-if: N requests per connection (keep-alive, pools), so
                      N times fewer new connections; exhaustion figures become
                      projections [1]
  --quiet             no summary, no progress and no warnings on stderr
  -h, --help          show this help
  --version           show the version

Exit status: 0 analysed (input warnings allowed), 2 usage error or an input that cannot
be read at all, 1 internal error.
)";

Error usage(std::string message) { return Error{std::move(message) + " (see twlens-cli --help)"}; }

} // namespace

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string_view usageText() { return kUsage; }

Result<AnalyzeOptions> parseAnalyzeArguments(std::span<const std::string_view> args) {
    AnalyzeOptions o;
    bool onlyInputs = false;
    bool seenTw = false;
    bool seenReuseFactor = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        if (onlyInputs || arg == "-" || !arg.starts_with("-")) {
            if (arg == "-")
                return usage("reading an input from stdin is not supported; give a file name");
            o.inputs.emplace_back(arg);
            continue;
        }
        if (arg == "--") {
            onlyInputs = true;
            continue;
        }
        if (arg == "-h" || arg == "--help") {
            o.help = true;
            continue;
        }
        if (arg == "--quiet" || arg == "-q") {
            o.quiet = true;
            continue;
        }
        // The remaining options take a value, as "--name VALUE" or "--name=VALUE".
        std::string_view name = arg;
        std::optional<std::string_view> value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        const bool known = name == "--json" || name == "--csv" || name == "--tw-seconds" || name == "--port-range" ||
                           name == "--tw-reuse" || name == "--rfc1337" || name == "--reuse-factor";
        if (!known)
            return usage("unknown option " + quoted(name));
        if (!value) {
            if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
                return usage(std::string(name) + " needs a value");
            value = args[++i];
        }
        const std::string_view v = *value;

        if (name == "--json" || name == "--csv") {
            auto& slot = name == "--json" ? o.jsonOut : o.csvOut;
            if (slot)
                return usage(std::string(name) + " given twice");
            if (v.empty())
                return usage(std::string(name) + " needs a file name or '-'");
            slot = std::string(v);
        } else if (name == "--tw-seconds") {
            double s = 0;
            if (seenTw)
                return usage("--tw-seconds given twice");
            if (!parseWhole(v, s) || !std::isfinite(s) || s <= 0 || s > 86400)
                return usage("--tw-seconds: expected a number of seconds > 0 and <= 86400, got " + quoted(v));
            o.overrides.hasTwSeconds = true;
            o.overrides.twSeconds = s;
            seenTw = true;
        } else if (name == "--port-range") {
            if (o.overrides.hasPortRange)
                return usage("--port-range given twice");
            const auto dash = v.find('-');
            unsigned lo = 0, hi = 0;
            if (dash == std::string_view::npos || !parseWhole(v.substr(0, dash), lo) ||
                !parseWhole(v.substr(dash + 1), hi) || lo < 1 || lo > hi || hi > 65535)
                return usage("--port-range: expected LO-HI with 1 <= LO <= HI <= 65535, got " + quoted(v));
            o.overrides.hasPortRange = true;
            o.overrides.portLow = static_cast<std::uint16_t>(lo);
            o.overrides.portHigh = static_cast<std::uint16_t>(hi);
        } else if (name == "--tw-reuse") {
            int n = -1;
            if (o.overrides.hasTwReuse)
                return usage("--tw-reuse given twice");
            if (!parseWhole(v, n) || n < 0 || n > 2)
                return usage("--tw-reuse: expected 0, 1 or 2, got " + quoted(v));
            o.overrides.hasTwReuse = true;
            o.overrides.twReuse = n;
        } else if (name == "--reuse-factor") {
            double n = 0;
            if (seenReuseFactor)
                return usage("--reuse-factor given twice");
            seenReuseFactor = true;
            if (!parseWhole(v, n) || !(n >= 1.0 && n <= 1e6))
                return usage("--reuse-factor: expected a number of requests per connection >= 1, got " + quoted(v));
            o.reuseFactor = n;
        } else { // --rfc1337
            int n = -1;
            if (o.overrides.hasRfc1337)
                return usage("--rfc1337 given twice");
            if (!parseWhole(v, n) || n < 0 || n > 1)
                return usage("--rfc1337: expected 0 or 1, got " + quoted(v));
            o.overrides.hasRfc1337 = true;
            o.overrides.rfc1337 = n;
        }
    }
    if (o.help)
        return o;
    if (o.inputs.empty())
        return usage("analyze needs at least one INPUT file");
    if (o.jsonOut && o.csvOut && *o.jsonOut == "-" && *o.csvOut == "-")
        return usage("--json and --csv cannot both write to stdout");
    return o;
}

} // namespace twlens::cli
