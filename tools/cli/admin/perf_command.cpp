// `kafkit perf produce|consume|latency`: kafkit-perf under the kafkit command. The
// subcommands and their flags are kafkit-perf's own (add_perf_subcommands), so `--help`
// and the shell completion show them; the run is kafkit-perf's with the same clients
// (kafkit_perf_tool). Usage errors exit 2 as every kafkit command's do.

#include "command_tree.hpp"

#include "kafkit_perf_tool.hpp"
#include "perf_options.hpp"

#include <memory>

namespace kafkit::admin_cli {
namespace {

const char* const examples[][2] = {
    {"produce", "kafkit perf produce --topic bench --num-records 1000000 --record-size 100 --throughput -1 "
                "--producer-props bootstrap.servers=localhost:9092 acks=1"},
    {"consume", "kafkit perf consume --bootstrap-server localhost:9092 --topic bench --messages 1000000"},
    {"latency", "kafkit perf latency --bootstrap-server localhost:9092 --topic bench-latency --messages 10000 "
                "--throughput 1000 --record-size 100"},
};

} // namespace

void add_perf_commands(command_tree& tree) {
    CLI::App* perf = tree.add(tree.root(), "perf",
                              "producer, consumer and latency benchmarks (kafkit-perf)");
    perf->footer("The flags and output of Kafka's kafka-producer-perf-test (produce) and kafka-consumer-perf-test "
                 "(consume); latency produces and consumes in one process.\nExample:\n  " +
                 std::string(examples[0][1]) + "\n");
    auto flags = std::make_shared<perf::perf_flags>();
    perf::add_perf_subcommands(*perf, *flags);
    for (const auto& [name, example] : examples) {
        CLI::App* sub = perf->get_subcommand(name);
        sub->footer(std::string("Example:\n  ") + example + "\n");
        tree.on_run(sub, [sub, flags]() -> int {
            const auto tool = perf::kafkit_perf_tool("kafkit perf");
            const auto command = perf::checked_command_line(*sub, *flags, tool.name);
            if (!command.produce && !command.consume && !command.latency) return exit_usage; // already printed
            return perf::run_parsed_perf_command(command, tool);
        });
    }
}

} // namespace kafkit::admin_cli
