#pragma once
// What the admin client reports about the cluster itself: brokers, the controller, the
// cluster id, and what the caller may do (KIP-430 authorized operations).

#include "kafkit/admin/call_options.hpp"
#include "kafkit/ids.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kafkit::admin {

/// A broker as the cluster advertises it (Java's Node).
struct node {
    node_id id{-1};
    std::string host;
    std::int32_t port = 0;
    std::optional<std::string> rack;

    friend bool operator==(const node&, const node&) = default;
};

/// Kafka's AclOperation codes; authorized-operations sets hold these.
enum class acl_operation : std::int8_t {
    unknown = 0,
    any = 1,
    all = 2,
    read = 3,
    write = 4,
    create = 5,
    delete_ = 6,
    alter = 7,
    describe = 8,
    cluster_action = 9,
    describe_configs = 10,
    alter_configs = 11,
    idempotent_write = 12,
    create_tokens = 13,
    describe_tokens = 14,
    two_phase_commit = 15,
};

/// The bits of a KIP-430 authorized-operations field as a set; nullopt for the field's
/// "not asked / not known" value (INT32_MIN).
[[nodiscard]] std::optional<std::set<acl_operation>> authorized_operations_from_bits(std::int32_t bits);

struct describe_cluster_options : call_options {
    bool include_authorized_operations = false;
};

struct cluster_description {
    std::string cluster_id;
    std::optional<node> controller; ///< none while the cluster has no controller
    std::vector<node> nodes;
    std::optional<std::set<acl_operation>> authorized_operations; ///< when asked for
};

} // namespace kafkit::admin
