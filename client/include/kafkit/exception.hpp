#pragma once
// kafkit's one exception type. Thrown only where the caller chose to block or construct:
// a future's get(), a constructor given a bad config, a synchronous helper. Everything
// else reports an std::error_code.

#include <stdexcept>
#include <string>
#include <system_error>

namespace kafkit {

/// An error_code with the context it happened in ("linger.ms: -5 is below the minimum 0").
/// code() is in kafkit's local category (errc) or Kafka's (kafka_errc).
class exception : public std::runtime_error {
public:
    /// An exception for `code`; what() is "context: <message of code>", or the message
    /// alone when the context is empty.
    exception(std::error_code code, const std::string& context)
        : std::runtime_error(context.empty() ? code.message() : context + ": " + code.message()), code_(code) {}
    /// The error this exception carries.
    [[nodiscard]] std::error_code code() const noexcept { return code_; }

private:
    std::error_code code_;
};

} // namespace kafkit
