// Features (ApiVersions v3+ for describing, UpdateFeatures to the controller), the KRaft
// quorum (DescribeQuorum), broker unregistration, and the client metrics resources.

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/messages/describe_quorum.hpp"
#include "kafkit/protocol/messages/list_client_metrics_resources.hpp"
#include "kafkit/protocol/messages/unregister_broker.hpp"
#include "kafkit/protocol/messages/update_features.hpp"

#include <algorithm>

namespace kafkit {
namespace detail {
namespace {

std::string feature_context(const std::string& name) { return "feature " + name; }

admin::quorum_replica_state replica_of(const protocol::describe_quorum_response::replica_state& r) {
    admin::quorum_replica_state out;
    out.replica_id = r.replica_id;
    out.log_end_offset = r.log_end_offset;
    if (r.last_fetch_timestamp >= 0) out.last_fetch_timestamp_ms = r.last_fetch_timestamp;
    if (r.last_caught_up_timestamp >= 0) out.last_caught_up_timestamp_ms = r.last_caught_up_timestamp;
    return out;
}

} // namespace
} // namespace detail

admin::future<admin::feature_metadata> admin_client::describe_features(const admin::call_options& options) {
    auto promise = std::make_shared<std::promise<admin::feature_metadata>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "describe_features", [&engine, promise, deadline] {
        protocol::api_versions_request request;
        request.client_software_name = "kafkit";
        request.client_software_version = "0.1.0";
        detail::single_call<protocol::api_versions_request, protocol::api_versions_response>(
            engine, request, deadline,
            [promise](std::error_code ec, const protocol::api_versions_response& response) {
                if (ec) return detail::fail(*promise, ec, "describe_features");
                admin::feature_metadata out;
                for (const auto& f : response.finalized_features)
                    out.finalized[f.name] = {f.min_version_level, f.max_version_level};
                for (const auto& f : response.supported_features) out.supported[f.name] = {f.min_version, f.max_version};
                if (response.finalized_features_epoch >= 0) out.finalized_epoch = response.finalized_features_epoch;
                promise->set_value(std::move(out));
            },
            [](protocol::api_versions_request& r, std::int16_t version) {
                if (version >= 3) return;
                r.client_software_name.clear();
                r.client_software_version.clear();
            });
    });
}

admin::keyed_result<std::string, void> admin_client::update_features(const std::map<std::string, admin::feature_update>& updates,
                                                                     const admin::update_features_options& options) {
    std::vector<std::string> names;
    for (const auto& [name, u] : updates) names.push_back(name);
    auto promises = std::make_shared<detail::keyed_promises<std::string, void>>(names);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const bool validate_only = options.validate_only;
    return detail::start_keyed(engine, promises, "update_features", [&engine, promises, updates, validate_only, deadline] {
        detail::keyed_call<protocol::update_features_request, protocol::update_features_response>(
            engine, promises, promises->pending(), detail::admin_route::controller(), deadline,
            [updates, validate_only](const std::vector<std::string>& open, detail::admin_engine::clock_type::time_point until) {
                protocol::update_features_request request;
                request.timeout_ms = detail::ms_left(until);
                request.validate_only = validate_only;
                for (const auto& name : open) {
                    const auto& u = updates.at(name);
                    auto& f = request.feature_updates.emplace_back();
                    f.feature = name;
                    f.max_version_level = u.max_version_level;
                    f.upgrade_type = static_cast<std::int8_t>(u.upgrade_type);
                    f.allow_downgrade = u.upgrade_type != admin::feature_update::kind::upgrade;
                }
                return request;
            },
            [&engine, promises](const protocol::update_features_response& response, std::int16_t version) {
                if (const auto ec = detail::kafka_error(response.error_code)) {
                    if (ec == kafka_errc::not_controller) {
                        engine.cluster().request_metadata_update();
                        return detail::answer_verdict::retry_open;
                    }
                    promises->fail_pending(ec, [&](const std::string& name) {
                        return detail::with_message(detail::feature_context(name), response.error_message);
                    });
                    return detail::answer_verdict::settled;
                }
                if (version >= 2) { // no per-feature results: the top-level error covers them all
                    for (const auto& name : promises->pending()) promises->succeed(name);
                    return detail::answer_verdict::settled;
                }
                for (const auto& r : response.results) {
                    if (const auto ec = detail::kafka_error(r.error_code))
                        promises->fail(r.feature, ec, detail::with_message(detail::feature_context(r.feature), r.error_message));
                    else promises->succeed(r.feature);
                }
                return detail::answer_verdict::settled;
            },
            detail::feature_context,
            [](protocol::update_features_request& r, std::int16_t version) {
                for (auto& f : r.feature_updates) {
                    if (version >= 1) f.allow_downgrade = false; // v1 replaced it with upgrade_type
                    else f.upgrade_type = 1;
                }
                if (version < 1) r.validate_only = false;
            });
    });
}

