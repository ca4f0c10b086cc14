#pragma once
// What every admin operation's options have.

#include <chrono>
#include <optional>

namespace kafkit::admin {

/// How long the operation may take, retries included, as the Java client's timeoutMs:
/// default.api.timeout.ms when unset. Entities not done by then fail with errc::timed_out.
struct call_options {
    std::optional<std::chrono::milliseconds> timeout;
};

} // namespace kafkit::admin
