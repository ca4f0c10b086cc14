// UpdateFeatures (57, v0-2, KIP-584/KIP-778): sets finalized feature levels, all of the
// request or none, as the KRaft controller applies them. A feature this broker does not
// support, a level outside its range, or a downgrade without a downgrade type is
// INVALID_UPDATE_VERSION; metadata.version is never downgraded. v0's AllowDowngrade reads as
// a safe downgrade. ValidateOnly (v1+) checks without changing. The first failure is the
// top-level error; v0-1 also report it for every feature (v2 has no per-feature results).

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/update_features.hpp"
#include "state/broker_state.hpp"

#include <map>
#include <optional>
#include <string>

namespace kafkit::broker {
namespace {

using protocol::update_features_request;
using protocol::update_features_response;

feature_upgrade upgrade_of(const update_features_request::feature_update_key& u, std::int16_t version) {
    if (version == 0) return u.allow_downgrade ? feature_upgrade::safe_downgrade : feature_upgrade::upgrade;
    return static_cast<feature_upgrade>(u.upgrade_type);
}

/// The request's error and its message, or none: the first problem found.
struct update_failure {
    kafka_errc error = kafka_errc::none;
    std::optional<std::string> message;
};

update_failure check_all(const update_features_request& request, std::int16_t version, const feature_levels& features,
                         std::map<std::string, std::int16_t>& levels) {
    for (const auto& u : request.feature_updates) {
        if (!levels.emplace(u.feature, u.max_version_level).second)
            return {kafka_errc::invalid_request, "Feature " + u.feature + " was specified more than once."};
        const auto how = upgrade_of(u, version);
        if (how != feature_upgrade::upgrade && how != feature_upgrade::safe_downgrade &&
            how != feature_upgrade::unsafe_downgrade)
            return {kafka_errc::invalid_request,
                    "Unknown upgrade type " + std::to_string(u.upgrade_type) + " for feature " + u.feature + "."};
        if (auto why = features.check(u.feature, u.max_version_level, how))
            return {kafka_errc::invalid_update_version, std::move(why)};
    }
    return {};
}

} // namespace

void handle_update_features(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<update_features_request>(ctx, body);
    if (!request) return;
    auto& features = ctx.state.features();
    std::map<std::string, std::int16_t> levels;
    update_failure failure;
    if (ctx.injected_error != 0) failure.error = static_cast<kafka_errc>(ctx.injected_error);
    else failure = check_all(*request, ctx.api_version, features, levels);

    if (failure.error == kafka_errc::none && !(ctx.api_version >= 1 && request->validate_only)) {
        features.apply(levels);
        ctx.state.save_metadata();
    }
    update_features_response response;
    response.error_code = static_cast<std::int16_t>(failure.error);
    response.error_message = failure.message;
    if (ctx.api_version <= 1) {
        for (const auto& u : request->feature_updates) {
            auto& r = response.results.emplace_back();
            r.feature = u.feature;
            r.error_code = response.error_code;
            r.error_message = failure.message;
        }
    }
    reply<update_features_response>(ctx).send(response);
}

} // namespace kafkit::broker