admin::future<admin::quorum_info> admin_client::describe_metadata_quorum(const admin::call_options& options) {
    auto promise = std::make_shared<std::promise<admin::quorum_info>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "describe_metadata_quorum", [&engine, promise, deadline] {
        protocol::describe_quorum_request request;
        auto& t = request.topics.emplace_back();
        t.topic_name = "__cluster_metadata";
        t.partitions.emplace_back().partition_index = 0;
        detail::single_call<protocol::describe_quorum_request, protocol::describe_quorum_response>(
            engine, request, deadline, [promise](std::error_code ec, const protocol::describe_quorum_response& response) {
                if (ec) return detail::fail(*promise, ec, detail::with_message("describe_metadata_quorum", response.error_message));
                if (response.topics.empty() || response.topics[0].partitions.empty())
                    return detail::fail(*promise, make_error_code(kafka_errc::unknown_server_error), "describe_metadata_quorum");
                const auto& p = response.topics[0].partitions[0];
                if (const auto partition_error = detail::kafka_error(p.error_code))
                    return detail::fail(*promise, partition_error, detail::with_message("describe_metadata_quorum", p.error_message));
                admin::quorum_info out;
                out.leader_id = p.leader_id;
                out.leader_epoch = p.leader_epoch;
                out.high_watermark = p.high_watermark;
                for (const auto& v : p.current_voters) out.voters.push_back(detail::replica_of(v));
                for (const auto& o : p.observers) out.observers.push_back(detail::replica_of(o));
                promise->set_value(std::move(out));
            });
    });
}

admin::future<void> admin_client::unregister_broker(std::int32_t broker_id, const admin::call_options& options) {
    auto promise = std::make_shared<std::promise<void>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "unregister_broker", [&engine, promise, broker_id, deadline] {
        protocol::unregister_broker_request request;
        request.broker_id = broker_id;
        detail::single_call<protocol::unregister_broker_request, protocol::unregister_broker_response>(
            engine, request, deadline, [promise, broker_id](std::error_code ec, const protocol::unregister_broker_response& response) {
                if (ec)
                    return detail::fail(*promise, ec,
                                        detail::with_message("unregister broker " + std::to_string(broker_id), response.error_message));
                promise->set_value();
            });
    });
}

admin::future<std::vector<std::string>> admin_client::list_client_metrics_resources(const admin::call_options& options) {
    auto promise = std::make_shared<std::promise<std::vector<std::string>>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "list_client_metrics_resources", [&engine, promise, deadline] {
        detail::single_call<protocol::list_client_metrics_resources_request, protocol::list_client_metrics_resources_response>(
            engine, protocol::list_client_metrics_resources_request{}, deadline,
            [promise](std::error_code ec, const protocol::list_client_metrics_resources_response& response) {
                if (ec) return detail::fail(*promise, ec, "list_client_metrics_resources");
                std::vector<std::string> out;
                for (const auto& r : response.client_metrics_resources) out.push_back(r.name);
                std::sort(out.begin(), out.end());
                promise->set_value(std::move(out));
            });
    });
}

} // namespace kafkit
