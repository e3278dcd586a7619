// SPDX-License-Identifier: GPL-3.0-or-later
#include "importers/snapshot/collector_bundle.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>
#include <unordered_map>
#include <vector>

#include <zlib.h>

#include "importers/input_plan.h"
#include "importers/snapshot/text_fields.h"
#include "importers/snapshot/time_line.h"

namespace twlens {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxIndexBytes = 4u << 20;

// The tar is read through zlib rather than libarchive's gzip filter: gzread hands out every byte
// it can decode and then reports the damage, so a bundle cut short keeps its first members
// (libarchive's filter fails at open when a small stream is truncated).
struct GzTar {
    gzFile gz = nullptr;
    bool truncated = false;
    std::vector<char> buf = std::vector<char>(64 * 1024);
    ~GzTar() {
        if (gz)
            gzclose(gz);
    }
};

la_ssize_t gzTarRead(archive*, void* client, const void** out) {
    auto* t = static_cast<GzTar*>(client);
    const int n = gzread(t->gz, t->buf.data(), static_cast<unsigned>(t->buf.size()));
    if (n < 0) {
        t->truncated = true;
        return 0; // what came before stays readable; the tar reader then sees its end
    }
    *out = t->buf.data();
    return n;
}

struct OpenTar {
    std::unique_ptr<GzTar> source = std::make_unique<GzTar>();
    archive* a = nullptr;
    ~OpenTar() {
        if (a)
            archive_read_free(a);
    }
};

// A tar, plain or gzip-compressed (gzopen passes plain files through).
std::unique_ptr<OpenTar> openTar(const std::string& path) {
    auto t = std::make_unique<OpenTar>();
    t->source->gz = gzopen(path.c_str(), "rb");
    if (!t->source->gz)
        return nullptr;
    t->a = archive_read_new();
    archive_read_support_filter_none(t->a);
    archive_read_support_format_tar(t->a);
    if (archive_read_open(t->a, t->source.get(), nullptr, gzTarRead, nullptr) != ARCHIVE_OK)
        return nullptr;
    return t;
}

std::string_view baseName(std::string_view p) {
    while (p.ends_with('/'))
        p.remove_suffix(1);
    const std::size_t slash = p.rfind('/');
    return slash == std::string_view::npos ? p : p.substr(slash + 1);
}

// The directory part of a tar name including its slash ("twlens-collect-web1-.../"), or "".
std::string_view dirPart(std::string_view p) {
    const std::size_t slash = p.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : p.substr(0, slash + 1);
}

bool safeMemberName(std::string_view n) {
    if (n.empty() || n.front() == '/' || n.size() > 1024)
        return false;
    std::size_t i = 0;
    while (i <= n.size()) {
        const std::size_t slash = std::min(n.find('/', i), n.size());
        const std::string_view part = n.substr(i, slash - i);
        if (part.empty() || part == "." || part == "..")
            return false;
        i = slash + 1;
    }
    return true;
}

bool importableKind(std::string_view k) {
    return k == "ss" || k == "ss_summary" || k == "sockstat" || k == "sockstat6" || k == "proc_net_netstat" ||
           k == "proc_net_tcp" || k == "netstat" || k == "nstat" || k == "sysctl" || k == "pcap" || k == "pcapng";
}

std::string readAllData(archive* a, std::size_t limit) {
    std::string data;
    char buf[8192];
    for (;;) {
        const la_ssize_t n = archive_read_data(a, buf, sizeof buf);
        if (n <= 0 || data.size() + static_cast<std::size_t>(n) > limit)
            break;
        data.append(buf, static_cast<std::size_t>(n));
    }
    return data;
}

fs::path directoryIndex(const fs::path& dir) {
    std::error_code ec;
    if (fs::is_regular_file(dir / kBundleIndexName, ec))
        return dir / kBundleIndexName;
    // A directory holding the unpacked tar's single top directory.
    fs::path only;
    int dirs = 0;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.is_directory(ec)) {
            only = e.path();
            ++dirs;
        }
    }
    if (dirs == 1 && fs::is_regular_file(only / kBundleIndexName, ec))
        return only / kBundleIndexName;
    return {};
}

bool startsWithMagic(std::string_view text) { return text.starts_with(kBundleIndexMagic); }

