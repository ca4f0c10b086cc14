#pragma once
// `kafkit <command> ...`: the admin commands of the kafkit command line (topics, configs,
// groups, offsets, records, acls, cluster, brokers, perf, completion), parsed with CLI11.
// main() sends argv here when is_admin_command(argv[1]) and runs kcat's modes otherwise.

#include <string_view>

namespace kafkit::admin_cli {

/// True when `first_arg` (argv[1]) names an admin command, or is `help`, `--help` or
/// `completion`: the arguments are then run_admin_command's, not kcat's.
[[nodiscard]] bool is_admin_command(std::string_view first_arg) noexcept;

/// True when argv looks like a mistyped command rather than kcat's flags: argv[1] is a
/// word (no leading '-', not an existing file) and no kcat mode flag (-P, -C, -G, -L, -Q)
/// appears, e.g. `kafkit topcis list`. run_admin_command then names the unknown command.
[[nodiscard]] bool is_mistyped_command(int argc, char** argv);

/// Parses and runs `kafkit <command> ...`; returns the exit status (exit_status.hpp): 0
/// success, 1 an operation failed for an entity, 2 a usage error, 3 the cluster could not
/// be reached or did not answer in time. Writes results to stdout, errors to stderr.
[[nodiscard]] int run_admin_command(int argc, char** argv);

} // namespace kafkit::admin_cli
