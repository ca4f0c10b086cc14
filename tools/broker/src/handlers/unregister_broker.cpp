// UnregisterBroker (64, v0, KIP-500): removes a broker's registration from the KRaft
// controller. An id the cluster has no node of is BROKER_ID_NOT_REGISTERED. Every node of
// this process is registered again at once, as a live Kafka broker re-registers on its
// next heartbeat; a node the fault injector holds down is already out of metadata and
// registers again when it comes back. So a known id is accepted and changes nothing.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/unregister_broker.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_unregister_broker(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::unregister_broker_request>(ctx, body);
    if (!request) return;
    protocol::unregister_broker_response response;
    response.error_message = std::nullopt;
    if (ctx.injected_error != 0) {
        response.error_code = ctx.injected_error;
    } else if (!ctx.state.find_node(request->broker_id)) {
        response.error_code = static_cast<std::int16_t>(kafka_errc::broker_id_not_registered);
        response.error_message = "Broker ID " + std::to_string(request->broker_id) + " is not currently registered";
    }
    reply<protocol::unregister_broker_response>(ctx).send(response);
}

} // namespace kafkit::broker
