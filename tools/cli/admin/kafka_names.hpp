#pragma once
// Kafka's names for the codes the admin commands print and read: error names, ACL
// resource types, pattern types, operations and permissions (as kafka-acls.sh spells
// them), config sources (as kafka-configs.sh prints them) and consumer group states.

#include "kafkit/admin/acls.hpp"
#include "kafkit/admin/cluster.hpp"
#include "kafkit/admin/configs.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace kafkit::admin_cli {

/// Kafka's name of a Kafka error ("UNKNOWN_TOPIC_OR_PARTITION"), kafkit's of a local one
/// ("timed_out"), else the error's message.
[[nodiscard]] std::string error_code_name(std::error_code code);

/// "TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN", "USER", "ANY".
[[nodiscard]] std::string_view resource_type_name(admin::resource_type type) noexcept;
/// "LITERAL", "PREFIXED", "MATCH", "ANY".
[[nodiscard]] std::string_view pattern_type_name(admin::pattern_type type) noexcept;
/// "READ", "WRITE", ..., "CLUSTER_ACTION", "IDEMPOTENT_WRITE", "ALL", "ANY".
[[nodiscard]] std::string_view acl_operation_name(admin::acl_operation op) noexcept;
/// "ALLOW", "DENY", "ANY".
[[nodiscard]] std::string_view permission_name(admin::acl_permission_type permission) noexcept;

/// An operation as kafka-acls.sh's --operation takes it ("Read", "ClusterAction",
/// "IdempotentWrite", "All"), in any case and with or without '_' or '-' between words.
[[nodiscard]] std::optional<admin::acl_operation> parse_acl_operation(std::string_view text);
/// "literal", "prefixed", "match" or "any", in any case.
[[nodiscard]] std::optional<admin::pattern_type> parse_pattern_type(std::string_view text);

/// "DYNAMIC_TOPIC_CONFIG", "DEFAULT_CONFIG", ... (Java's ConfigEntry.ConfigSource names).
[[nodiscard]] std::string_view config_source_name(admin::config_source source) noexcept;
/// "topic", "broker", "broker-logger", ...: how messages name a resource's type.
[[nodiscard]] std::string_view config_resource_type_name(admin::config_resource_type type) noexcept;

/// A consumer group state as ListGroups and DescribeGroups spell it ("Stable", "Empty",
/// "PreparingRebalance", ...) from any case; nullopt for a name Kafka does not use.
[[nodiscard]] std::optional<std::string> canonical_group_state(std::string_view text);

} // namespace kafkit::admin_cli
