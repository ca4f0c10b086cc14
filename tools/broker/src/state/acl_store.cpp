#include "state/acl_store.hpp"

#include <nlohmann/json.hpp>

namespace kafkit::broker {
namespace {

/// Kafka's enum names, for its validation messages (Java's Enum.toString).
const char* resource_type_name(std::int8_t code) {
    static const char* names[] = {"UNKNOWN", "ANY", "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN", "USER"};
    return code >= 0 && code <= acl_code::resource_max ? names[code] : "UNKNOWN";
}

const char* pattern_type_name(std::int8_t code) {
    static const char* names[] = {"UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"};
    return code >= 0 && code <= acl_code::pattern_prefixed ? names[code] : "UNKNOWN";
}

const char* permission_name(std::int8_t code) {
    static const char* names[] = {"UNKNOWN", "ANY", "DENY", "ALLOW"};
    return code >= 0 && code <= acl_code::permission_allow ? names[code] : "UNKNOWN";
}

/// Kafka reads a code it does not know as UNKNOWN (fromCode).
bool unknown_code(std::int8_t code, std::int8_t max) { return code <= acl_code::unknown || code > max; }

bool name_matches(const acl_filter& f, const acl_binding& b) {
    if (!f.resource_name) return true;
    if (f.pattern_type == acl_code::any || f.pattern_type == b.pattern_type) return *f.resource_name == b.resource_name;
    if (b.pattern_type == acl_code::pattern_literal) return *f.resource_name == b.resource_name || b.resource_name == "*";
    return f.resource_name->starts_with(b.resource_name); // PREFIXED
}

} // namespace

bool acl_filter::matches(const acl_binding& b) const {
    if (resource_type != acl_code::any && resource_type != b.resource_type) return false;
    if (pattern_type != acl_code::any && pattern_type != acl_code::pattern_match && pattern_type != b.pattern_type)
        return false;
    if (!name_matches(*this, b)) return false;
    if (principal && *principal != b.principal) return false;
    if (host && *host != b.host) return false;
    if (operation != acl_code::any && operation != b.operation) return false;
    return permission_type == acl_code::any || permission_type == b.permission_type;
}

std::string invalid_acl_reason(const acl_binding& b) {
    // AclApis.handleCreateAcls checks the resource name first, then the controller's
    // validateNewAcl the codes and the principal.
    if (b.resource_type == acl_code::resource_cluster && b.resource_name != "kafka-cluster")
        return "The only valid name for the CLUSTER resource is kafka-cluster";
    if (b.resource_name.empty()) return "Invalid empty resource name";
    if (unknown_code(b.resource_type, acl_code::resource_max) || b.resource_type == acl_code::any)
        return std::string("Invalid resourceType ") + resource_type_name(b.resource_type);
    if (b.pattern_type != acl_code::pattern_literal && b.pattern_type != acl_code::pattern_prefixed)
        return std::string("Invalid patternType ") + pattern_type_name(b.pattern_type);
    if (unknown_code(b.operation, acl_code::operation_max) || b.operation == acl_code::any)
        return b.operation == acl_code::any ? "Invalid operation ANY" : "Invalid operation UNKNOWN";
    if (b.permission_type != acl_code::permission_deny && b.permission_type != acl_code::permission_allow)
        return std::string("Invalid permissionType ") + permission_name(b.permission_type);
    if (b.principal.find(':') == std::string::npos)
        return "Could not parse principal from `" + b.principal +
               "` (no colon is present separating the principal type from the principal name)";
    return {};
}

std::string invalid_acl_filter_reason(const acl_filter& f) {
    if (unknown_code(f.resource_type, acl_code::resource_max) || unknown_code(f.pattern_type, acl_code::pattern_prefixed))
        return "Unknown patternFilter.";
    if (unknown_code(f.operation, acl_code::operation_max) || unknown_code(f.permission_type, acl_code::permission_allow))
        return "Unknown entryFilter.";
    return {};
}

std::vector<acl_binding> acl_store::matching(const acl_filter& filter) const {
    std::vector<acl_binding> out;
    for (const auto& b : bindings_)
        if (filter.matches(b)) out.push_back(b);
    return out;
}

nlohmann::json acl_store::to_json() const {
    auto array = nlohmann::json::array();
    for (const auto& b : bindings_)
        array.push_back({{"resource_type", b.resource_type}, {"resource_name", b.resource_name},
                         {"pattern_type", b.pattern_type}, {"principal", b.principal}, {"host", b.host},
                         {"operation", b.operation}, {"permission_type", b.permission_type}});
    return array;
}

void acl_store::load_json(const nlohmann::json& array) {
    bindings_.clear();
    for (const auto& j : array) {
        acl_binding b;
        b.resource_type = j.at("resource_type").get<std::int8_t>();
        b.resource_name = j.at("resource_name").get<std::string>();
        b.pattern_type = j.at("pattern_type").get<std::int8_t>();
        b.principal = j.at("principal").get<std::string>();
        b.host = j.at("host").get<std::string>();
        b.operation = j.at("operation").get<std::int8_t>();
        b.permission_type = j.at("permission_type").get<std::int8_t>();
        bindings_.insert(std::move(b));
    }
}

} // namespace kafkit::broker
