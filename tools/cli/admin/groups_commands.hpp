#pragma once
// The parts of `kafkit groups` in files of their own: describe's lag table and
// reset-offsets.

#include "command_tree.hpp"

namespace kafkit::admin_cli {

/// Adds `groups describe` under `groups` (group_describe.cpp).
void add_group_describe_command(command_tree& tree, CLI::App& groups);
/// Adds `groups reset-offsets` under `groups` (group_reset.cpp).
void add_group_reset_command(command_tree& tree, CLI::App& groups);

} // namespace kafkit::admin_cli
