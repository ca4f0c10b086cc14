#pragma once
// The failures of one command's entities: each printed to stderr as it happens
// ("kafkit: <entity>: <error>"), remembered for the exit status and for the "errors" array
// of --output json.

#include "exit_status.hpp"

#include "kafkit/exception.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace kafkit::admin_cli {

class outcome {
public:
    /// Prints "kafkit: <entity>: <message>" on stderr and records the failure with `code`;
    /// a "topic <entity>" the message starts with is not repeated.
    void failed(std::string_view entity, std::error_code code, std::string_view message);
    /// The same for an admin future's exception: its code and what().
    void failed(std::string_view entity, const kafkit::exception& e) { failed(entity, e.code(), e.what()); }
    /// A failure that is no error code (a group that is not empty, an offset to shift from
    /// that is missing): exit status 1.
    void failed(std::string_view entity, std::string_view message) { failed(entity, {}, message); }

    /// True once anything failed.
    [[nodiscard]] bool any() const noexcept { return !failures_.empty(); }
    /// True when some failure was the cluster not answering (exit_unreachable).
    [[nodiscard]] bool unreachable() const noexcept;
    /// exit_success, exit_operation_failed, or exit_unreachable when unreachable().
    [[nodiscard]] int status() const noexcept;
    /// [{"entity", "error", "code"}] in the order of the failures; code is Kafka's error
    /// name ("UNKNOWN_TOPIC_OR_PARTITION"), kafkit's local one ("timed_out") or null.
    [[nodiscard]] nlohmann::json to_json() const;

private:
    struct failure {
        std::string entity;
        std::error_code code;
        std::string message;
    };
    std::vector<failure> failures_;
};

} // namespace kafkit::admin_cli
