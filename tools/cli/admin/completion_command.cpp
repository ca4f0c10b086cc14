// `kafkit completion bash|zsh`: prints the shell completion script of the whole command tree.

#include "command_tree.hpp"
#include "completion_script.hpp"

#include <iostream>
#include <memory>

namespace kafkit::admin_cli {

void add_completion_command(command_tree& tree) {
    auto shell = std::make_shared<std::string>();
    CLI::App* c = tree.add(tree.root(), "completion", "print a shell completion script for kafkit's commands",
                           "source <(kafkit completion bash)");
    c->add_option("SHELL", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
    tree.on_run(c, [&tree, shell]() -> int {
        std::cout << (*shell == "bash" ? bash_completion(tree.root(), "kafkit") : zsh_completion(tree.root(), "kafkit"));
        return exit_success;
    });
}

} // namespace kafkit::admin_cli
