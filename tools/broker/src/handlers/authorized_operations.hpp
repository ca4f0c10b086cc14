#pragma once
// The authorized-operations bit fields (KIP-430) the broker reports. It has no ACLs, so a
// client may do everything a resource type allows. Bits are Kafka's AclOperation codes.

#include <cstdint>

namespace kafkit::broker {

/// Kafka's "not requested" value for authorized-operations fields.
inline constexpr std::int32_t authorized_operations_omitted = INT32_MIN;

namespace acl_op {
inline constexpr std::int32_t read = 1 << 3, write = 1 << 4, create = 1 << 5, delete_ = 1 << 6, alter = 1 << 7,
                              describe = 1 << 8, cluster_action = 1 << 9, describe_configs = 1 << 10,
                              alter_configs = 1 << 11, idempotent_write = 1 << 12, create_tokens = 1 << 13,
                              describe_tokens = 1 << 14;
} // namespace acl_op

/// Everything a topic allows.
inline constexpr std::int32_t topic_operations = acl_op::read | acl_op::write | acl_op::create | acl_op::delete_ |
                                                 acl_op::alter | acl_op::describe | acl_op::describe_configs |
                                                 acl_op::alter_configs;
/// Everything the cluster resource allows.
inline constexpr std::int32_t cluster_operations = acl_op::create | acl_op::alter | acl_op::describe |
                                                   acl_op::cluster_action | acl_op::describe_configs |
                                                   acl_op::alter_configs | acl_op::idempotent_write |
                                                   acl_op::create_tokens | acl_op::describe_tokens;
/// Everything a group allows.
inline constexpr std::int32_t group_operations = acl_op::read | acl_op::delete_ | acl_op::describe;

} // namespace kafkit::broker
