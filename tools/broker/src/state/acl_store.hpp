#pragma once
// The ACL bindings the cluster stores (CreateAcls, DescribeAcls, DeleteAcls, KIP-140). The
// broker has no authorizer: bindings are stored, listed and deleted, never enforced. Codes
// are Kafka's: ResourceType, PatternType, AclOperation and AclPermissionType.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace kafkit::broker {

/// Kafka's enum codes for ACLs (org.apache.kafka.common.{resource,acl}).
namespace acl_code {
inline constexpr std::int8_t unknown = 0, any = 1;
inline constexpr std::int8_t resource_topic = 2, resource_cluster = 4, resource_max = 7; ///< 7: USER
inline constexpr std::int8_t pattern_match = 2, pattern_literal = 3, pattern_prefixed = 4;
inline constexpr std::int8_t operation_max = 14; ///< DESCRIBE_TOKENS
inline constexpr std::int8_t permission_deny = 2, permission_allow = 3;
} // namespace acl_code

/// One ACL binding: a resource pattern and an access control entry.
struct acl_binding {
    std::int8_t resource_type = 0;
    std::string resource_name;
    std::int8_t pattern_type = acl_code::pattern_literal;
    std::string principal;
    std::string host;
    std::int8_t operation = 0;
    std::int8_t permission_type = 0;

    [[nodiscard]] auto key() const {
        return std::tie(resource_type, resource_name, pattern_type, principal, host, operation, permission_type);
    }
    friend bool operator<(const acl_binding& a, const acl_binding& b) { return a.key() < b.key(); }
    friend bool operator==(const acl_binding& a, const acl_binding& b) { return a.key() == b.key(); }
};

/// An AclBindingFilter: null strings and ANY codes match anything.
struct acl_filter {
    std::int8_t resource_type = acl_code::any;
    std::optional<std::string> resource_name;
    std::int8_t pattern_type = acl_code::any;
    std::optional<std::string> principal;
    std::optional<std::string> host;
    std::int8_t operation = acl_code::any;
    std::int8_t permission_type = acl_code::any;

    /// Kafka's AclBindingFilter.matches (ResourcePatternFilter and AccessControlEntryFilter):
    /// MATCH matches literal bindings of the name or '*' and prefixed bindings the name starts
    /// with; ANY or a specific pattern type with a name matches that exact name.
    [[nodiscard]] bool matches(const acl_binding& binding) const;
};

/// Why a binding cannot be created (Kafka's AclApis and AclControlManager.validateNewAcl
/// messages, answered with INVALID_REQUEST), or empty.
[[nodiscard]] std::string invalid_acl_reason(const acl_binding& binding);
/// Why a filter cannot be used (AclControlManager.validateFilter: an UNKNOWN element), or empty.
[[nodiscard]] std::string invalid_acl_filter_reason(const acl_filter& filter);

/// The stored bindings, ordered by resource type, name, pattern type, then entry.
class acl_store {
public:
    /// Adds a binding; false when it was there already (which is not an error in Kafka).
    bool add(const acl_binding& binding) { return bindings_.insert(binding).second; }
    /// The bindings `filter` matches, in order.
    [[nodiscard]] std::vector<acl_binding> matching(const acl_filter& filter) const;
    /// Removes one binding.
    void remove(const acl_binding& binding) { bindings_.erase(binding); }
    [[nodiscard]] const std::set<acl_binding>& bindings() const noexcept { return bindings_; }

    /// The bindings as a JSON array (cluster.json).
    [[nodiscard]] nlohmann::json to_json() const;
    /// Replaces the bindings with those of a to_json() array.
    void load_json(const nlohmann::json& array);

private:
    std::set<acl_binding> bindings_;
};

} // namespace kafkit::broker
