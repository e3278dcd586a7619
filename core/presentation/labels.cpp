// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/presentation/labels.h"

namespace twlens::labels {

std::string endpoint(const IpAddress& ip, std::uint16_t port) {
    std::string text = ip.isV4() ? ip.toString() : "[" + ip.toString() + "]";
    text += ':';
    text += std::to_string(port);
    return text;
}

} // namespace twlens::labels
