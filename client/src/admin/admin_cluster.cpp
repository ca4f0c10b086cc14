// describe_cluster: DescribeCluster where the broker has it (KIP-700), Metadata otherwise.

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/describe_cluster.hpp"

#include <limits>

namespace kafkit {
namespace admin {

std::optional<std::set<acl_operation>> authorized_operations_from_bits(std::int32_t bits) {
    if (bits == std::numeric_limits<std::int32_t>::min()) return std::nullopt;
    std::set<acl_operation> out;
    for (int op = 0; op < 32; ++op)
        if ((static_cast<std::uint32_t>(bits) >> op) & 1U) out.insert(static_cast<acl_operation>(op));
    return out;
}

} // namespace admin

namespace detail {

admin::node node_from(const admin_engine& engine, std::int32_t id) {
    admin::node n;
    n.id = node_id(id);
    if (const auto* b = engine.metadata().broker(id)) {
        n.host = b->host;
        n.port = b->port;
        n.rack = b->rack;
    }
    return n;
}

namespace {

using description_promise = std::promise<admin::cluster_description>;

/// A description from a DescribeCluster or Metadata answer (`id_of` reads a broker's id).
template <class Brokers, class IdOf>
admin::cluster_description describe(std::string cluster_id, std::int32_t controller, const Brokers& brokers,
                                    IdOf id_of, std::optional<std::int32_t> authorized_bits) {
    admin::cluster_description d;
    d.cluster_id = std::move(cluster_id);
    for (const auto& b : brokers) {
        auto& n = d.nodes.emplace_back();
        n.id = node_id(id_of(b));
        n.host = b.host;
        n.port = b.port;
        n.rack = b.rack;
        if (id_of(b) == controller) d.controller = n;
    }
    if (authorized_bits) d.authorized_operations = admin::authorized_operations_from_bits(*authorized_bits);
    return d;
}

void describe_from_metadata(admin_engine& engine, const std::shared_ptr<description_promise>& promise,
                            admin_engine::clock_type::time_point deadline, bool authorized) {
    engine.fetch_metadata(std::vector<std::string>{}, deadline, false,
                          [promise, authorized](std::error_code ec, const protocol::metadata_response& response) {
                              if (ec) return fail(*promise, ec, "describe_cluster");
                              promise->set_value(describe(
                                  response.cluster_id.value_or(""), response.controller_id, response.brokers,
                                  [](const auto& b) { return b.node_id; },
                                  authorized ? std::optional(response.cluster_authorized_operations) : std::nullopt));
                          });
}

} // namespace
} // namespace detail

admin::future<admin::cluster_description> admin_client::describe_cluster(const admin::describe_cluster_options& options) {
    auto promise = std::make_shared<detail::description_promise>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const bool authorized = options.include_authorized_operations;
    return detail::start_single(engine, promise, "describe_cluster", [&engine, promise, deadline, authorized] {
        protocol::describe_cluster_request request;
        request.include_cluster_authorized_operations = authorized;
        engine.retry(
            deadline,
            [&engine, promise, request, authorized](const std::shared_ptr<detail::retry_loop>& loop) {
                engine.send<protocol::describe_cluster_request, protocol::describe_cluster_response>(
                    detail::admin_route::any(), loop->deadline(), request,
                    [&engine, promise, loop, authorized](std::error_code ec, protocol::describe_cluster_response response,
                                                         std::int16_t) {
                        if (ec == errc::unsupported_version)
                            return detail::describe_from_metadata(engine, promise, loop->deadline(), authorized);
                        if (!ec) ec = detail::kafka_error(response.error_code);
                        if (ec && detail::admin_engine::retriable(ec)) return loop->again();
                        if (ec) return detail::fail(*promise, ec, detail::with_message("describe_cluster", response.error_message));
                        promise->set_value(detail::describe(
                            response.cluster_id, response.controller_id, response.brokers,
                            [](const auto& b) { return b.broker_id; },
                            authorized ? std::optional(response.cluster_authorized_operations) : std::nullopt));
                    });
            },
            [promise](std::error_code why) { detail::fail(*promise, why, "describe_cluster"); });
    });
}

} // namespace kafkit
