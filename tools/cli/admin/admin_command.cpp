// `kafkit <command> ...`: builds the CLI11 tree of every admin command, parses argv, runs
// the chosen leaf. CLI11's usage errors and kafkit's own (usage_error) exit 2; the rest of
// the statuses come from the commands (exit_status.hpp).

#include "admin_command.hpp"

#include "command_tree.hpp"
#include "usage_error.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <iostream>

#ifndef KAFKIT_VERSION
#define KAFKIT_VERSION "unknown"
#endif

namespace kafkit::admin_cli {
namespace {

constexpr std::array<std::string_view, 13> command_names{
    "topics", "configs", "groups", "offsets", "records", "acls", "cluster", "brokers",
    "perf", "completion", "help", "--help", "--version"};

const char* const root_footer = R"(kcat mode: kafkit -P|-C|-G|-L|-Q ... takes kcat 1.7's flags and prints what
kcat prints; `kafkit -h` lists those flags.

Each command that talks to the cluster takes -b HOST:PORT[,...] (or
$KAFKIT_BOOTSTRAP_SERVERS), -X NAME=VALUE client properties, --command-config FILE,
--timeout-ms MS (the whole command's time, default 30000) and --output table|json.
`kafkit COMMAND --help` (or `kafkit help COMMAND ...`) describes a command.

Exit status:
  0  success
  1  an operation failed: "kafkit: <entity>: <error>" on stderr for each entity
     that failed, the results of the others still printed
  2  usage error (an unknown command or flag, a missing or bad argument)
  3  the cluster could not be reached or did not answer within --timeout-ms)";

/// `kafkit help [COMMAND...]`: the help of the command named, as its --help prints it.
void add_help_command(command_tree& tree) {
    auto words = std::make_shared<std::vector<std::string>>();
    CLI::App* help = tree.add(tree.root(), "help", "describe a command: its flags, an example",
                              "kafkit help groups reset-offsets");
    help->add_option("COMMAND", *words, "the command and subcommands to describe");
    tree.on_run(help, [&tree, words]() -> int {
        const CLI::App* at = &tree.root();
        std::string parent_path; // the words before at's name: help's usage line names them
        for (const auto& word : *words) {
            const auto found = at->get_subcommands([&](const CLI::App* sub) { return sub->get_name() == word; });
            if (found.empty()) throw usage_error("no command '" + word + "' under '" +
                                  (parent_path.empty() ? "" : parent_path + " ") + at->get_name() + "'");
            parent_path += (parent_path.empty() ? "" : " ") + at->get_name();
            at = found.front();
        }
        // The formatter itself: App::help() would describe the chosen `help` command instead.
        std::cout << at->get_formatter()->make_help(at, parent_path.empty() ? at->get_name() : parent_path + " " + at->get_name(),
                                                    CLI::AppFormatMode::Normal);
        return exit_success;
    });
}

/// CLI11 says only "A subcommand is required" when a group's next word names none of its
/// subcommands: name the word and the choices instead. Returns the message, empty when
/// the words before the first flag each name a subcommand (or reach a leaf).
std::string unknown_command(const CLI::App& root, int argc, char** argv) {
    const CLI::App* at = &root;
    std::string path = root.get_name();
    for (int i = 1; i <= argc; ++i) {
        const auto subs = at->get_subcommands([](const CLI::App* sub) { return !sub->get_name().empty(); });
        if (subs.empty()) return {};
        std::string choices;
        for (const auto* sub : subs) choices += (choices.empty() ? "" : ", ") + sub->get_name();
        if (i == argc) return path + ": a command is required: " + choices;
        const std::string_view word = argv[i];
        if (word == "-h" || word == "--help" || word == "--help-all" || word == "--version") return {};
        // A group of commands takes no other flag: what is missing is the command.
        if (word.starts_with("-")) return path + ": a command is required: " + choices;
        const auto found = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* sub) { return sub->get_name() == word; });
        if (found == subs.end())
            return path + ": unknown command '" + std::string(word) + "'; the commands are " + choices +
                   (at == &root ? " (kcat's flags: kafkit -h)" : "");
        at = *found;
        path += " " + std::string(word);
    }
    return {};
}

void build(command_tree& tree) {
    CLI::App& root = tree.root();
    root.require_subcommand(1);
    root.set_version_flag("--version", "kafkit " KAFKIT_VERSION);
    root.get_formatter()->column_width(36);
    add_topics_commands(tree);
    add_configs_commands(tree);
    add_groups_commands(tree);
    add_offsets_commands(tree);
    add_acls_commands(tree);
    add_cluster_commands(tree);
    add_perf_commands(tree);
    add_completion_command(tree);
    add_help_command(tree);
    // Last: subcommands copy their parent's footer when they are added.
    root.footer(std::string(root_footer) + "\n");
}

} // namespace

bool is_admin_command(std::string_view first_arg) noexcept {
    for (auto name : command_names)
        if (name == first_arg) return true;
    return false;
}

bool is_mistyped_command(int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0' || std::filesystem::exists(argv[1])) return false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        // A mode flag alone or first in a cluster of short flags ("-Pq").
        if (a.size() >= 2 && a[0] == '-' && a[1] != '-' && std::string_view("PCGLQ").find(a[1]) != std::string_view::npos)
            return false;
    }
    return true;
}

int run_admin_command(int argc, char** argv) {
    CLI::App root("kafkit: Kafka's admin operations, benchmarks and a kcat-compatible mode on the kafkit client",
                  "kafkit");
    command_tree tree(root);
    build(tree);
    if (const auto problem = unknown_command(root, argc, argv); !problem.empty()) {
        std::cerr << problem << "\nRun with --help for more information.\n";
        return exit_usage;
    }
    try {
        root.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = root.exit(e); // prints the help, the version or the error
        return code == 0 ? exit_success : exit_usage;
    }
    const CLI::App* chosen = tree.chosen();
    const command_action* action = tree.action_of(chosen);
    if (action == nullptr) {
        std::cerr << chosen->help();
        return exit_usage;
    }
    try {
        return (*action)();
    } catch (const usage_error& e) {
        std::cerr << "kafkit " << command_tree::path_of(chosen) << ": " << e.what()
                  << "\nRun with --help for more information.\n";
        return exit_usage;
    }
}

} // namespace kafkit::admin_cli
