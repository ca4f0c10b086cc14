#include "admin_session.hpp"

#include "properties_file.hpp"
#include "usage_error.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

namespace kafkit::admin_cli {

void add_connection_options(CLI::App& command, connection_options& options) {
    const std::string group = "Connection";
    command.add_option("-b,--bootstrap-server", options.bootstrap_servers, "HOST:PORT[,...] of the brokers")
        ->envname("KAFKIT_BOOTSTRAP_SERVERS")
        ->group(group);
    command.add_option("-X,--property", options.properties,
                       "NAME=VALUE client property (repeatable; see docs/configuration.md)")
        ->allow_extra_args(false)
        ->group(group);
    command.add_option("--command-config", options.command_config,
                       "file of NAME=VALUE client properties (a Java properties file)")
        ->group(group);
    command.add_option("--timeout-ms", options.timeout_ms, "the longest the whole command may take (default 30000)")
        ->check(CLI::PositiveNumber)
        ->group(group);
    command.add_option("--output", options.output, "table (default) or json: one JSON document on stdout")
        ->check(CLI::IsMember({"table", "json"}))
        ->group(group);
}

kafkit::config client_config(const connection_options& options) {
    kafkit::config cfg;
    cfg.set("client.id", "kafkit-admin");
    if (!options.command_config.empty())
        for (const auto& [name, value] : read_properties_file(options.command_config)) cfg.set(name, value);
    for (const auto& text : options.properties) {
        const auto [name, value] = split_property(text, "-X");
        cfg.set(name, value);
    }
    if (!options.bootstrap_servers.empty()) cfg.set("bootstrap.servers", options.bootstrap_servers);
    if (!cfg.get("bootstrap.servers"))
        throw usage_error("no brokers: give -b HOST:PORT, $KAFKIT_BOOTSTRAP_SERVERS or bootstrap.servers");
    return cfg;
}

admin_session::admin_session(const connection_options& options)
    : deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(options.timeout_ms)),
      timeout_ms_(options.timeout_ms), json_(options.output == "json") {
    const kafkit::config cfg = client_config(options);
    bootstrap_ = cfg.get("bootstrap.servers").value_or("");
    try {
        admin_.emplace(cfg);
    } catch (const kafkit::exception& e) {
        throw usage_error(e.what()); // names the property refused
    }
}

std::chrono::milliseconds admin_session::remaining() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    return std::max(left, std::chrono::milliseconds(1));
}

bool admin_session::succeeded(const admin::future<void>& f, std::string_view entity) {
    try {
        f.get();
        return true;
    } catch (const kafkit::exception& e) {
        failures_.failed(entity, e);
        return false;
    }
}

void admin_session::print_json(nlohmann::json doc) {
    doc["errors"] = failures_.to_json();
    print_text(doc.dump(2) + "\n");
}

void admin_session::print_text(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

int admin_session::finish() {
    if (failures_.unreachable())
        std::fprintf(stderr, "kafkit: no answer from the cluster at %s within %lld ms\n", bootstrap_.c_str(),
                     static_cast<long long>(timeout_ms_));
    return failures_.status();
}

std::string node_text(const std::optional<admin::node>& n) {
    if (!n) return "none";
    return std::to_string(n->id.value()) + " " + n->host + ":" + std::to_string(n->port);
}

nlohmann::json node_id_json(const std::optional<admin::node>& n) {
    if (!n) return nullptr;
    return n->id.value();
}

} // namespace kafkit::admin_cli