std::string readFile(const fs::path& p, std::size_t limit) {
    std::ifstream in(p, std::ios::binary);
    std::string s(limit, '\0');
    in.read(s.data(), static_cast<std::streamsize>(limit));
    s.resize(static_cast<std::size_t>(in.gcount()));
    return s;
}

} // namespace

ExpandedBundle::~ExpandedBundle() {
    if (!tempDir.empty()) {
        std::error_code ec;
        fs::remove_all(tempDir, ec);
    }
}

ExpandedBundle::ExpandedBundle(ExpandedBundle&& o) noexcept
    : members(std::move(o.members)), notes(std::move(o.notes)), tempDir(std::move(o.tempDir)) {
    o.tempDir.clear();
}

ExpandedBundle& ExpandedBundle::operator=(ExpandedBundle&& o) noexcept {
    if (this != &o) {
        if (!tempDir.empty()) {
            std::error_code ec;
            fs::remove_all(tempDir, ec);
        }
        members = std::move(o.members);
        notes = std::move(o.notes);
        tempDir = std::move(o.tempDir);
        o.tempDir.clear();
    }
    return *this;
}

std::vector<BundleMember> parseBundleIndex(std::string_view text, std::vector<std::string>& notes) {
    std::vector<BundleMember> out;
    std::size_t pos = 0;
    std::uint32_t lineNo = 0;
    while (pos < text.size()) {
        const std::size_t nl = std::min(text.find('\n', pos), text.size());
        std::string_view line = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++lineNo;
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.empty() || line.front() == '#')
            continue;
        std::string_view col[4];
        std::size_t n = 0, i = 0;
        while (n < 4) {
            const std::size_t tab = n == 3 ? line.size() : std::min(line.find('\t', i), line.size());
            col[n++] = line.substr(i, tab - i);
            if (tab >= line.size())
                break;
            i = tab + 1;
        }
        const std::string where = std::string(kBundleIndexName) + " line " + std::to_string(lineNo);
        if (n < 3 || !safeMemberName(col[0]) || col[1].empty()) {
            notes.push_back(where + ": not a MEMBER<TAB>KIND<TAB>EPOCH line; skipped");
            continue;
        }
        BundleMember m;
        m.name = std::string(col[0]);
        m.kind = std::string(col[1]);
        const TimeLine t = parseTimeLine(col[2]);
        if (t.kind == TimeLine::Kind::Time)
            m.indexTime = t.ts;
        else if (!text::trim(col[2]).empty())
            notes.push_back(where + ": cannot read the time '" + std::string(col[2]) + "'");
        if (m.kind == "skipped") {
            notes.push_back(m.name + ": skipped by the collector" +
                            (n == 4 && !col[3].empty() ? " (" + std::string(col[3]) + ")" : std::string()));
            continue;
        }
        if (!importableKind(m.kind))
            continue; // "info": uname, ip addresses, the collector's log
        out.push_back(std::move(m));
    }
    return out;
}

bool isCollectorBundle(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const fs::path idx = directoryIndex(path);
        return !idx.empty() && startsWithMagic(readFile(idx, 256));
    }
    if (!fs::is_regular_file(path, ec))
        return false;
    const auto t = openTar(path);
    if (!t)
        return false;
    archive_entry* e = nullptr;
    if (archive_read_next_header(t->a, &e) != ARCHIVE_OK)
        return false;
    const char* name = archive_entry_pathname(e);
    if (!name || baseName(name) != kBundleIndexName)
        return false;
    char buf[64];
    const la_ssize_t n = archive_read_data(t->a, buf, sizeof buf);
    return n > 0 && startsWithMagic(std::string_view(buf, static_cast<std::size_t>(n)));
}

