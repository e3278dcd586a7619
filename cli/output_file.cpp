// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace twlens::cli {

namespace {
std::string why(int err) { return std::strerror(err); }
} // namespace

Result<std::unique_ptr<OutputFile>> OutputFile::open(const std::string& path) {
    std::unique_ptr<OutputFile> f(new OutputFile);
    f->path_ = path;
    if (path == "-") {
        f->toStdout_ = true;
        return f;
    }
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return Error{path + ": is a directory"};
    if (exists && !S_ISREG(st.st_mode)) {
        f->file_.open(path, std::ios::binary | std::ios::trunc);
        if (!f->file_)
            return Error{path + ": " + why(errno)};
        return f;
    }
    std::vector<char> tmpl(path.begin(), path.end());
    const char suffix[] = ".twlens-XXXXXX";
    tmpl.insert(tmpl.end(), suffix, suffix + sizeof suffix); // includes the terminating NUL
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0)
        return Error{path + ": " + why(errno)};
    // mkstemp creates 0600; give the result the permissions a plain open() would have.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, exists ? (st.st_mode & 07777) : (0666 & ~mask));
    ::close(fd);
    f->tempPath_ = tmpl.data();
    f->file_.open(f->tempPath_, std::ios::binary | std::ios::trunc);
    if (!f->file_) {
        const int err = errno;
        std::remove(f->tempPath_.c_str());
        return Error{path + ": " + why(err)};
    }
    return f;
}

OutputFile::~OutputFile() {
    if (!committed_ && !tempPath_.empty()) {
        file_.close();
        std::remove(tempPath_.c_str());
    }
}

std::ostream& OutputFile::stream() { return toStdout_ ? std::cout : static_cast<std::ostream&>(file_); }

Result<bool> OutputFile::commit() {
    if (toStdout_) {
        std::cout.flush();
        if (!std::cout)
            return Error{"stdout: write failed"};
        committed_ = true;
        return true;
    }
    file_.close();
    if (!file_)
        return Error{path_ + ": write failed (" + why(errno) + ")"};
    if (!tempPath_.empty() && std::rename(tempPath_.c_str(), path_.c_str()) != 0)
        return Error{path_ + ": " + why(errno)};
    committed_ = true;
    return true;
}

} // namespace twlens::cli
