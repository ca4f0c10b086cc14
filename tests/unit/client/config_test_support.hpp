#pragma once
// Helpers of the config tests: a producer config with bootstrap.servers set, the message
// a bad config throws, and a log sink that records its lines.

#include "config/client_settings.hpp"
#include "kafkit/config.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/log.hpp"
#include "kafkit/protocol/error.hpp"

#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::testing {

/// A config with bootstrap.servers=localhost:9092 and `extra` on top.
inline kafkit::config
producer_config(std::initializer_list<std::pair<std::string, std::string>> extra) {
    kafkit::config cfg{{"bootstrap.servers", "localhost:9092"}};
    for (const auto& [name, value] : extra)
        cfg.set(name, value);
    return cfg;
}

/// what() of the exception parse_producer_settings throws for `cfg` (checking that it
/// carries errc::invalid_config), or "no error".
inline std::string config_error_of(const kafkit::config& cfg) {
    try {
        (void)kafkit::detail::parse_producer_settings(cfg);
    } catch (const kafkit::exception& e) {
        CHECK(e.code() == kafkit::errc::invalid_config);
        return e.what();
    }
    return "no error";
}

/// Records log lines as "<level> <facility> <message>". Must outlive the sinks it hands out.
struct log_capture {
    std::vector<std::string> lines;

    [[nodiscard]] log_sink sink() {
        return [this](log_level level, std::string_view facility, std::string_view message) {
            lines.push_back(std::string(to_string(level)) + " " + std::string(facility) + " " +
                            std::string(message));
        };
    }
};

} // namespace kafkit::testing
