// AlterReplicaLogDirs (key 34, v0-2, KIP-113): moves replicas of this broker between its log
// directories. The broker has one (the one DescribeLogDirs reports), so a move there is
// already done (NONE); another path is LOG_DIR_NOT_FOUND; a partition this node holds no
// replica of (or that does not exist) is REPLICA_NOT_AVAILABLE, as ReplicaManager answers.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/alter_replica_log_dirs.hpp"
#include "state/broker_state.hpp"
#include "state/config_registry_view.hpp"

#include <algorithm>
#include <filesystem>

namespace kafkit::broker {
namespace {

using protocol::alter_replica_log_dirs_request;
using protocol::alter_replica_log_dirs_response;

/// Kafka compares directories by absolute path.
std::string normal(const std::string& path) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    return (ec ? std::filesystem::path(path) : absolute).lexically_normal().string();
}

kafka_errc move_error(const request_context& ctx, const std::string& dir, const std::string& name, std::int32_t index) {
    if (ctx.injected_error != 0) return static_cast<kafka_errc>(ctx.injected_error);
    if (normal(dir) != normal(log_dir_name(ctx.state.config()))) return kafka_errc::log_dir_not_found;
    const topic* t = ctx.state.find_topic(name);
    const partition* p = t ? t->find_partition(index) : nullptr;
    if (!p || std::find(p->replicas.begin(), p->replicas.end(), ctx.node.id) == p->replicas.end())
        return kafka_errc::replica_not_available;
    return kafka_errc::none;
}

} // namespace

void handle_alter_replica_log_dirs(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<alter_replica_log_dirs_request>(ctx, body);
    if (!request) return;
    alter_replica_log_dirs_response response;
    // One answer per partition, grouped by topic in request order; a partition named in two
    // directories is answered for the last (Kafka keys the moves by partition).
    for (const auto& dir : request->dirs)
        for (const auto& t : dir.topics) {
            auto it = std::find_if(response.results.begin(), response.results.end(),
                                   [&](const auto& r) { return r.topic_name == t.name; });
            if (it == response.results.end()) it = response.results.insert(response.results.end(), {t.name, {}, {}});
            for (auto index : t.partitions) {
                const auto error = static_cast<std::int16_t>(move_error(ctx, dir.path, t.name, index));
                auto& parts = it->partitions;
                auto p = std::find_if(parts.begin(), parts.end(), [&](const auto& x) { return x.partition_index == index; });
                if (p == parts.end()) parts.push_back({index, error, {}});
                else p->error_code = error;
            }
        }
    reply<alter_replica_log_dirs_response>(ctx).send(response);
}

} // namespace kafkit::broker
