#include "kafka_names.hpp"

#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace kafkit::admin_cli {
namespace {

using admin::acl_operation;

/// `text` in lower case without '_', '-' and spaces: "Cluster_Action" -> "clusteraction".
std::string folded(std::string_view text) {
    std::string out;
    for (char c : text)
        if (c != '_' && c != '-' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

constexpr std::array<std::pair<acl_operation, std::string_view>, 15> operations{{
    {acl_operation::any, "ANY"},
    {acl_operation::all, "ALL"},
    {acl_operation::read, "READ"},
    {acl_operation::write, "WRITE"},
    {acl_operation::create, "CREATE"},
    {acl_operation::delete_, "DELETE"},
    {acl_operation::alter, "ALTER"},
    {acl_operation::describe, "DESCRIBE"},
    {acl_operation::cluster_action, "CLUSTER_ACTION"},
    {acl_operation::describe_configs, "DESCRIBE_CONFIGS"},
    {acl_operation::alter_configs, "ALTER_CONFIGS"},
    {acl_operation::idempotent_write, "IDEMPOTENT_WRITE"},
    {acl_operation::create_tokens, "CREATE_TOKENS"},
    {acl_operation::describe_tokens, "DESCRIBE_TOKENS"},
    {acl_operation::two_phase_commit, "TWO_PHASE_COMMIT"},
}};

constexpr std::array<std::string_view, 8> group_states{
    "Unknown", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead", "Empty", "Assigning", "Reconciling"};

} // namespace

std::string error_code_name(std::error_code code) {
    if (code.category() == kafka_category()) return std::string(kafka_error_name(static_cast<std::int16_t>(code.value())));
    if (code.category() == local_category()) {
        switch (static_cast<errc>(code.value())) {
        case errc::timed_out: return "timed_out";
        case errc::disconnected: return "disconnected";
        case errc::connection_failed: return "connection_failed";
        case errc::closed: return "closed";
        case errc::invalid_config: return "invalid_config";
        case errc::unsupported_version: return "unsupported_version";
        default: break;
        }
    }
    return code.message();
}

std::string_view resource_type_name(admin::resource_type type) noexcept {
    switch (type) {
    case admin::resource_type::any: return "ANY";
    case admin::resource_type::topic: return "TOPIC";
    case admin::resource_type::group: return "GROUP";
    case admin::resource_type::cluster: return "CLUSTER";
    case admin::resource_type::transactional_id: return "TRANSACTIONAL_ID";
    case admin::resource_type::delegation_token: return "DELEGATION_TOKEN";
    case admin::resource_type::user: return "USER";
    case admin::resource_type::unknown: break;
    }
    return "UNKNOWN";
}

std::string_view pattern_type_name(admin::pattern_type type) noexcept {
    switch (type) {
    case admin::pattern_type::any: return "ANY";
    case admin::pattern_type::match: return "MATCH";
    case admin::pattern_type::literal: return "LITERAL";
    case admin::pattern_type::prefixed: return "PREFIXED";
    case admin::pattern_type::unknown: break;
    }
    return "UNKNOWN";
}

std::string_view acl_operation_name(acl_operation op) noexcept {
    for (const auto& [code, name] : operations)
        if (code == op) return name;
    return "UNKNOWN";
}

std::string_view permission_name(admin::acl_permission_type permission) noexcept {
    switch (permission) {
    case admin::acl_permission_type::any: return "ANY";
    case admin::acl_permission_type::allow: return "ALLOW";
    case admin::acl_permission_type::deny: return "DENY";
    case admin::acl_permission_type::unknown: break;
    }
    return "UNKNOWN";
}

std::optional<acl_operation> parse_acl_operation(std::string_view text) {
    const std::string wanted = folded(text);
    for (const auto& [code, name] : operations)
        if (folded(name) == wanted) return code;
    return std::nullopt;
}

std::optional<admin::pattern_type> parse_pattern_type(std::string_view text) {
    const std::string wanted = folded(text);
    for (auto type : {admin::pattern_type::literal, admin::pattern_type::prefixed, admin::pattern_type::match,
                      admin::pattern_type::any})
        if (folded(pattern_type_name(type)) == wanted) return type;
    return std::nullopt;
}

std::string_view config_source_name(admin::config_source source) noexcept {
    using admin::config_source;
    switch (source) {
    case config_source::dynamic_topic_config: return "DYNAMIC_TOPIC_CONFIG";
    case config_source::dynamic_broker_config: return "DYNAMIC_BROKER_CONFIG";
    case config_source::dynamic_default_broker_config: return "DYNAMIC_DEFAULT_BROKER_CONFIG";
    case config_source::static_broker_config: return "STATIC_BROKER_CONFIG";
    case config_source::default_config: return "DEFAULT_CONFIG";
    case config_source::dynamic_broker_logger_config: return "DYNAMIC_BROKER_LOGGER_CONFIG";
    case config_source::client_metrics_config: return "CLIENT_METRICS_CONFIG";
    case config_source::group_config: return "GROUP_CONFIG";
    case config_source::unknown: break;
    }
    return "UNKNOWN";
}

std::string_view config_resource_type_name(admin::config_resource_type type) noexcept {
    using admin::config_resource_type;
    switch (type) {
    case config_resource_type::topic: return "topic";
    case config_resource_type::broker: return "broker";
    case config_resource_type::broker_logger: return "broker-logger";
    case config_resource_type::client_metrics: return "client-metrics";
    case config_resource_type::group: return "group";
    case config_resource_type::unknown: break;
    }
    return "unknown";
}

std::optional<std::string> canonical_group_state(std::string_view text) {
    const std::string wanted = folded(text);
    for (auto state : group_states)
        if (folded(state) == wanted) return std::string(state);
    return std::nullopt;
}

} // namespace kafkit::admin_cli
