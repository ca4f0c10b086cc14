#include "server/api_registry.hpp"

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/api_table.hpp"

#include <algorithm>
#include <vector>

namespace kafkit::broker {
namespace {

/// What the broker serves: key, and the highest version Kafka 3.9 advertises (clipped to
/// what the codec knows). A null handler is an API not served yet (not advertised).
struct planned_api {
    std::int16_t key;
    std::int16_t kafka_max_version;
    request_handler handler;
};

constexpr planned_api planned[] = {
    {0, 11, nullptr},  // Produce
    {1, 17, nullptr},  // Fetch
    {2, 9, nullptr},   // ListOffsets
    {3, 12, &handle_metadata},
    {8, 9, nullptr},   // OffsetCommit
    {9, 9, nullptr},   // OffsetFetch
    {10, 6, nullptr},  // FindCoordinator
    {11, 9, nullptr},  // JoinGroup
    {12, 4, nullptr},  // Heartbeat
    {13, 5, nullptr},  // LeaveGroup
    {14, 5, nullptr},  // SyncGroup
    {15, 5, nullptr},  // DescribeGroups
    {16, 5, nullptr},  // ListGroups
    {18, 4, &handle_api_versions},
    {19, 7, nullptr},  // CreateTopics
    {20, 6, nullptr},  // DeleteTopics
    {21, 2, nullptr},  // DeleteRecords
    {22, 5, nullptr},  // InitProducerId
    {23, 4, nullptr},  // OffsetForLeaderEpoch
    {32, 4, nullptr},  // DescribeConfigs
    {33, 2, nullptr},  // AlterConfigs
    {35, 4, nullptr},  // DescribeLogDirs
    {37, 3, nullptr},  // CreatePartitions
    {42, 2, nullptr},  // DeleteGroups
    {44, 1, nullptr},  // IncrementalAlterConfigs
    {47, 0, nullptr},  // OffsetDelete
    {60, 1, nullptr},  // DescribeCluster
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
