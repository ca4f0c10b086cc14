// DeleteRecords (key 21, v0-2): moves a partition's log start offset up, as Kafka's
// Partition.deleteRecordsOnLeader does: -1 means the high watermark, an offset beyond the
// high watermark (or negative) is OFFSET_OUT_OF_RANGE, a topic whose cleanup.policy lacks
// "delete" refuses with POLICY_VIOLATION. The answer is the new low watermark (the log
// start offset). Single replica: no waiting for followers.

#include "data/partition_access.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/delete_records.hpp"
#include "state/broker_state.hpp"
#include "state/producer_registry.hpp"

namespace kafkit::broker {
namespace {

using protocol::delete_records_response;

/// Kafka's LogConfig.delete: cleanup.policy includes "delete" (the default).
bool allows_deletion(const topic& t) {
    auto it = t.configs.find("cleanup.policy");
    return it == t.configs.end() || it->second.find("delete") != std::string::npos;
}

delete_records_response::delete_records_partition_result delete_in(request_context& ctx, topic* t,
                                                                   std::int32_t index, std::int64_t offset) {
    delete_records_response::delete_records_partition_result out;
    out.partition_index = index;
    out.low_watermark = -1;
    auto fail = [&out](kafka_errc error) {
        out.error_code = static_cast<std::int16_t>(error);
        return out;
    };
    if (ctx.injected_error != 0) return fail(static_cast<kafka_errc>(ctx.injected_error));
    const auto access = access_partition(t, index, ctx.node, no_leader_epoch);
    if (access.error != kafka_errc::none) return fail(access.error);
    if (!allows_deletion(*t)) return fail(kafka_errc::policy_violation);
    partition& p = *access.part;
    const std::int64_t high_watermark = p.log->log_end_offset();
    const std::int64_t target = offset == -1 ? high_watermark : offset;
    if (target < 0 || target > high_watermark) return fail(kafka_errc::offset_out_of_range);
    if (target > p.log->log_start_offset()) {
        if (auto ec = p.log->delete_before(target); ec) return fail(kafka_errc::kafka_storage_error);
        ctx.state.producers().forget_below(*t, p, p.log->log_start_offset());
        // Fetches waiting below the new start must now answer OFFSET_OUT_OF_RANGE, and
        // fetch sessions report the new log start.
        p.notify_append();
    }
    out.low_watermark = p.log->log_start_offset();
    return out;
}

} // namespace

void handle_delete_records(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::delete_records_request>(ctx, body);
    if (!request) return;
    delete_records_response response;
    for (const auto& topic_request : request->topics) {
        delete_records_response::delete_records_topic_result tr;
        tr.name = topic_request.name;
        topic* t = ctx.state.find_topic(topic_request.name);
        for (const auto& p : topic_request.partitions) tr.partitions.push_back(delete_in(ctx, t, p.partition_index, p.offset));
        response.topics.push_back(std::move(tr));
    }
    reply<delete_records_response>(ctx).send(response);
}

} // namespace kafkit::broker
