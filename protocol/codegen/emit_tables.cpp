#include "emit_tables.hpp"

#include "naming.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

namespace kafkit::codegen {
namespace {

struct api_pair {
    const message_spec* request = nullptr;
    const message_spec* response = nullptr;
};

std::map<int, api_pair> apis_by_key(const std::vector<message_group>& groups) {
    std::map<int, api_pair> apis;
    for (const auto& g : groups) {
        for (const auto* m : g.messages) {
            if (!m->api_key) continue;
            auto& pair = apis[*m->api_key];
            (m->kind == "request" ? pair.request : pair.response) = m;
        }
    }
    return apis;
}

std::string api_name(const message_spec& request) {
    return request.name.substr(0, request.name.size() - std::string("Request").size());
}

std::string range_text(const version_range& r) {
    if (r.empty()) return "none";
    return std::to_string(r.lo) + "-" + std::to_string(r.hi);
}

} // namespace

std::string emit_api_table_header(const std::string& banner) {
    std::ostringstream out;
    out << banner << "#pragma once\n\n#include <cstdint>\n#include <span>\n#include <string_view>\n\n"
        << "namespace kafkit::protocol {\n\n"
        << "/// One Kafka API as the schemas define it.\n"
        << "struct api_info {\n"
        << "    std::int16_t key;\n"
        << "    std::string_view name;                ///< e.g. \"Produce\"\n"
        << "    std::int16_t min_version;\n"
        << "    std::int16_t max_version;\n"
        << "    std::int16_t first_flexible_version;  ///< -1 when no version is flexible\n"
        << "    std::int16_t response_first_flexible_version;\n"
        << "};\n\n"
        << "/// Every API key the codec covers, in key order.\n"
        << "std::span<const api_info> api_table() noexcept;\n\n"
        << "/// The API with this key, or nullptr.\n"
        << "const api_info* find_api(std::int16_t key) noexcept;\n\n"
        << "} // namespace kafkit::protocol\n";
    return out.str();
}

std::string emit_api_table_source(const std::string& banner, const std::vector<message_group>& groups) {
    std::ostringstream out;
    out << banner << "#include \"kafkit/protocol/messages/api_table.hpp\"\n\n#include <algorithm>\n#include <array>\n\n"
        << "namespace kafkit::protocol {\nnamespace {\n\n";
    const auto apis = apis_by_key(groups);
    out << "constexpr std::array<api_info, " << apis.size() << "> apis = {{\n";
    for (const auto& [key, pair] : apis) {
        const auto& req = *pair.request;
        out << "    {" << key << ", \"" << api_name(req) << "\", " << req.valid_versions.lo << ", "
            << req.valid_versions.hi << ", " << (req.flexible_versions.empty() ? -1 : req.flexible_versions.lo)
            << ", " << (pair.response->flexible_versions.empty() ? -1 : pair.response->flexible_versions.lo) << "},\n";
    }
    out << "}};\n\n} // namespace\n\n"
        << "std::span<const api_info> api_table() noexcept { return apis; }\n\n"
        << "const api_info* find_api(std::int16_t key) noexcept {\n"
        << "    auto it = std::lower_bound(apis.begin(), apis.end(), key,\n"
        << "                               [](const api_info& a, std::int16_t k) { return a.key < k; });\n"
        << "    return it != apis.end() && it->key == key ? &*it : nullptr;\n"
        << "}\n\n} // namespace kafkit::protocol\n";
    return out.str();
}

std::string emit_visit_header(const std::string& banner, const std::vector<message_group>& groups) {
    std::ostringstream out;
    out << banner << "#pragma once\n// Maps API keys to message types at run time, for tools and tests that handle any API.\n\n"
        << "#include \"kafkit/protocol/messages/all.hpp\"\n\n"
        << "namespace kafkit::protocol {\n\n"
        << "/// Names a type without constructing it.\n"
        << "template <class T>\nstruct type_tag {\n    using type = T;\n};\n\n"
        << "/// The request and response types of an API key, known at compile time.\n"
        << "template <std::int16_t Key>\nstruct api_types;\n";
    for (const auto& [key, pair] : apis_by_key(groups)) {
        out << "template <>\nstruct api_types<" << key << "> {\n    using request = " << snake_case(pair.request->name)
            << ";\n    using response = " << snake_case(pair.response->name) << ";\n};\n";
    }
    out << "\n"
        << "/// Calls `f(type_tag<Request>{}, type_tag<Response>{})` for the API with this key;\n"
        << "/// returns false, without calling f, for an unknown key.\n"
        << "template <class F>\nbool visit_api(std::int16_t key, F&& f) {\n    switch (key) {\n";
    for (const auto& [key, pair] : apis_by_key(groups)) {
        out << "    case " << key << ": f(type_tag<" << snake_case(pair.request->name) << ">{}, type_tag<"
            << snake_case(pair.response->name) << ">{}); return true;\n";
    }
    out << "    default: return false;\n    }\n}\n\n"
        << "/// Calls `f(type_tag<M>{})` for every schema that is not an API message: the request\n"
        << "/// and response headers and the data schemas (consumer protocol, KRaft records...).\n"
        << "template <class F>\nvoid visit_other_schemas(F&& f) {\n";
    for (const auto& g : groups)
        for (const auto* m : g.messages)
            if (!m->api_key) out << "    f(type_tag<" << snake_case(m->name) << ">{});\n";
    out << "}\n\n} // namespace kafkit::protocol\n";
    return out.str();
}

std::string emit_umbrella_header(const std::string& banner, const std::vector<message_group>& groups) {
    std::ostringstream out;
    out << banner << "#pragma once\n\n#include \"kafkit/protocol/messages/api_table.hpp\"\n";
    for (const auto& g : groups) out << "#include \"kafkit/protocol/messages/" << g.stem << ".hpp\"\n";
    return out.str();
}

std::string emit_protocol_doc(const std::vector<message_group>& groups, const std::string& usage_json) {
    nlohmann::json usage = usage_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(usage_json);
    auto used = [&](const std::string& who, const std::string& api) {
        if (usage.contains(who) && usage[who].contains(api)) return usage[who][api].get<std::string>();
        return std::string("not yet");
    };
    std::ostringstream out;
    out << "# Protocol coverage\n\n"
        << "Generated by `kafkit-codegen` from Apache Kafka's message schemas; do not edit by hand.\n"
        << "The codec (`protocol/`) encodes and decodes every version listed. The last two columns\n"
        << "say which versions the client and the reference broker use (from `docs/api-usage.json`).\n\n"
        << "| Key | API | Versions | Flexible from | Client uses | Broker serves |\n"
        << "|---:|---|---|---|---|---|\n";
    for (const auto& [key, pair] : apis_by_key(groups)) {
        const auto& req = *pair.request;
        const std::string name = api_name(req);
        out << "| " << key << " | " << name << " | " << range_text(req.valid_versions) << " | "
            << (req.flexible_versions.empty() ? "-" : std::to_string(req.flexible_versions.lo)) << " | "
            << used("client", name) << " | " << used("broker", name) << " |\n";
    }
    out << "\nOther schemas the codec covers:";
    for (const auto& g : groups)
        for (const auto* m : g.messages)
            if (!m->api_key) out << " " << m->name << " (" << range_text(m->valid_versions) << ")" << ",";
    std::string text = out.str();
    text.back() = '.';
    return text + "\n";
}

} // namespace kafkit::codegen
