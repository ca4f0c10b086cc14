#include "perf_command.hpp"

namespace kafkit::perf {

int run_perf_command(int argc, char** argv, const perf_tool& tool) {
    return run_parsed_perf_command(parse_command_line(argc, argv, tool.name, tool.client_name), tool);
}

int run_parsed_perf_command(const parsed_command_line& command, const perf_tool& tool) {
    if (command.produce) return run_produce(*command.produce, tool.name, tool.make_producer);
    if (command.consume) return run_consume(*command.consume, tool.name, tool.make_consumer);
    if (command.latency)
        return run_latency(*command.latency, tool.name, tool.make_producer, tool.make_consumer);
    return command.exit_code;
}

} // namespace kafkit::perf
