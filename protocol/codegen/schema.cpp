#include "schema.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace kafkit::codegen {
namespace {

const std::set<std::string> primitive_types = {
    "bool", "int8", "int16", "uint16", "int32", "uint32", "int64", "float64",
    "string", "bytes", "records", "uuid"};

std::string default_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    return value.dump(); // numbers
}

field_spec parse_field(const nlohmann::json& j) {
    field_spec f;
    f.name = j.at("name").get<std::string>();
    f.type = j.at("type").get<std::string>();
    f.versions = version_range::parse(j.at("versions").get<std::string>());
    if (j.contains("nullableVersions"))
        f.nullable_versions = version_range::parse(j["nullableVersions"].get<std::string>());
    if (j.contains("taggedVersions"))
        f.tagged_versions = version_range::parse(j["taggedVersions"].get<std::string>());
    if (j.contains("tag")) { // a number, though some schemas quote it
        const auto& tag = j["tag"];
        f.tag = tag.is_string() ? static_cast<std::uint32_t>(std::stoul(tag.get<std::string>()))
                                : tag.get<std::uint32_t>();
    }
    if (j.contains("flexibleVersions"))
        f.flexible_versions = version_range::parse(j["flexibleVersions"].get<std::string>());
    f.ignorable = j.value("ignorable", false);
    if (j.contains("default")) f.default_value = default_text(j["default"]);
    if (j.contains("fields"))
        for (const auto& child : j["fields"]) f.fields.push_back(parse_field(child));
    if (f.tag.has_value() != !f.tagged_versions.empty())
        throw std::runtime_error("field " + f.name + ": tag and taggedVersions go together");
    if (f.tag && !f.tagged_versions.covers(f.versions))
        throw std::runtime_error("field " + f.name + ": tagged in only some of its versions");
    return f;
}

} // namespace

version_range version_range::parse(const std::string& text) {
    if (text == "none") return {0, -1};
    try {
        if (!text.empty() && text.back() == '+') return {std::stoi(text.substr(0, text.size() - 1)), open_end};
        auto dash = text.find('-');
        if (dash != std::string::npos) return {std::stoi(text.substr(0, dash)), std::stoi(text.substr(dash + 1))};
        int v = std::stoi(text);
        return {v, v};
    } catch (const std::logic_error&) {
        throw std::runtime_error("bad version range '" + text + "'");
    }
}

version_range version_range::intersect(const version_range& o) const {
    return {std::max(lo, o.lo), std::min(hi, o.hi)};
}

bool is_primitive(const std::string& type) { return primitive_types.count(type) != 0; }

message_spec load_message(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot open " + file.string());
    std::stringstream text;
    text << in.rdbuf();
    try {
        auto j = nlohmann::json::parse(text.str(), nullptr, true, /*ignore_comments=*/true);
        message_spec m;
        m.file_name = file.filename().string();
        m.name = j.at("name").get<std::string>();
        m.kind = j.at("type").get<std::string>();
        if (j.contains("apiKey")) m.api_key = j["apiKey"].get<int>();
        m.valid_versions = version_range::parse(j.at("validVersions").get<std::string>());
        m.flexible_versions = version_range::parse(j.at("flexibleVersions").get<std::string>());
        for (const auto& f : j.at("fields")) m.fields.push_back(parse_field(f));
        if (j.contains("commonStructs")) {
            for (const auto& s : j["commonStructs"]) {
                struct_spec cs{s.at("name").get<std::string>(), {}};
                for (const auto& f : s.at("fields")) cs.fields.push_back(parse_field(f));
                m.common_structs.push_back(std::move(cs));
            }
        }
        return m;
    } catch (const std::exception& e) {
        throw std::runtime_error(file.filename().string() + ": " + e.what());
    }
}

std::vector<message_spec> load_folder(const std::filesystem::path& folder) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    std::vector<message_spec> messages;
    for (const auto& f : files) messages.push_back(load_message(f));
    return messages;
}

} // namespace kafkit::codegen
