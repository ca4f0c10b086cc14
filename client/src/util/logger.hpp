#pragma once
// The client's handle on the application's log sink: a level filter in front of it, and
// no output at all without a sink. Cheap to copy; safe from any thread (the sink must be).

#include "kafkit/log.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace kafkit::detail {

class logger {
public:
    logger() = default;
    logger(log_sink sink, log_level min_level) : sink_(std::move(sink)), min_level_(min_level) {}

    /// True when a line at `level` would reach the sink (to skip building the message).
    [[nodiscard]] bool enabled(log_level level) const noexcept { return sink_ && level >= min_level_; }

    /// Sends one line; an exception from the sink is swallowed (a logger never throws).
    void log(log_level level, std::string_view facility, std::string_view message) const noexcept {
        if (!enabled(level)) return;
        try {
            sink_(level, facility, message);
        } catch (...) { // NOLINT(bugprone-empty-catch): a failing sink cannot be reported anywhere
        }
    }
    void debug(std::string_view facility, const std::string& m) const noexcept { log(log_level::debug, facility, m); }
    void info(std::string_view facility, const std::string& m) const noexcept { log(log_level::info, facility, m); }
    void warning(std::string_view facility, const std::string& m) const noexcept { log(log_level::warning, facility, m); }
    void error(std::string_view facility, const std::string& m) const noexcept { log(log_level::error, facility, m); }

private:
    log_sink sink_;
    log_level min_level_ = log_level::info;
};

} // namespace kafkit::detail
