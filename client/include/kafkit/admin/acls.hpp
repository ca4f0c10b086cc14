#pragma once
// Access control lists as the admin client creates, describes and deletes them
// (CreateAcls, DescribeAcls, DeleteAcls). Codes are Kafka's.

#include "kafkit/admin/call_options.hpp"
#include "kafkit/admin/cluster.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace kafkit::admin {

/// What an ACL protects (Kafka's ResourceType codes).
enum class resource_type : std::int8_t {
    unknown = 0,
    any = 1, ///< filters only
    topic = 2,
    group = 3,
    cluster = 4,
    transactional_id = 5,
    delegation_token = 6,
    user = 7,
};

/// How a binding's resource name matches (Kafka's PatternType codes).
enum class pattern_type : std::int8_t {
    unknown = 0,
    any = 1,   ///< filters only: any pattern type
    match = 2, ///< filters only: bindings that apply to the name (literal, '*' or a prefix of it)
    literal = 3,
    prefixed = 4,
};

enum class acl_permission_type : std::int8_t { unknown = 0, any = 1, deny = 2, allow = 3 };

struct resource_pattern {
    resource_type type = resource_type::topic;
    std::string name;
    pattern_type pattern = pattern_type::literal;

    friend auto operator<=>(const resource_pattern&, const resource_pattern&) = default;
};

/// Who may (or may not) do what from where: "User:alice", host "*" for any.
struct access_control_entry {
    std::string principal;
    std::string host = "*";
    acl_operation operation = acl_operation::read;
    acl_permission_type permission = acl_permission_type::allow;

    friend auto operator<=>(const access_control_entry&, const access_control_entry&) = default;
};

struct acl_binding {
    resource_pattern pattern;
    access_control_entry entry;

    friend auto operator<=>(const acl_binding&, const acl_binding&) = default;
};

/// Matches bindings: unset names, principals and hosts match any; `any` codes match any.
struct acl_binding_filter {
    resource_type type = resource_type::any;
    std::optional<std::string> name;
    pattern_type pattern = pattern_type::any;
    std::optional<std::string> principal;
    std::optional<std::string> host;
    acl_operation operation = acl_operation::any;
    acl_permission_type permission = acl_permission_type::any;

    /// Every binding.
    static acl_binding_filter all() { return {}; }
    friend auto operator<=>(const acl_binding_filter&, const acl_binding_filter&) = default;
};

struct acl_options : call_options {};

} // namespace kafkit::admin
