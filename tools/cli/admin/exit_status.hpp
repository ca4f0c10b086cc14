#pragma once
// The exit statuses of `kafkit <command>`, which scripts may rely on (also listed in
// `kafkit --help` and docs/cli-admin.md):
//   0  success: every entity named was handled;
//   1  an operation failed: Kafka refused an entity (an unknown topic, a non-empty group,
//      an invalid config, ...). Each failure is printed as "kafkit: <entity>: <error>" on
//      stderr and the results of the entities that succeeded are still printed;
//   2  a usage error: an unknown command or flag, a missing or bad argument (CLI11's
//      message, or kafkit's for combinations CLI11 cannot check), a client property the
//      client refuses;
//   3  the cluster could not be reached, or did not answer within --timeout-ms.
// When entities fail in both ways, 3 wins: the failures may not be the entities' own.

#include <system_error>

namespace kafkit::admin_cli {

enum exit_status : int {
    exit_success = 0,
    exit_operation_failed = 1,
    exit_usage = 2,
    exit_unreachable = 3,
};

/// The status for a failure with `code`: exit_unreachable when the cluster did not answer
/// (timed_out, connection_failed, disconnected), exit_operation_failed otherwise.
[[nodiscard]] exit_status exit_status_for(std::error_code code) noexcept;

} // namespace kafkit::admin_cli
