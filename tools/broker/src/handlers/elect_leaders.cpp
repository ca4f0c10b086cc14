// ElectLeaders (key 43, v0-2, KIP-460): preferred and unclean leader elections as the KRaft
// controller runs them over the partitions Metadata reports. A partition whose preferred
// replica leads (or, unclean, whose leader is up) answers ELECTION_NOT_NEEDED; with no
// partitions named, every partition is tried and only those not ELECTION_NOT_NEEDED are
// listed. v0 has no election type (preferred) and no top-level error.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/elect_leaders.hpp"
#include "state/broker_state.hpp"
#include "state/replica_assignment.hpp"

namespace kafkit::broker {
namespace {

using protocol::elect_leaders_request;
using protocol::elect_leaders_response;

elect_leaders_response::partition_result_struct result(std::int32_t partition, kafka_errc error, std::string message = {}) {
    elect_leaders_response::partition_result_struct out;
    out.partition_id = partition;
    out.error_code = static_cast<std::int16_t>(error);
    out.error_message = message.empty() ? std::nullopt : std::optional(std::move(message));
    return out;
}

/// One named partition (ReplicationControlManager.electLeader's messages).
elect_leaders_response::partition_result_struct elect_named(broker_state& state, const std::string& name,
                                                            std::int32_t partition, std::int8_t type) {
    topic* t = state.find_topic(name);
    if (!t) return result(partition, kafka_errc::unknown_topic_or_partition, "No such topic as " + name);
    if (!t->find_partition(partition))
        return result(partition, kafka_errc::unknown_topic_or_partition,
                      "No such partition as " + name + "-" + std::to_string(partition));
    return result(partition, elect_leader(state, *t, partition, type));
}

void elect_all(broker_state& state, std::int8_t type, elect_leaders_response& response) {
    for (const auto& [name, t] : state.topics()) {
        elect_leaders_response::replica_election_result out;
        out.topic = name;
        for (const auto& p : t->partitions)
            if (auto error = elect_leader(state, *t, p->index, type); error != kafka_errc::election_not_needed)
                out.partition_result.push_back(result(p->index, error));
        if (!out.partition_result.empty()) response.replica_election_results.push_back(std::move(out));
    }
}

} // namespace

void handle_elect_leaders(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<elect_leaders_request>(ctx, body);
    if (!request) return;
    elect_leaders_response response;
    const auto type = ctx.api_version == 0 ? election_preferred : request->election_type;
    kafka_errc refused = static_cast<kafka_errc>(ctx.injected_error);
    if (refused == kafka_errc::none && type != election_preferred && type != election_unclean)
        refused = kafka_errc::invalid_request; // ElectionType.valueOf refuses an unknown type
    if (refused != kafka_errc::none) {
        response.error_code = static_cast<std::int16_t>(refused);
        if (request->topic_partitions)
            for (const auto& t : *request->topic_partitions) {
                response.replica_election_results.push_back({t.topic, {}, {}});
                for (auto p : t.partitions) response.replica_election_results.back().partition_result.push_back(result(p, refused));
            }
        reply<elect_leaders_response>(ctx).send(response);
        return;
    }
    if (!request->topic_partitions) {
        elect_all(ctx.state, type, response);
    } else {
        for (const auto& t : *request->topic_partitions) {
            elect_leaders_response::replica_election_result out;
            out.topic = t.topic;
            for (auto p : t.partitions) out.partition_result.push_back(elect_named(ctx.state, t.topic, p, type));
            response.replica_election_results.push_back(std::move(out));
        }
    }
    reply<elect_leaders_response>(ctx).send(response);
}

} // namespace kafkit::broker
