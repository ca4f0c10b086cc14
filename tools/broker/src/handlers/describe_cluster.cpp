// DescribeCluster (key 60, v0-1, KIP-700): the brokers that are up, the cluster id, the
// controller (as Metadata reports it) and, when asked, the cluster's authorized operations
// (KIP-430). v1 carries the endpoint type (KIP-919): this is a broker endpoint, so a request
// meant for controllers is refused as Kafka's brokers refuse it.

#include "handlers/authorized_operations.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/describe_cluster.hpp"
#include "state/broker_state.hpp"

namespace kafkit::broker {
namespace {

using protocol::describe_cluster_request;
using protocol::describe_cluster_response;

constexpr std::int8_t endpoint_broker = 1;

/// Kafka's EndpointType names.
std::string endpoint_name(std::int8_t type) {
    switch (type) {
    case 0: return "UNKNOWN";
    case 1: return "BROKER";
    default: return "CONTROLLER";
    }
}

} // namespace

void handle_describe_cluster(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_cluster_request>(ctx, body);
    if (!request) return;
    describe_cluster_response response;
    response.endpoint_type = endpoint_broker;
    if (ctx.injected_error != 0) {
        response.error_code = ctx.injected_error;
        reply<describe_cluster_response>(ctx).send(response);
        return;
    }
    if (ctx.api_version >= 1 && request->endpoint_type != endpoint_broker) {
        const bool known = request->endpoint_type == 0 || request->endpoint_type == 2;
        response.error_code = static_cast<std::int16_t>(known ? kafka_errc::mismatched_endpoint_type
                                                              : kafka_errc::unsupported_endpoint_type);
        response.error_message =
            known ? "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type " +
                        endpoint_name(request->endpoint_type)
                  : "Unsupported endpoint type " + std::to_string(request->endpoint_type);
        reply<describe_cluster_response>(ctx).send(response);
        return;
    }
    auto& state = ctx.state;
    response.cluster_id = state.cluster_id();
    response.controller_id = state.controller_id();
    for (const auto& n : state.nodes()) {
        if (!n.up) continue;
        describe_cluster_response::describe_cluster_broker b;
        b.broker_id = n.id;
        b.host = n.host;
        b.port = n.port;
        b.rack = n.rack;
        response.brokers.push_back(std::move(b));
    }
    if (request->include_cluster_authorized_operations) response.cluster_authorized_operations = cluster_operations;
    reply<describe_cluster_response>(ctx).send(response);
}

} // namespace kafkit::broker
