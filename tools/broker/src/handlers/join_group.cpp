// JoinGroup (key 11, v0-9): a member joins (or rejoins) a classic group. The answer waits for
// the join phase of the rebalance, so the reply is kept until group_coordinator calls back.
// Checked here, in Kafka's order: fault injection, INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT
// (group.min/max.session.timeout.ms), NOT_COORDINATOR.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/join_group.hpp"
#include "state/broker_state.hpp"

#include <memory>

namespace kafkit::broker {
namespace {

using protocol::join_group_request;
using protocol::join_group_response;

join_group_response to_response(const join_result& result, std::int16_t version) {
    join_group_response response;
    response.error_code = static_cast<std::int16_t>(result.error);
    response.generation_id = result.generation_id;
    response.protocol_type = result.protocol_type;
    // ProtocolName is nullable from v7; before, "no protocol" is the empty string.
    response.protocol_name = version >= 7 ? result.protocol_name : std::optional<std::string>(result.protocol_name.value_or(""));
    response.leader = result.leader;
    response.skip_assignment = result.skip_assignment;
    response.member_id = result.member_id;
    for (const auto& m : result.members) {
        join_group_response::join_group_response_member member;
        member.member_id = m.member_id;
        member.group_instance_id = m.group_instance_id;
        member.metadata = protocol::bytes_view(m.metadata.data(), m.metadata.size());
        response.members.push_back(std::move(member));
    }
    return response;
}

join_params to_params(const request_context& ctx, join_group_request& request) {
    join_params params;
    params.group_id = std::move(request.group_id);
    params.member_id = std::move(request.member_id);
    params.group_instance_id = std::move(request.group_instance_id);
    params.client_id = ctx.client_id;
    params.client_host = ctx.client_host;
    params.session_timeout_ms = request.session_timeout_ms;
    // v0 has no rebalance timeout: the session timeout bounds the rebalance too.
    params.rebalance_timeout_ms = ctx.api_version == 0 ? request.session_timeout_ms : request.rebalance_timeout_ms;
    params.protocol_type = std::move(request.protocol_type);
    for (const auto& p : request.protocols)
        params.protocols.push_back({p.name, std::vector<std::uint8_t>(p.metadata.begin(), p.metadata.end())});
    // KIP-394: from v4 a dynamic member first gets its id with MEMBER_ID_REQUIRED.
    params.require_known_member_id = ctx.api_version >= 4 && !params.group_instance_id;
    params.supports_skip_assignment = ctx.api_version >= 9; // KIP-814
    return params;
}

} // namespace

void handle_join_group(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<join_group_request>(ctx, body);
    if (!request) return;
    auto answer = std::make_shared<reply<join_group_response>>(ctx);
    const auto version = ctx.api_version;
    auto done = [answer, version](const join_result& result) {
        // A member whose connection went away while it waited is simply forgotten here; it
        // stays in the group until its session times out, as in Kafka.
        if (answer->connection_open()) answer->send(to_response(result, version));
    };

    auto& groups = ctx.state.groups();
    const auto& config = ctx.state.config();
    kafka_errc error = kafka_errc::none;
    if (ctx.injected_error != 0) {
        error = static_cast<kafka_errc>(ctx.injected_error);
    } else if (request->group_id.empty()) {
        error = kafka_errc::invalid_group_id;
    } else if (request->session_timeout_ms < config.group_min_session_timeout_ms ||
               request->session_timeout_ms > config.group_max_session_timeout_ms) {
        error = kafka_errc::invalid_session_timeout;
    } else {
        error = groups.check_coordinator(request->group_id, ctx.node.id);
    }
    if (error != kafka_errc::none) {
        join_result result;
        result.error = error;
        result.member_id = request->member_id;
        return done(result);
    }
    groups.join(to_params(ctx, *request), std::move(done));
}

} // namespace kafkit::broker
