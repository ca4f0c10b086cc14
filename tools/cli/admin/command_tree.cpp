#include "command_tree.hpp"

#include "usage_error.hpp"

#include <algorithm>

namespace kafkit::admin_cli {

CLI::App* command_tree::add(CLI::App& parent, const std::string& name, const std::string& description,
                            const std::string& example) {
    CLI::App* command = parent.add_subcommand(name, description);
    if (example.empty()) command->require_subcommand(1);
    else command->footer("Example:\n  " + example + "\n");
    return command;
}

CLI::App* command_tree::add_admin(CLI::App& parent, const std::string& name, const std::string& description,
                                  const std::string& example, admin_action action) {
    CLI::App* command = add(parent, name, description, example);
    add_connection_options(*command, connection_);
    on_run(command, [this, run = std::move(action)]() -> int {
        admin_session session(connection_); // usage_error: the caller prints it, exit 2
        try {
            const int status = run(session);
            return std::max(status, session.finish());
        } catch (const kafkit::exception& e) {
            // An operation the command could not go on without (not one entity's).
            session.failures().failed("cluster", e);
            if (session.json()) session.print_json(nlohmann::json::object());
            return session.finish();
        }
    });
    return command;
}

void command_tree::on_run(const CLI::App* command, command_action action) { actions_[command] = std::move(action); }

const CLI::App* command_tree::chosen() const {
    const CLI::App* at = &root_;
    for (;;) {
        const auto picked = at->get_subcommands();
        if (picked.empty()) return at;
        at = picked.front();
    }
}

const command_action* command_tree::action_of(const CLI::App* command) const {
    const auto it = actions_.find(command);
    return it == actions_.end() ? nullptr : &it->second;
}

std::string command_tree::path_of(const CLI::App* command) {
    std::string path;
    for (const CLI::App* at = command; at != nullptr && at->get_parent() != nullptr; at = at->get_parent())
        path = at->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

CLI::Option* one_per_flag(CLI::Option* option) { return option->allow_extra_args(false); }

} // namespace kafkit::admin_cli
