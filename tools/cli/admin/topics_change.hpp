#pragma once
// `kafkit topics create|delete|alter|add-partitions`.

#include "command_tree.hpp"

namespace kafkit::admin_cli {

/// Adds the commands that change topics under `topics`.
void add_topic_change_commands(command_tree& tree, CLI::App& topics);

} // namespace kafkit::admin_cli
