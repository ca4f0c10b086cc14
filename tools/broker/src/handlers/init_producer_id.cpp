// InitProducerId (key 22, v0-5): producer ids for idempotent producers. As in Kafka's
// TransactionCoordinator.handleInitProducerId, a request without a transactional id always
// gets a fresh producer id with epoch 0, even when it names its current id and epoch
// (KIP-360: Kafka answers idempotent producers that way; only transactional ids have their
// epoch bumped). This broker has no transaction coordinator: a transactional id is refused
// with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, a fatal error clients report clearly, rather
// than a retriable one they would retry until their timeout.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/init_producer_id.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {

void handle_init_producer_id(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::init_producer_id_request>(ctx, body);
    if (!request) return;
    protocol::init_producer_id_response response;
    auto fail = [&response](kafka_errc error) {
        response.error_code = static_cast<std::int16_t>(error);
        response.producer_id = -1;
        response.producer_epoch = -1;
    };
    const bool names_producer = request->producer_id != -1;
    const bool names_epoch = request->producer_epoch != -1;
    if (ctx.injected_error != 0) {
        fail(static_cast<kafka_errc>(ctx.injected_error));
    } else if (request->transactional_id && request->transactional_id->empty()) {
        fail(kafka_errc::invalid_request);
    } else if (request->transactional_id) {
        fail(kafka_errc::transactional_id_authorization_failed);
    } else if (names_producer != names_epoch) {
        // KafkaApis: a producer id without an epoch (or the reverse) is a malformed request.
        fail(kafka_errc::invalid_request);
    } else {
        response.producer_id = ctx.state.next_producer_id();
        response.producer_epoch = 0;
    }
    reply<protocol::init_producer_id_response>(ctx).send(response);
}

} // namespace kafkit::broker
