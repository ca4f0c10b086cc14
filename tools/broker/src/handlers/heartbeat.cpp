// Heartbeat (key 12, v0-4): keeps a member's session alive and tells it when a rebalance
// needs it to rejoin (REBALANCE_IN_PROGRESS).

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/heartbeat.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_heartbeat(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::heartbeat_request>(ctx, body);
    if (!request) return;
    auto& groups = ctx.state.groups();
    kafka_errc error = kafka_errc::none;
    if (ctx.injected_error != 0) {
        error = static_cast<kafka_errc>(ctx.injected_error);
    } else if (request->group_id.empty()) {
        error = kafka_errc::invalid_group_id;
    } else if (error = groups.check_coordinator(request->group_id, ctx.node.id); error == kafka_errc::none) {
        error = groups.heartbeat(request->group_id, request->member_id, request->group_instance_id,
                                 request->generation_id);
    }
    protocol::heartbeat_response response;
    response.error_code = static_cast<std::int16_t>(error);
    reply<protocol::heartbeat_response>(ctx).send(response);
}

} // namespace kafkit::broker
