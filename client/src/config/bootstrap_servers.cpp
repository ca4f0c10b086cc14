// bootstrap.servers syntax. The Java client (Utils.getHost/getPort) takes an optional
// `scheme://`, a host (IPv6 in brackets) and a required port; librdkafka lets the port
// default to 9092 and checks the scheme against security.protocol. kafkit takes the port
// as optional like librdkafka, and only the PLAINTEXT scheme while TLS and SASL are missing.

#include "config/bootstrap_servers.hpp"

#include "config/property_value.hpp"

#include <charconv>
#include <cstdint>

namespace kafkit::detail {
namespace {

constexpr std::uint16_t default_port = 9092;

class entry_parser {
public:
    entry_parser(std::string_view spelled, std::string_view entry)
        : spelled_(spelled), entry_(entry) {}

    config_result<broker_address> parse() {
        std::string_view rest = entry_;
        if (const auto sep = rest.find("://"); sep != std::string_view::npos) {
            if (auto scheme = check_scheme(rest.substr(0, sep)); !scheme) return scheme.error();
            rest.remove_prefix(sep + 3);
        }
        std::string_view host;
        std::string_view port;
        if (rest.starts_with('[')) {
            const auto close = rest.find(']');
            if (close == std::string_view::npos) return fail("no ']' closes the IPv6 address");
            host = rest.substr(1, close - 1);
            const auto after = rest.substr(close + 1);
            if (!after.empty() && !after.starts_with(':')) {
                return fail(concat({"unexpected '", after, "' after the IPv6 address"}));
            }
            if (after == ":") return fail("no port after ':'");
            if (!after.empty()) port = after.substr(1);
        } else {
            const auto colon = rest.find(':');
            if (colon != std::string_view::npos &&
                rest.find(':', colon + 1) != std::string_view::npos) {
                return fail("an IPv6 address needs brackets, as in [::1]:9092");
            }
            host = rest.substr(0, colon);
            if (colon != std::string_view::npos) {
                port = rest.substr(colon + 1);
                if (port.empty()) return fail("no port after ':'");
            }
        }
        if (host.empty()) return fail("no host");
        auto number = parse_port(port);
        if (!number) return number.error();
        return broker_address{std::string(host), number.value()};
    }

private:
    config_error fail(std::string_view what) const {
        return config_fail(spelled_, concat({"'", entry_, "': ", what}));
    }

    config_result<void> check_scheme(std::string_view scheme) const {
        if (equals_ignoring_case(scheme, "PLAINTEXT")) return {};
        if (equals_ignoring_case(scheme, "SSL") || equals_ignoring_case(scheme, "SASL_PLAINTEXT") ||
            equals_ignoring_case(scheme, "SASL_SSL")) {
            return fail("TLS and SASL are not supported yet, only PLAINTEXT://");
        }
        return fail(concat({"unknown protocol '", scheme, "'"}));
    }

    config_result<std::uint16_t> parse_port(std::string_view text) const {
        if (text.empty()) return default_port;
        unsigned value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (end != text.data() + text.size() ||
            (ec != std::errc() && ec != std::errc::result_out_of_range)) {
            return fail(concat({"port '", text, "' is not a number"}));
        }
        if (ec == std::errc::result_out_of_range || value < 1 || value > 65535) {
            return fail(concat({"port ", text, " is outside 1 to 65535"}));
        }
        return static_cast<std::uint16_t>(value);
    }

    std::string_view spelled_;
    std::string_view entry_;
};

} // namespace

config_result<std::vector<broker_address>>
parse_bootstrap_servers(std::string_view spelled, const std::vector<std::string>& entries) {
    if (entries.empty()) return config_fail(spelled, "empty; give at least one host:port");
    std::vector<broker_address> addresses;
    addresses.reserve(entries.size());
    for (const auto& entry : entries) {
        auto address = entry_parser(spelled, entry).parse();
        if (!address) return address.error();
        addresses.push_back(std::move(address).value());
    }
    return addresses;
}

} // namespace kafkit::detail
