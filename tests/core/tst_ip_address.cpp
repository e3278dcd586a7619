// SPDX-License-Identifier: GPL-3.0-or-later
// IpAddress text both ways: IPv4 printed by twlens' own dotted-quad formatter must be what
// inet_ntop prints (every octet value in every position, and random addresses), IPv6 stays
// inet_ntop's (RFC 5952 compression), and parse() reads back what toString() wrote.
#include <QtTest>

#include <arpa/inet.h>

#include <random>
#include <string>

#include "core/model/ip_address.h"

using namespace twlens;

namespace {
std::string ntop(int family, const void* raw) {
    char buf[INET6_ADDRSTRLEN];
    return inet_ntop(family, raw, buf, sizeof buf) ? std::string(buf) : std::string();
}
} // namespace

class TestIpAddress : public QObject {
    Q_OBJECT

private slots:
    void v4AsInetNtop() {
        std::mt19937 rng(1337);
        int checked = 0;
        for (int position = 0; position < 4; ++position)
            for (int value = 0; value < 256; ++value)
                for (int round = 0; round < 8; ++round) {
                    std::uint8_t raw[4];
                    for (std::uint8_t& b : raw)
                        b = static_cast<std::uint8_t>(rng());
                    raw[position] = static_cast<std::uint8_t>(value);
                    const IpAddress a = IpAddress::fromV4(raw);
                    const std::string text = a.toString();
                    QCOMPARE(text, ntop(AF_INET, raw));
                    QCOMPARE(IpAddress::parse(text), std::optional<IpAddress>(a));
                    ++checked;
                }
        QCOMPARE(checked, 4 * 256 * 8);
        QCOMPARE(IpAddress::fromV4(0u).toString(), std::string("0.0.0.0"));
        QCOMPARE(IpAddress::fromV4(0xFFFFFFFFu).toString(), std::string("255.255.255.255"));
        QCOMPARE(IpAddress::fromV4(0x0A000001u).toString(), std::string("10.0.0.1"));
    }

    void v6AsInetNtop() {
        for (const char* text : {"::1", "2001:db8::1", "fe80::1:2:3:4", "::", "2001:db8:0:0:1:0:0:1"}) {
            const auto a = IpAddress::parse(text);
            QVERIFY2(a.has_value(), text);
            QCOMPARE(a->toString(), ntop(AF_INET6, a->bytes.data()));
            QCOMPARE(IpAddress::parse(a->toString()), a);
        }
        QCOMPARE(IpAddress::parse("2001:db8:0:0:1:0:0:1")->toString(), std::string("2001:db8::1:0:0:1"));
        QVERIFY(!IpAddress::parse("1.2.3.4.5"));
    }
};

QTEST_GUILESS_MAIN(TestIpAddress)
#include "tst_ip_address.moc"
