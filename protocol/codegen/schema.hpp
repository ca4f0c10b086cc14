#pragma once
// The model of Kafka's JSON message schemas that the generator works from.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::codegen {

/// An inclusive range of versions; empty when `lo > hi` ("none").
struct version_range {
    int lo = 0;
    int hi = -1;

    static constexpr int open_end = 0x7fff;
    /// Parses "3+", "0-5", "2" or "none"; throws std::runtime_error on anything else.
    static version_range parse(const std::string& text);
    [[nodiscard]] bool empty() const { return lo > hi; }
    [[nodiscard]] bool contains(int v) const { return v >= lo && v <= hi; }
    [[nodiscard]] version_range intersect(const version_range& o) const;
    [[nodiscard]] bool covers(const version_range& o) const {
        return o.empty() || (lo <= o.lo && hi >= o.hi);
    }
};

/// One field of a message or struct.
struct field_spec {
    std::string name;                 ///< as in the schema, e.g. "TopicData"
    std::string type;                 ///< as in the schema, e.g. "[]TopicProduceData"
    version_range versions;
    version_range nullable_versions;  ///< empty when never nullable
    version_range tagged_versions;    ///< empty when not tagged
    std::optional<std::uint32_t> tag;
    std::optional<version_range> flexible_versions; ///< field-level override ("none")
    bool ignorable = false;
    std::optional<std::string> default_value;       ///< textual, as the schema gives it
    std::vector<field_spec> fields;   ///< inline struct definition, when present

    [[nodiscard]] bool is_array() const { return type.rfind("[]", 0) == 0; }
    /// The element type of an array, or the type itself.
    [[nodiscard]] std::string element_type() const { return is_array() ? type.substr(2) : type; }
    [[nodiscard]] bool is_tagged() const { return tag.has_value(); }
};

/// A named struct: an inline definition or one of the schema's commonStructs.
struct struct_spec {
    std::string name;
    std::vector<field_spec> fields;
};

/// One schema file.
struct message_spec {
    std::string file_name;            ///< e.g. "ProduceRequest.json"
    std::string name;                 ///< e.g. "ProduceRequest"
    std::string kind;                 ///< request, response, header or data
    std::optional<int> api_key;
    version_range valid_versions;
    version_range flexible_versions;
    std::vector<field_spec> fields;
    std::vector<struct_spec> common_structs;
};

/// True for the schema's primitive type names (int8 ... records).
bool is_primitive(const std::string& type);

/// Loads one schema file (JSON with `//` comments). Throws std::runtime_error naming the
/// file and problem when it does not fit the schema format.
message_spec load_message(const std::filesystem::path& file);

/// Loads every *.json file of a folder, sorted by file name.
std::vector<message_spec> load_folder(const std::filesystem::path& folder);

} // namespace kafkit::codegen
