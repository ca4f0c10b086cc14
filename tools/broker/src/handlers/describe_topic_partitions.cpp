// DescribeTopicPartitions (75, v0, KIP-966): the topics asked (every topic when none is
// named), by name, with their partitions as Metadata describes them plus the eligible
// leader replicas (none: a single-log partition has no ELR), at most
// response_partition_limit partitions per answer (capped at Kafka's default
// max.request.partition.size.limit, 2000). An answer cut by the limit ends with the cursor
// the next request starts from: the topic and partition not yet described. A topic named
// but missing is UNKNOWN_TOPIC_OR_PARTITION; a cursor on a topic not asked for is
// INVALID_REQUEST, as Kafka answers it.

#include "handlers/authorized_operations.hpp"
#include "handlers/handlers.hpp"
#include "handlers/partition_description.hpp"
#include "kafkit/protocol/messages/describe_topic_partitions.hpp"

#include <algorithm>
#include <set>

namespace kafkit::broker {
namespace {

using protocol::describe_topic_partitions_request;
using protocol::describe_topic_partitions_response;

constexpr std::int32_t partition_limit_cap = 2000;

} // namespace

void handle_describe_topic_partitions(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_topic_partitions_request>(ctx, body);
    if (!request) return;
    auto& state = ctx.state;
    describe_topic_partitions_response response;
    std::set<std::string> names;
    for (const auto& t : request->topics) names.insert(t.name);
    if (names.empty())
        for (const auto& [name, t] : state.topics()) names.insert(name);
    if (ctx.injected_error != 0 ||
        (request->cursor && names.count(request->cursor->topic_name) == 0)) {
        // Kafka fails the request as a whole: every topic asked carries the error.
        const auto error = ctx.injected_error != 0 ? ctx.injected_error : static_cast<std::int16_t>(kafka_errc::invalid_request);
        for (const auto& name : names) {
            auto& out = response.topics.emplace_back();
            out.name = name;
            out.error_code = error;
        }
        reply<describe_topic_partitions_response>(ctx).send(response);
        return;
    }
    std::int32_t budget = std::clamp(request->response_partition_limit, 1, partition_limit_cap);
    auto it = request->cursor ? names.find(request->cursor->topic_name) : names.begin();
    std::int32_t first_partition = request->cursor ? std::max(0, request->cursor->partition_index) : 0;
    for (; it != names.end(); ++it, first_partition = 0) {
        auto& out = response.topics.emplace_back();
        out.name = *it;
        const auto* t = state.find_topic(*it);
        if (!t) {
            out.error_code = static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition);
            continue;
        }
        out.topic_id = t->id;
        out.is_internal = t->internal;
        out.topic_authorized_operations = topic_operations;
        const auto count = static_cast<std::int32_t>(t->partitions.size());
        std::int32_t index = first_partition;
        for (; index < count && budget > 0; ++index, --budget) {
            auto p = describe_partition<describe_topic_partitions_response::describe_topic_partitions_response_partition>(
                state, *t->partitions[static_cast<std::size_t>(index)]);
            p.eligible_leader_replicas.emplace();
            p.last_known_elr.emplace();
            out.partitions.push_back(std::move(p));
        }
        if (index < count) { // cut inside this topic
            response.next_cursor = describe_topic_partitions_response::cursor{*it, index, {}};
            break;
        }
        if (budget == 0 && std::next(it) != names.end()) { // cut at a topic's end
            response.next_cursor = describe_topic_partitions_response::cursor{*std::next(it), 0, {}};
            break;
        }
    }
    reply<describe_topic_partitions_response>(ctx).send(response);
}

} // namespace kafkit::broker
