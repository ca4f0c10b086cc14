#pragma once
// main() of a benchmark tool: reads the command line and runs `produce`, `consume` or
// `latency` with the tool's clients.

#include "consume_driver.hpp"
#include "latency_driver.hpp"
#include "perf_driver.hpp"

#include <string>

namespace kafkit::perf {

/// A benchmark tool: its name and the clients it measures.
struct perf_tool {
    std::string name;        ///< the program, in --help and messages ("kafkit-perf")
    std::string client_name; ///< the client measured, in --help ("kafkit")
    client_factory make_producer;
    consume_client_factory make_consumer;
};

/// Parses `<tool> produce|consume|latency FLAGS` and runs the subcommand. Returns the exit status:
/// the subcommand's, 0 after --help, CLI11's code for a usage error (or 1 for a bad
/// combination of flags), after printing the usage.
[[nodiscard]] int run_perf_command(int argc, char** argv, const perf_tool& tool);

/// Runs the subcommand `command` holds with the tool's clients (parse_command_line's or
/// checked_command_line's outcome); returns its exit status, or command.exit_code when it
/// holds none.
[[nodiscard]] int run_parsed_perf_command(const parsed_command_line& command, const perf_tool& tool);

} // namespace kafkit::perf
