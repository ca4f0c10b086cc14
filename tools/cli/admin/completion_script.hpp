#pragma once
// Shell completion scripts generated from a CLI11 command tree: the commands at each level
// and each command's flags, so completion knows exactly what the parser does.

#include <string>

namespace CLI {
class App;
}

namespace kafkit::admin_cli {

/// A bash script defining _kafkit and registering it for `program` (complete -F, with
/// file names as the fallback, e.g. after a flag that takes a value).
[[nodiscard]] std::string bash_completion(const CLI::App& root, const std::string& program);
/// A zsh script (#compdef) with the same knowledge and each command's and flag's description.
[[nodiscard]] std::string zsh_completion(const CLI::App& root, const std::string& program);

} // namespace kafkit::admin_cli
