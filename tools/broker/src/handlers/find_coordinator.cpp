// FindCoordinator (key 10): which node coordinates a group (key type 0) or a transactional
// id (key type 1). v0-3 ask for one key, v4+ for a batch (KIP-699). The coordinator is
// group_coordinator::coordinator_node: a stable hash of the key over the nodes that are up.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::find_coordinator_request;
using protocol::find_coordinator_response;

/// Kafka's ErrorMessage: Errors.message(), which is "NONE" for success and the exception's
/// default text otherwise.
std::string error_message(std::int16_t code) {
    switch (static_cast<kafka_errc>(code)) {
    case kafka_errc::none: return "NONE";
    case kafka_errc::coordinator_not_available: return "The coordinator is not available.";
    case kafka_errc::invalid_request:
        return "This most likely occurs because of a request being malformed by the client library or the "
               "message was sent to an incompatible broker. See the broker logs for more details.";
    default:
        if (const auto* info = find_kafka_error(code)) return std::string(info->description);
        return std::string(kafka_error_name(code));
    }
}

find_coordinator_response::coordinator find(request_context& ctx, const std::string& key, std::int8_t key_type) {
    find_coordinator_response::coordinator out;
    out.key = key;
    out.node_id = -1;
    out.port = -1;
    std::int16_t error = ctx.injected_error;
    if (error == 0 && key_type != 0 && key_type != 1) error = static_cast<std::int16_t>(kafka_errc::invalid_request);
    if (error == 0) {
        const auto node_id = ctx.state.groups().coordinator_node(key);
        const broker_node* node = node_id < 0 ? nullptr : ctx.state.find_node(node_id);
        if (!node) {
            error = static_cast<std::int16_t>(kafka_errc::coordinator_not_available);
        } else {
            out.node_id = node->id;
            out.host = node->host;
            out.port = node->port;
        }
    }
    out.error_code = error;
    out.error_message = error_message(error);
    return out;
}

} // namespace

void handle_find_coordinator(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<find_coordinator_request>(ctx, body);
    if (!request) return;
    find_coordinator_response response;
    if (ctx.api_version >= 4) {
        for (const auto& key : request->coordinator_keys)
            response.coordinators.push_back(find(ctx, key, request->key_type));
    } else {
        // v0 has no key type: it always asks for a group's coordinator.
        auto one = find(ctx, request->key, ctx.api_version >= 1 ? request->key_type : std::int8_t{0});
        response.error_code = one.error_code;
        response.error_message = one.error_message;
        response.node_id = one.node_id;
        response.host = one.host;
        response.port = one.port;
    }
    reply<find_coordinator_response>(ctx).send(response);
}

} // namespace kafkit::broker
