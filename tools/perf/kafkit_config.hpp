#pragma once
// The kafkit::config of kafkit-perf's clients: the merged properties as they are (kafkit's
// own property table judges them), and the client's log lines on stderr.

#include "perf_options.hpp"

#include "kafkit/config.hpp"

#include <cstdio>

namespace kafkit::perf {

/// `properties` in order (later ones win) and a log sink writing to stderr (at the
/// `log_level` property's level and above).
inline kafkit::config make_kafkit_config(const property_list& properties) {
    kafkit::config cfg;
    for (const auto& [name, value] : properties)
        cfg.set(name, value);
    cfg.set_log_sink(
        [](kafkit::log_level level, std::string_view facility, std::string_view message) {
            const auto name = kafkit::to_string(level);
            std::fprintf(stderr, "kafkit %.*s %.*s: %.*s\n", static_cast<int>(name.size()),
                         name.data(), static_cast<int>(facility.size()), facility.data(),
                         static_cast<int>(message.size()), message.data());
        });
    return cfg;
}

} // namespace kafkit::perf
