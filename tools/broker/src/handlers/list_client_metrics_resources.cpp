// ListClientMetricsResources (74, v0, KIP-714): the client metrics subscriptions defined as
// config resources of type CLIENT_METRICS. This broker keeps none, so the list is empty.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/list_client_metrics_resources.hpp"

namespace kafkit::broker {

void handle_list_client_metrics_resources(request_context& ctx, protocol::bytes_view body) {
    if (!decode_request<protocol::list_client_metrics_resources_request>(ctx, body)) return;
    protocol::list_client_metrics_resources_response response;
    response.error_code = ctx.injected_error;
    reply<protocol::list_client_metrics_resources_response>(ctx).send(response);
}

} // namespace kafkit::broker
