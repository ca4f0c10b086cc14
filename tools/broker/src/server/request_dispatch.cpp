#include "server/request_dispatch.hpp"

#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/api_table.hpp"
#include "server/api_registry.hpp"
#include "state/broker_state.hpp"
#include "state/fault_injector.hpp"

namespace kafkit::broker {

dispatch_result dispatch_request(broker_state& state, const broker_node& node,
                                 std::shared_ptr<const std::vector<std::uint8_t>> frame,
                                 std::shared_ptr<response_sink> sink, const request_origin& origin) {
    dispatch_result result;
    auto parts = protocol::read_request_frame(protocol::bytes_view(frame->data(), frame->size()));
    if (!parts) {
        result.refused = "unreadable request header: " + parts.error().message();
        return result;
    }
    result.api_key = parts->api_key;
    result.api_version = parts->api_version;
    if (parts->client_id) result.client_id = std::string(*parts->client_id);
    const served_api* api = find_served_api(parts->api_key);
    const auto* info = protocol::find_api(parts->api_key);
    const std::string name = info ? std::string(info->name) : std::to_string(parts->api_key);
    if (!api) {
        result.refused = "API " + name + " (key " + std::to_string(parts->api_key) + ") is not served";
        return result;
    }
    // ApiVersions answers versions it does not know itself (v0 fallback, KIP-511); for any
    // other API Kafka closes the connection on a version it does not serve.
    const bool version_ok = parts->api_version >= api->min_version && parts->api_version <= api->max_version;
    if (!version_ok && parts->api_key != 18) {
        result.refused = name + " v" + std::to_string(parts->api_version) + " is not supported (" +
                         std::to_string(api->min_version) + " to " + std::to_string(api->max_version) + ")";
        return result;
    }
    const auto outcome = state.faults().take(node.id, parts->api_key);
    result.delay = outcome.delay;
    request_context ctx(state, node);
    ctx.api_key = parts->api_key;
    ctx.api_version = parts->api_version;
    ctx.correlation_id = parts->correlation_id;
    ctx.client_id = result.client_id ? *result.client_id : origin.client_id;
    ctx.client_host = "/" + origin.peer;
    ctx.connection_id = origin.connection_id;
    ctx.injected_error = outcome.error_code;
    ctx.frame = std::move(frame);
    ctx.sink = std::move(sink);
    api->handler(ctx, parts->body);
    return result;
}

} // namespace kafkit::broker
