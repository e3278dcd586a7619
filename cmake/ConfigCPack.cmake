# SPDX-License-Identifier: GPL-3.0-or-later
# CPack settings for the Debian package, kept apart from the build as Wireshark keeps its
# ConfigCPack.cmake. Included once, at the end of the top-level CMakeLists.txt, so every install()
# rule of the tree is known. Build the package from a build directory with `cpack -G DEB`
# (installer/README.md).

set(CPACK_PACKAGE_NAME "twlens")
set(CPACK_PACKAGE_VENDOR "twlens")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "twlens maintainers <twlens@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB")
set(CPACK_SOURCE_GENERATOR "TXZ")
set(CPACK_SOURCE_IGNORE_FILES "/build/;/\\\\.git/")

# Debian: the file name follows the Debian convention (twlens_0.1.0_amd64.deb), so
# `apt-get install ./twlens_*.deb` finds it.
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_NAME "twlens")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# Two lines: CPack puts the summary (CPACK_PACKAGE_DESCRIPTION_SUMMARY) first, then this, the
# README's first sentence, as the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "twlens shows how TCP connections close: who closed first, which 4-tuples sat in TIME_WAIT and for how long, lost final ACKs, early port reuse, RFC 1337 hazards and ephemeral-port exhaustion, from packet captures and saved socket snapshots (ss, netstat, /proc/net/*, sysctl).")
# Runtime dependencies come from the binaries themselves (dpkg-shlibdeps reads their NEEDED
# entries and maps them to Debian packages: libqt6widgets6, libqcustomplot2.1-qt6, libpcap0.8, ...),
# so the Depends line cannot drift from what the build links.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Qt SVG image plugin is loaded at run time (never linked), so dpkg-shlibdeps cannot see it;
# figures and reports need a font on a server with none (fontconfig finds nothing otherwise);
# twlens-collect needs ss (iproute2) and tcpdump is what makes its captures.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, fonts-dejavu-core, iproute2")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "tcpdump")

include(CPack)
