// Metadata (key 3): brokers, cluster id, controller, and topics with their partitions'
// leaders, epochs and replicas. Creates unknown topics when auto.create.topics.enable and
// the request allow it.

#include "handlers/authorized_operations.hpp"
#include "handlers/partition_description.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::metadata_request;
using protocol::metadata_response;

void describe_partitions(broker_state& state, const topic& t, metadata_response::metadata_response_topic& out) {
    for (const auto& p : t.partitions)
        out.partitions.push_back(describe_partition<metadata_response::metadata_response_partition>(state, *p));
}

metadata_response::metadata_response_topic describe_topic(broker_state& state, const topic& t,
                                                          const metadata_request& request) {
    metadata_response::metadata_response_topic out;
    out.name = t.name;
    out.topic_id = t.id;
    out.is_internal = t.internal;
    if (request.include_topic_authorized_operations) out.topic_authorized_operations = topic_operations;
    describe_partitions(state, t, out);
    return out;
}

} // namespace

void handle_metadata(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<metadata_request>(ctx, body);
    if (!request) return;
    auto& state = ctx.state;
    metadata_response response;
    for (const auto& n : state.nodes())
        if (n.up) response.brokers.push_back({n.id, n.host, n.port, n.rack, {}});
    response.cluster_id = state.cluster_id();
    response.controller_id = state.controller_id();
    if (request->include_cluster_authorized_operations) response.cluster_authorized_operations = cluster_operations;

    // v0 asks for every topic with an empty list; v1+ with null.
    const bool all_topics = !request->topics || (ctx.api_version == 0 && request->topics->empty());
    // Before v4 the request had no flag: auto-creation was up to the broker alone.
    const bool may_create = ctx.api_version < 4 || request->allow_auto_topic_creation;
    if (all_topics) {
        for (const auto& [name, t] : state.topics()) response.topics.push_back(describe_topic(state, *t, *request));
    } else {
        for (const auto& wanted : *request->topics) {
            const topic* t = nullptr;
            metadata_response::metadata_response_topic missing;
            missing.name = wanted.name;
            missing.topic_id = wanted.topic_id;
            if (!wanted.name) {
                t = state.find_topic(wanted.topic_id);
                if (!t) missing.error_code = static_cast<std::int16_t>(kafka_errc::unknown_topic_id);
            } else if (auto reason = broker_state::invalid_topic_name_reason(*wanted.name); !reason.empty()) {
                missing.error_code = static_cast<std::int16_t>(kafka_errc::invalid_topic_exception);
            } else {
                t = state.find_topic(*wanted.name);
                if (!t && may_create) {
                    auto created = state.auto_create_topic(*wanted.name);
                    t = created.affected;
                    if (!t) missing.error_code = static_cast<std::int16_t>(created.error);
                } else if (!t) {
                    missing.error_code = static_cast<std::int16_t>(kafka_errc::unknown_topic_or_partition);
                }
            }
            response.topics.push_back(t ? describe_topic(state, *t, *request) : std::move(missing));
        }
    }
    if (ctx.injected_error != 0)
        for (auto& t : response.topics) t.error_code = ctx.injected_error;
    reply<metadata_response>(ctx).send(response);
}

} // namespace kafkit::broker
