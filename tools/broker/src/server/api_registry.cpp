#include "server/api_registry.hpp"

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/api_table.hpp"

#include <algorithm>
#include <vector>

namespace kafkit::broker {
namespace {

/// What the broker serves: key, and the highest version Kafka 3.9 advertises (clipped to
/// what the codec knows; Kafka 4.0's for the KIP-848 consumer group APIs, whose
/// ConsumerGroupHeartbeat v1 brings client-generated member ids, KIP-1082). A null handler
/// is an API not served yet (not advertised).
struct planned_api {
    std::int16_t key;
    std::int16_t kafka_max_version;
    request_handler handler;
};

constexpr planned_api planned[] = {
    {0, 11, &handle_produce},
    {1, 17, &handle_fetch},
    {2, 9, &handle_list_offsets},
    {3, 12, &handle_metadata},
    {8, 9, &handle_offset_commit},
    {9, 9, &handle_offset_fetch},
    {10, 6, &handle_find_coordinator},
    {11, 9, &handle_join_group},
    {12, 4, &handle_heartbeat},
    {13, 5, &handle_leave_group},
    {14, 5, &handle_sync_group},
    {15, 5, &handle_describe_groups},
    {16, 5, &handle_list_groups},
    {18, 4, &handle_api_versions},
    {19, 7, &handle_create_topics},
    {20, 6, &handle_delete_topics},
    {21, 2, &handle_delete_records},
    {22, 5, &handle_init_producer_id},
    {23, 4, &handle_offset_for_leader_epoch},
    {27, 1, &handle_write_txn_markers},
    {29, 3, &handle_describe_acls},
    {30, 3, &handle_create_acls},
    {31, 3, &handle_delete_acls},
    {32, 4, &handle_describe_configs},
    {33, 2, &handle_alter_configs},
    {34, 2, &handle_alter_replica_log_dirs},
    {35, 4, &handle_describe_log_dirs},
    {37, 3, &handle_create_partitions},
    {38, 3, &handle_create_delegation_token},
    {39, 2, &handle_renew_delegation_token},
    {40, 2, &handle_expire_delegation_token},
    {41, 3, &handle_describe_delegation_token},
    {42, 2, &handle_delete_groups},
    {43, 2, &handle_elect_leaders},
    {44, 1, &handle_incremental_alter_configs},
    {45, 0, &handle_alter_partition_reassignments},
    {46, 0, &handle_list_partition_reassignments},
    {47, 0, &handle_offset_delete},
    {48, 1, &handle_describe_client_quotas},
    {49, 1, &handle_alter_client_quotas},
    {50, 0, &handle_describe_user_scram_credentials},
    {51, 0, &handle_alter_user_scram_credentials},
    {55, 2, &handle_describe_quorum},
    {57, 2, &handle_update_features},
    {60, 1, &handle_describe_cluster},
    {61, 0, &handle_describe_producers},
    {64, 0, &handle_unregister_broker},
    {65, 0, &handle_describe_transactions},
    {66, 1, &handle_list_transactions},
    {68, 1, &handle_consumer_group_heartbeat},
    {69, 0, &handle_consumer_group_describe},
    {74, 0, &handle_list_client_metrics_resources},
    {75, 0, &handle_describe_topic_partitions},
};

std::vector<served_api> build_table() {
    std::vector<served_api> table;
    for (const auto& p : planned) {
        if (!p.handler) continue;
        const auto* info = protocol::find_api(p.key);
        if (!info) continue;
        table.push_back({p.key, info->min_version, std::min(p.kafka_max_version, info->max_version), p.handler});
    }
    return table;
}

const std::vector<served_api>& table() {
    static const std::vector<served_api> t = build_table();
    return t;
}

} // namespace

std::span<const served_api> served_apis() noexcept { return table(); }

const served_api* find_served_api(std::int16_t key) noexcept {
    for (const auto& api : table())
        if (api.key == key) return &api;
    return nullptr;
}

} // namespace kafkit::broker