Result<ExpandedBundle> expandCollectorBundle(const std::string& path) {
    ExpandedBundle b;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const fs::path idx = directoryIndex(path);
        if (idx.empty())
            return Error{path + ": no " + std::string(kBundleIndexName) + " in this directory"};
        const std::string text = readFile(idx, kMaxIndexBytes);
        if (!startsWithMagic(text))
            return Error{path + ": " + std::string(kBundleIndexName) + " is not a twlens-collect index"};
        const fs::path root = idx.parent_path();
        for (BundleMember& m : parseBundleIndex(text, b.notes)) {
            m.displayPath = path + "!" + m.name;
            m.filePath = (root / m.name).string();
            if (!fs::is_regular_file(m.filePath, ec)) {
                b.notes.push_back(m.name + ": listed in the index but missing from the bundle");
                continue;
            }
            b.members.push_back(std::move(m));
        }
        return b;
    }

    const auto t = openTar(path);
    if (!t)
        return Error{path + ": cannot open as a tar archive"};
    archive* a = t->a;
    archive_entry* e = nullptr;
    if (archive_read_next_header(a, &e) != ARCHIVE_OK || !archive_entry_pathname(e) ||
        baseName(archive_entry_pathname(e)) != kBundleIndexName)
        return Error{path + ": not a twlens-collect bundle (its first member is not " + std::string(kBundleIndexName) +
                     ")"};
    const std::string prefix(dirPart(archive_entry_pathname(e)));
    const std::string text = readAllData(a, kMaxIndexBytes);
    if (!startsWithMagic(text))
        return Error{path + ": " + std::string(kBundleIndexName) + " is not a twlens-collect index"};
    std::vector<BundleMember> wanted = parseBundleIndex(text, b.notes);
    std::unordered_map<std::string, std::size_t> byTarName;
    for (std::size_t i = 0; i < wanted.size(); ++i)
        byTarName.emplace(prefix + wanted[i].name, i);

    const char* tmpRoot = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmpRoot && *tmpRoot ? tmpRoot : "/tmp") + "/twlens-bundle-XXXXXX";
    if (!mkdtemp(tmpl.data()))
        return Error{path + ": cannot create a temporary directory to unpack the bundle"};
    b.tempDir = tmpl;

    std::vector<bool> found(wanted.size(), false);
    int r;
    std::size_t serial = 0;
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        const char* name = archive_entry_pathname(e);
        if (!name || archive_entry_filetype(e) != AE_IFREG)
            continue;
        const auto it = byTarName.find(name);
        if (it == byTarName.end() || found[it->second])
            continue;
        BundleMember& m = wanted[it->second];
        // Flat names in the temporary directory: nothing from the archive chooses a path.
        const std::string out = b.tempDir + "/" + std::to_string(++serial) + "-" + std::string(baseName(m.name));
        std::FILE* f = std::fopen(out.c_str(), "wb");
        if (!f)
            return Error{path + ": cannot unpack " + m.name + " into " + b.tempDir};
        const void* block;
        size_t size;
        la_int64_t offset;
        bool ok = true;
        int dr;
        while ((dr = archive_read_data_block(a, &block, &size, &offset)) == ARCHIVE_OK)
            ok &= std::fwrite(block, 1, size, f) == size;
        ok &= std::fclose(f) == 0;
        if (dr != ARCHIVE_EOF) {
            b.notes.push_back(m.name + ": damaged in the archive (" + std::string(archive_error_string(a) ? archive_error_string(a) : "read error") +
                              "); read as far as it goes");
        }
        if (!ok)
            return Error{path + ": cannot write the unpacked " + m.name};
        m.filePath = out;
        found[it->second] = true;
    }
    if (r != ARCHIVE_EOF || t->source->truncated)
        b.notes.push_back(std::string("the archive ends early (") +
                          (archive_error_string(a) ? archive_error_string(a) : "truncated") +
                          "): later members are missing");
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        if (!found[i]) {
            b.notes.push_back(wanted[i].name + ": listed in the index but missing from the bundle");
            continue;
        }
        wanted[i].displayPath = path + "!" + wanted[i].name;
        b.members.push_back(std::move(wanted[i]));
    }
    return b;
}

Result<bool> addCollectorBundle(const std::string& path, InputPlan& plan) {
    if (!isCollectorBundle(path))
        return false;
    auto bundle = expandCollectorBundle(path);
    if (!bundle)
        return bundle.error();
    if (bundle->members.empty())
        return Error{path + ": this twlens-collect bundle holds nothing twlens reads" +
                     (bundle->notes.empty() ? std::string() : " (" + bundle->notes.front() + ")")};
    auto owned = std::make_shared<ExpandedBundle>(std::move(*bundle));
    for (std::size_t i = 0; i < owned->members.size(); ++i) {
        const BundleMember& m = owned->members[i];
        PlannedInput in{m.filePath, m.displayPath, m.indexTime, {}};
        if (i == 0)
            in.notes = owned->notes;
        plan.inputs.push_back(std::move(in));
    }
    plan.keepAlive.push_back(std::move(owned));
    return true;
}

} // namespace twlens
