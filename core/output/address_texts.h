// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/ip_address.h"

namespace twlens {

// The writers' text of each interned address (Analysis::addresses), made the first time it is
// asked for and kept: a connection names two endpoints, and a big document names its few
// thousand hosts a million times. One per writing thread (the cache is not shared).
class AddressTexts {
public:
    explicit AddressTexts(const std::vector<IpAddress>& addresses) : addresses_(addresses), text_(addresses.size()) {}

    // Empty for an index the addresses do not hold (an Analysis assembled by hand).
    std::string_view operator[](std::uint32_t index) {
        if (index >= text_.size())
            return {};
        std::string& text = text_[index];
        if (text.empty()) // no address prints as ""
            text = addresses_[index].toString();
        return text;
    }

private:
    const std::vector<IpAddress>& addresses_;
    std::vector<std::string> text_;
};

} // namespace twlens
