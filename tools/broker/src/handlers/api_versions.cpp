// ApiVersions (key 18): the APIs and versions the broker serves. A version the broker
// does not know is answered in v0 with UNSUPPORTED_VERSION and the list, so the client can
// pick a version both sides have (KIP-511). v3+ also lists the supported features and the
// finalized levels (KIP-584); before v4, features whose minimum level is 0 are left out,
// as Kafka leaves them out (KAFKA-17011: older clients refuse a minimum of 0).

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "server/api_registry.hpp"
#include "state/broker_state.hpp"

#include <string_view>

namespace kafkit::broker {
namespace {

using protocol::api_versions_request;
using protocol::api_versions_response;

/// KIP-511's rule for client software names and versions: [a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?
bool valid_software_field(std::string_view s) {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    if (s.empty() || !alnum(s.front()) || !alnum(s.back())) return false;
    for (char c : s)
        if (!alnum(c) && c != '-' && c != '.') return false;
    return true;
}

api_versions_response served_list() {
    api_versions_response response;
    for (const auto& api : served_apis()) response.api_keys.push_back({api.key, api.min_version, api.max_version, {}});
    return response;
}

void add_features(api_versions_response& response, feature_levels& features, std::int16_t version) {
    for (const auto& f : feature_levels::supported()) {
        if (version < 4 && f.min_level == 0) continue;
        response.supported_features.push_back({std::string(f.name), f.min_level, f.max_level, {}});
    }
    response.finalized_features_epoch = features.epoch();
    for (const auto& [name, level] : features.finalized()) {
        const auto* f = feature_levels::find_supported(name);
        if (version < 4 && f && f->min_level == 0) continue;
        auto& out = response.finalized_features.emplace_back();
        out.name = name;
        out.max_version_level = level;
        out.min_version_level = level;
    }
}

} // namespace

void handle_api_versions(request_context& ctx, protocol::bytes_view body) {
    if (ctx.api_version > api_versions_request::max_version || ctx.api_version < 0) {
        request_context v0 = ctx;
        v0.api_version = 0;
        auto response = served_list();
        response.error_code = static_cast<std::int16_t>(kafka_errc::unsupported_version);
        reply<api_versions_response>(v0).send(response);
        return;
    }
    auto request = decode_request<api_versions_request>(ctx, body);
    if (!request) return;
    auto response = served_list();
    if (ctx.api_version >= 3) add_features(response, ctx.state.features(), ctx.api_version);
    if (ctx.api_version >= 3 &&
        (!valid_software_field(request->client_software_name) || !valid_software_field(request->client_software_version)))
        response.error_code = static_cast<std::int16_t>(kafka_errc::invalid_request);
    if (ctx.injected_error != 0) response.error_code = ctx.injected_error;
    reply<api_versions_response>(ctx).send(response);
}

} // namespace kafkit::broker
