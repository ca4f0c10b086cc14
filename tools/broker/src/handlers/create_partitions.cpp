// CreatePartitions (key 37, v0-3, KIP-195): grows topics to a new partition count, placing
// the new partitions automatically or as the request assigns them, or (validate_only) only
// checks that it could. Errors per topic with the KRaft controller's codes and messages.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/create_partitions.hpp"
#include "state/broker_state.hpp"

#include <map>
#include <set>

namespace kafkit::broker {
namespace {

using protocol::create_partitions_request;
using protocol::create_partitions_response;

topic_result grow(broker_state& state, const create_partitions_request::create_partitions_topic& t, bool validate_only) {
    std::vector<std::vector<std::int32_t>> assignment;
    if (t.assignments) {
        for (const auto& a : *t.assignments) assignment.push_back(a.broker_ids);
        // An empty (not null) assignment list assigns nothing: broker_state reads an empty
        // list as "place automatically", so refuse it here as Kafka does.
        const topic* existing = state.find_topic(t.name);
        if (assignment.empty() && existing && t.count > static_cast<std::int32_t>(existing->partitions.size()))
            return {kafka_errc::invalid_replica_assignment,
                    "Attempted to add " + std::to_string(t.count - static_cast<std::int32_t>(existing->partitions.size())) +
                        " additional partition(s), but only 0 assignment(s) were specified."};
    }
    // Kafka's controller writes one record per new partition and refuses more than 10000
    // in one request (QuorumController.MAX_RECORDS_PER_USER_OP).
    if (const topic* existing = state.find_topic(t.name);
        existing && static_cast<std::int64_t>(t.count) - static_cast<std::int64_t>(existing->partitions.size()) > 10000)
        return {kafka_errc::policy_violation, "Unable to perform excessively large batch operation."};
    return state.add_partitions(t.name, t.count, assignment, validate_only);
}

} // namespace

void handle_create_partitions(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<create_partitions_request>(ctx, body);
    if (!request) return;
    std::map<std::string, int> occurrences;
    for (const auto& t : request->topics) ++occurrences[t.name];

    create_partitions_response response;
    std::set<std::string> answered;
    for (const auto& t : request->topics) {
        // A name given twice gets one answer (ControllerApis.createPartitions).
        if (!answered.insert(t.name).second) continue;
        topic_result result;
        if (ctx.injected_error != 0) result.error = static_cast<kafka_errc>(ctx.injected_error);
        else if (occurrences[t.name] > 1) result = {kafka_errc::invalid_request, "Duplicate topic name."};
        else result = grow(ctx.state, t, request->validate_only);
        create_partitions_response::create_partitions_topic_result out;
        out.name = t.name;
        out.error_code = static_cast<std::int16_t>(result.error);
        if (!result.message.empty()) out.error_message = result.message;
        response.results.push_back(std::move(out));
    }
    reply<create_partitions_response>(ctx).send(response);
}

} // namespace kafkit::broker
