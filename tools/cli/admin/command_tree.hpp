#pragma once
// The CLI11 tree of `kafkit <command> ...` and what runs when a leaf of it is chosen. Each
// command file adds its commands here (topics_command.hpp, ...); run_admin_command parses
// and runs the chosen leaf's action.

#include "admin_session.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace kafkit::admin_cli {

/// A leaf's action: returns the exit status.
using command_action = std::function<int()>;
/// An admin leaf's action, given the session its connection flags built.
using admin_action = std::function<int(admin_session&)>;

class command_tree {
public:
    /// The tree's root is `root` (which outlives the tree).
    explicit command_tree(CLI::App& root) : root_(root) {}

    /// The root command, `kafkit`.
    [[nodiscard]] CLI::App& root() noexcept { return root_; }

    /// Adds command `name` under `parent`: a one-line description, and an example for the
    /// footer of its --help; without an example it is a group of subcommands and requires one.
    CLI::App* add(CLI::App& parent, const std::string& name, const std::string& description,
                  const std::string& example = {});
    /// Adds a leaf that talks to the cluster: add() plus the connection flags; `action`
    /// runs with the session they build.
    CLI::App* add_admin(CLI::App& parent, const std::string& name, const std::string& description,
                        const std::string& example, admin_action action);
    /// Sets what runs when `command` is the leaf chosen.
    void on_run(const CLI::App* command, command_action action);

    /// After parsing, the deepest command chosen.
    [[nodiscard]] const CLI::App* chosen() const;
    /// What runs for `command`; nullptr when it has no action (a group).
    [[nodiscard]] const command_action* action_of(const CLI::App* command) const;

    /// The command's path under the root ("topics create"), for messages.
    [[nodiscard]] static std::string path_of(const CLI::App* command);

private:
    CLI::App& root_;
    connection_options connection_;
    std::map<const CLI::App*, command_action> actions_;
};

/// Sets `option` to take one value per occurrence, so `--config a=1 TOPIC` leaves TOPIC
/// to the positional; returns it.
CLI::Option* one_per_flag(CLI::Option* option);

// The command families, each in its own file; each adds its commands under the tree's root.

/// `topics list|describe|create|delete|alter|add-partitions` (topics_command.cpp, topics_change.cpp).
void add_topics_commands(command_tree& tree);
/// `configs describe|set|delete` (configs_command.cpp).
void add_configs_commands(command_tree& tree);
/// `groups list|describe|delete|reset-offsets|delete-offsets` (groups_command.cpp and the group_*.cpp).
void add_groups_commands(command_tree& tree);
/// `offsets` and `records delete` (offsets_command.cpp).
void add_offsets_commands(command_tree& tree);
/// `acls list|create|delete` (acls_command.cpp).
void add_acls_commands(command_tree& tree);
/// `cluster describe` and `brokers` (cluster_command.cpp).
void add_cluster_commands(command_tree& tree);
/// `perf produce|consume|latency`: kafkit-perf's subcommands (perf_command.cpp).
void add_perf_commands(command_tree& tree);
/// `completion bash|zsh`: scripts generated from the whole tree (completion_command.cpp).
void add_completion_command(command_tree& tree);

} // namespace kafkit::admin_cli
