#pragma once
// Logging: kafkit writes nothing itself; it calls the sink the application put in its config.

#include <functional>
#include <string_view>

namespace kafkit {

/// Severity of a log line, lowest first.
enum class log_level { debug = 0, info = 1, warning = 2, error = 3 };

/// Kafka's lowercase name of a level ("debug", "info", "warning", "error").
[[nodiscard]] std::string_view to_string(log_level level) noexcept;

/// Receives one log line: its level, the part of the client it comes from ("broker",
/// "metadata", "producer", ...) and the text. Called on the client's I/O thread or on the
/// thread of the call that logs; it must not block for long and must not throw (an
/// exception is caught and dropped).
using log_sink = std::function<void(log_level level, std::string_view facility, std::string_view message)>;

} // namespace kafkit
