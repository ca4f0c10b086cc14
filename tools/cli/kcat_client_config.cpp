#include "kcat_client_config.hpp"

#include "config_file.hpp"

#include "kafkit/config_properties.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kafkit::cli {
namespace {

/// The file to read: -F, else $KCAT_CONFIG, else ~/.config/kcat.conf if it exists. The
/// second member says whether a missing file is an error (it is not for the default).
std::optional<std::pair<std::string, bool>> config_file_path(const kcat_command& cmd) {
    if (cmd.config_file) return std::pair{*cmd.config_file, true};
    if (const char* env = std::getenv("KCAT_CONFIG"); env && *env) return std::pair{std::string(env), true};
    if (const char* home = std::getenv("HOME"); home && *home) {
        auto path = std::filesystem::path(home) / ".config" / "kcat.conf";
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) return std::pair{path.string(), false};
    }
    return std::nullopt;
}

std::string_view without_topic_prefix(std::string_view name) {
    constexpr std::string_view prefix = "topic.";
    if (name.starts_with(prefix) && !find_config_property(name)) name.remove_prefix(prefix.size());
    return name;
}

kcat_failure unknown_property(std::string_view name) {
    return kcat_fatal("No such configuration property: \"" + std::string(name) + "\"");
}

} // namespace

parse_result<config> kcat_client_config(const kcat_command& cmd) {
    config cfg;
    if (auto file = config_file_path(cmd)) {
        const auto& [path, required] = *file;
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            if (required) return config_file_open_failure(path, std::strerror(errno));
        } else {
            std::ostringstream contents;
            contents << in.rdbuf();
            auto entries = parse_config_file(contents.str(), path);
            if (!entries) return kcat_failure{entries.error()};
            for (const auto& e : *entries) {
                const auto name = without_topic_prefix(e.name);
                if (!find_config_property(name))
                    return config_file_failure(path, e.line, "No such configuration property: \"" + e.name + "\"");
                cfg.set(name, e.value);
            }
        }
    }
    for (const auto& p : cmd.properties) {
        const auto name = without_topic_prefix(p.name);
        if (!find_config_property(name)) return unknown_property(p.name);
        cfg.set(name, p.value);
    }
    if (!cmd.brokers.empty()) cfg.set("bootstrap.servers", cmd.brokers);
    if (cmd.compression) cfg.set("compression.type", *cmd.compression);
    if (!cfg.get("bootstrap.servers") && !cfg.get("metadata.broker.list"))
        return kcat_failure{"Error: no brokers: give -b <host:port,..> (or bootstrap.servers with -F or -X)\n"
                            "Run 'kafkit -h' for usage.\n"};
    return cfg;
}

std::string property_listing() {
    std::string out;
    for (const auto& p : config_properties()) {
        out.append(p.name);
        out.append("  [").append(to_string(p.scope)).append(", ").append(to_string(p.type));
        if (!p.default_value.empty()) out.append(", default ").append(p.default_value);
        out.append("]\n    ").append(p.doc).append("\n");
    }
    return out;
}

std::string property_dump(const config& cfg) {
    std::string out;
    for (const auto& [name, value] : cfg.values()) out.append(name).append(" = ").append(value).append("\n");
    return out;
}

} // namespace kafkit::cli
