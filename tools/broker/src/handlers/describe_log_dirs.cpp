// DescribeLogDirs (key 35, v0-4, KIP-113): the log directory of the broker asked, with the
// size of each partition it holds a replica of. One directory: the data dir, or "/memory"
// for the in-memory broker. Replicas are never behind (offset lag 0) and never moving
// between directories (no future replicas). v4 adds the volume's total and usable bytes
// (KIP-827), -1 when unknown.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/describe_log_dirs.hpp"
#include "state/broker_state.hpp"
#include "state/config_registry_view.hpp"

#include <algorithm>

#include <sys/statvfs.h>

namespace kafkit::broker {
namespace {

using protocol::describe_log_dirs_request;
using protocol::describe_log_dirs_response;

/// Whether the request asks about partition `index` of topic `name` (null: everything).
bool wanted(const describe_log_dirs_request& request, const std::string& name, std::int32_t index) {
    if (!request.topics) return true;
    return std::any_of(request.topics->begin(), request.topics->end(), [&](const auto& t) {
        return t.topic == name && std::find(t.partitions.begin(), t.partitions.end(), index) != t.partitions.end();
    });
}

void volume_bytes(const broker_config& config, describe_log_dirs_response::describe_log_dirs_result& out) {
    struct statvfs fs {};
    if (!config.data_dir || ::statvfs(config.data_dir->c_str(), &fs) != 0) return;
    out.total_bytes = static_cast<std::int64_t>(fs.f_blocks) * static_cast<std::int64_t>(fs.f_frsize);
    out.usable_bytes = static_cast<std::int64_t>(fs.f_bavail) * static_cast<std::int64_t>(fs.f_frsize);
}

} // namespace

void handle_describe_log_dirs(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_log_dirs_request>(ctx, body);
    if (!request) return;
    auto& state = ctx.state;
    describe_log_dirs_response response;
    describe_log_dirs_response::describe_log_dirs_result dir;
    dir.log_dir = log_dir_name(state.config());
    if (ctx.injected_error != 0) {
        // v3+ carries a top-level error (as for CLUSTER_AUTHORIZATION_FAILED) and no dirs;
        // before v3 the error goes in the directory's entry.
        response.error_code = ctx.injected_error;
        if (ctx.api_version < 3) {
            dir.error_code = ctx.injected_error;
            response.results.push_back(std::move(dir));
        }
        reply<describe_log_dirs_response>(ctx).send(response);
        return;
    }
    volume_bytes(state.config(), dir);
    for (const auto& [name, t] : state.topics()) {
        describe_log_dirs_response::describe_log_dirs_topic out;
        out.name = name;
        for (const auto& p : t->partitions) {
            const bool hosted = std::find(p->replicas.begin(), p->replicas.end(), ctx.node.id) != p->replicas.end();
            if (!hosted || !wanted(*request, name, p->index)) continue;
            describe_log_dirs_response::describe_log_dirs_partition part;
            part.partition_index = p->index;
            part.partition_size = static_cast<std::int64_t>(p->log->size_bytes());
            part.offset_lag = 0;
            part.is_future_key = false;
            out.partitions.push_back(part);
        }
        if (!out.partitions.empty()) dir.topics.push_back(std::move(out));
    }
    response.results.push_back(std::move(dir));
    reply<describe_log_dirs_response>(ctx).send(response);
}

} // namespace kafkit::broker
