// `kafkit`: kcat's command line on the kafkit client. The kcat-compatible modes (-P, -C,
// -G, -L, -Q) take kcat 1.7's flags and print what it prints (kcat_*.hpp); `kafkit
// <command> ...` (topics, groups, ..., and --help) runs the admin commands (admin/).

#include "admin_command.hpp"
#include "kcat_client_config.hpp"
#include "kcat_command_line.hpp"
#include "kcat_modes.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>

#ifndef KAFKIT_VERSION
#define KAFKIT_VERSION "unknown"
#endif

namespace {

void write_stderr(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stderr); }
void write_stdout(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int run_kcat_mode(int argc, char** argv) {
    using namespace kafkit::cli;
    auto parsed = parse_kcat_command_line(argc, argv, ::isatty(STDIN_FILENO) == 1);
    if (!parsed) {
        write_stderr(parsed.error());
        return 1;
    }
    const auto& cmd = *parsed;
    if (cmd.print_help) {
        write_stdout(kcat_usage());
        return 0;
    }
    if (cmd.print_version) {
        write_stdout("kafkit " KAFKIT_VERSION " (kcat 1.7 compatible command line)\n");
        return 0;
    }
    if (cmd.list_properties) {
        write_stdout(property_listing());
        return 0;
    }
    auto cfg = kcat_client_config(cmd);
    if (!cfg) {
        write_stderr(cfg.error());
        return 1;
    }
    if (cmd.dump_properties) {
        write_stdout(property_dump(*cfg));
        return 0;
    }
    if (cmd.mode_auto_selected && cmd.verbosity >= 1)
        write_stderr(std::string("% Auto-selecting ") +
                     (cmd.mode == kcat_mode::consume ? "Consumer" : "Producer") +
                     " mode (use -P or -C to override)\n");
    switch (cmd.mode) {
    case kcat_mode::produce: return run_produce(cmd, std::move(*cfg));
    case kcat_mode::consume: return run_consume(cmd, std::move(*cfg));
    case kcat_mode::group: return run_group(cmd, std::move(*cfg));
    case kcat_mode::metadata: return run_metadata(cmd, std::move(*cfg));
    case kcat_mode::query: return run_query(cmd, std::move(*cfg));
    }
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    using namespace kafkit::admin_cli;
    if (argc > 1 && (is_admin_command(argv[1]) || is_mistyped_command(argc, argv))) return run_admin_command(argc, argv);
    return run_kcat_mode(argc, argv);
}
