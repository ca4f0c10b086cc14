// SyncGroup (key 14, v0-5): members fetch their assignment; the leader brings everyone's.
// Followers wait until the leader's SyncGroup arrives, so the reply may be kept. v5 makes
// ProtocolType and ProtocolName mandatory and checks them against the group's.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/sync_group.hpp"
#include "state/broker_state.hpp"

#include <memory>

namespace kafkit::broker {
namespace {

using protocol::sync_group_request;
using protocol::sync_group_response;

sync_group_response to_response(const sync_result& result) {
    sync_group_response response;
    response.error_code = static_cast<std::int16_t>(result.error);
    response.protocol_type = result.protocol_type;
    response.protocol_name = result.protocol_name;
    response.assignment = protocol::bytes_view(result.assignment.data(), result.assignment.size());
    return response;
}

sync_params to_params(sync_group_request& request) {
    sync_params params;
    params.group_id = std::move(request.group_id);
    params.generation_id = request.generation_id;
    params.member_id = std::move(request.member_id);
    params.group_instance_id = std::move(request.group_instance_id);
    params.protocol_type = std::move(request.protocol_type);
    params.protocol_name = std::move(request.protocol_name);
    for (const auto& a : request.assignments)
        params.assignments.emplace_back(a.member_id, std::vector<std::uint8_t>(a.assignment.begin(), a.assignment.end()));
    return params;
}

} // namespace

void handle_sync_group(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<sync_group_request>(ctx, body);
    if (!request) return;
    auto answer = std::make_shared<reply<sync_group_response>>(ctx);
    auto done = [answer](const sync_result& result) {
        if (answer->connection_open()) answer->send(to_response(result));
    };

    auto& groups = ctx.state.groups();
    kafka_errc error = kafka_errc::none;
    if (ctx.injected_error != 0) {
        error = static_cast<kafka_errc>(ctx.injected_error);
    } else if (ctx.api_version >= 5 && (!request->protocol_type || !request->protocol_name)) {
        error = kafka_errc::inconsistent_group_protocol; // mandatory from v5 (KafkaApis)
    } else if (request->group_id.empty()) {
        error = kafka_errc::invalid_group_id;
    } else {
        error = groups.check_coordinator(request->group_id, ctx.node.id);
    }
    if (error != kafka_errc::none) {
        sync_result result;
        result.error = error;
        return done(result);
    }
    groups.sync(to_params(*request), std::move(done));
}

} // namespace kafkit::broker
