// Consumer group operations. Each group's requests go to its coordinator (FindCoordinator,
// batched); listing asks every broker. A coordinator that moved (NOT_COORDINATOR) or is not
// ready (COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS) is looked up again and
// the group retried, as the Java client does.

#include "admin/admin_group_support.hpp"
#include "group/consumer_protocol.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/consumer_group_describe.hpp"
#include "kafkit/protocol/messages/delete_groups.hpp"
#include "kafkit/protocol/messages/describe_groups.hpp"
#include "kafkit/protocol/messages/list_groups.hpp"

#include <algorithm>

namespace kafkit {

using detail::admin_engine;
using detail::placement;

admin::future<admin::consumer_group_listings> admin_client::list_consumer_groups(
    const admin::list_consumer_groups_options& options) {
    auto promise = std::make_shared<std::promise<admin::consumer_group_listings>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "list_consumer_groups", [&engine, promise, options, deadline] {
        // A filter the broker's version lacks fails to encode: that broker's error, rather
        // than an unfiltered answer.
        protocol::list_groups_request request;
        request.states_filter.assign(options.states.begin(), options.states.end());
        request.types_filter.assign(options.types.begin(), options.types.end());
        using gathered = std::vector<admin::consumer_group_listing>;
        detail::ask_every_broker<protocol::list_groups_request, protocol::list_groups_response, gathered>(
            engine, request, deadline,
            [](detail::broker_gather<gathered>& g, const protocol::list_groups_response& r, std::int16_t version) {
                for (const auto& listed : r.groups) {
                    admin::consumer_group_listing l;
                    l.group_id = listed.group_id;
                    l.is_simple = listed.protocol_type.empty();
                    if (version >= 4) l.state = listed.group_state;
                    if (version >= 5) l.type = listed.group_type;
                    g.out.push_back(std::move(l));
                }
            },
            [promise](detail::broker_gather<gathered>& g) {
                admin::consumer_group_listings out;
                out.groups = std::move(g.out);
                out.errors = std::move(g.errors);
                std::sort(out.groups.begin(), out.groups.end(), [](const auto& a, const auto& b) { return a.group_id < b.group_id; });
                out.groups.erase(std::unique(out.groups.begin(), out.groups.end(),
                                             [](const auto& a, const auto& b) { return a.group_id == b.group_id; }),
                                 out.groups.end());
                promise->set_value(std::move(out));
            },
            [promise](std::error_code ec) { detail::fail(*promise, ec, "list_consumer_groups"); });
    });
}

namespace {

using descriptions = detail::keyed_promises<std::string, admin::consumer_group_description>;

/// DescribeGroups for the groups still open in `promises` (classic groups, or every group
/// where the broker has no ConsumerGroupDescribe).
void describe_classic(detail::admin_engine& engine, const std::shared_ptr<descriptions>& promises,
                      detail::admin_engine::clock_type::time_point deadline, bool authorized) {
    detail::routed_call<protocol::describe_groups_request, protocol::describe_groups_response>(
            engine, promises, deadline, detail::coordinator_lookup(engine, promises, detail::identity),
            [authorized](std::int32_t, const std::vector<std::string>& groups, admin_engine::clock_type::time_point) {
                protocol::describe_groups_request request;
                request.groups = groups;
                request.include_authorized_operations = authorized;
                return request;
            },
            [&engine, promises, authorized](const protocol::describe_groups_response& response, std::int16_t,
                                            const std::vector<std::string>&, std::int32_t coordinator) {
                for (const auto& g : response.groups) {
                    const auto ec = detail::kafka_error(g.error_code);
                    if (ec && detail::coordinator_moved(engine, g.group_id, ec)) continue;
                    if (ec) {
                        promises->fail(g.group_id, ec, detail::group_context(g.group_id));
                        continue;
                    }
                    admin::consumer_group_description d;
                    d.group_id = g.group_id;
                    d.is_simple = g.protocol_type.empty();
                    d.state = g.group_state;
                    d.type = "classic";
                    d.partition_assignor = g.protocol_data;
                    for (const auto& m : g.members) {
                        admin::member_description md;
                        md.member_id = m.member_id;
                        md.group_instance_id = m.group_instance_id;
                        md.client_id = m.client_id;
                        md.host = m.client_host;
                        if (g.protocol_type == "consumer" && !m.member_assignment.empty()) {
                            if (auto a = detail::decode_assignment(m.member_assignment)) {
                                md.assignment = std::move(a->partitions);
                                std::sort(md.assignment.begin(), md.assignment.end());
                            }
                        }
                        d.members.push_back(std::move(md));
                    }
                    if (authorized) d.authorized_operations = admin::authorized_operations_from_bits(g.authorized_operations);
                    d.coordinator = detail::node_from(engine, coordinator);
                    promises->succeed(g.group_id, std::move(d));
                }
            },
            detail::group_context,
            [](protocol::describe_groups_request& r, std::int16_t version) {
                if (version < 3) r.include_authorized_operations = false;
            });
}

/// ConsumerGroupDescribe (KIP-848) first, as the Java client does; a group it does not know
/// as a consumer group (GROUP_ID_NOT_FOUND), or a broker without the API, goes to
/// DescribeGroups.
void describe_groups(detail::admin_engine& engine, const std::shared_ptr<descriptions>& promises,
                     detail::admin_engine::clock_type::time_point deadline, bool authorized) {
    auto modern = std::make_shared<descriptions>(promises->pending());
    auto modern_result = modern->result();
    modern->on_all([&engine, promises, modern_result, deadline, authorized] {
        for (const auto& [id, future] : modern_result.values()) {
            try {
                promises->succeed(id, future.get());
            } catch (const exception& e) {
                if (e.code() != kafka_errc::group_id_not_found && e.code() != errc::unsupported_version)
                    promises->fail(id, e.code(), detail::group_context(id));
            }
        }
        describe_classic(engine, promises, deadline, authorized);
    });
    detail::routed_call<protocol::consumer_group_describe_request, protocol::consumer_group_describe_response>(
        engine, modern, deadline, detail::coordinator_lookup(engine, modern, detail::identity),
        [authorized](std::int32_t, const std::vector<std::string>& groups, admin_engine::clock_type::time_point) {
            protocol::consumer_group_describe_request request;
            request.group_ids = groups;
            request.include_authorized_operations = authorized;
            return request;
        },
        [&engine, modern, authorized](const protocol::consumer_group_describe_response& response, std::int16_t,
                                      const std::vector<std::string>&, std::int32_t coordinator) {
            for (const auto& g : response.groups) {
                const auto ec = detail::kafka_error(g.error_code);
                if (ec && detail::coordinator_moved(engine, g.group_id, ec)) continue;
                if (ec) {
                    modern->fail(g.group_id, ec, detail::with_message(detail::group_context(g.group_id), g.error_message));
                    continue;
                }
                admin::consumer_group_description d;
                d.group_id = g.group_id;
                d.state = g.group_state;
                d.type = "consumer";
                d.partition_assignor = g.assignor_name;
                for (const auto& m : g.members) {
                    admin::member_description md;
                    md.member_id = m.member_id;
                    md.group_instance_id = m.instance_id;
                    md.client_id = m.client_id;
                    md.host = m.client_host;
                    for (const auto& t : m.assignment.topic_partitions)
                        for (auto p : t.partitions) md.assignment.push_back({t.topic_name, partition_id(p)});
                    std::sort(md.assignment.begin(), md.assignment.end());
                    d.members.push_back(std::move(md));
                }
                if (authorized) d.authorized_operations = admin::authorized_operations_from_bits(g.authorized_operations);
                d.coordinator = detail::node_from(engine, coordinator);
                modern->succeed(g.group_id, std::move(d));
            }
        },
        detail::group_context);
}

} // namespace

admin::keyed_result<std::string, admin::consumer_group_description> admin_client::describe_consumer_groups(
    const std::vector<std::string>& group_ids, const admin::describe_consumer_groups_options& options) {
    auto promises = std::make_shared<descriptions>(group_ids);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const bool authorized = options.include_authorized_operations;
    return detail::start_keyed(engine, promises, "describe_consumer_groups", [&engine, promises, deadline, authorized] {
        describe_groups(engine, promises, deadline, authorized);
    });
}

admin::keyed_result<std::string, void> admin_client::delete_consumer_groups(const std::vector<std::string>& group_ids,
                                                                            const admin::call_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<std::string, void>>(group_ids);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "delete_consumer_groups", [&engine, promises, deadline] {
        detail::routed_call<protocol::delete_groups_request, protocol::delete_groups_response>(
            engine, promises, deadline, detail::coordinator_lookup(engine, promises, detail::identity),
            [](std::int32_t, const std::vector<std::string>& groups, admin_engine::clock_type::time_point) {
                protocol::delete_groups_request request;
                request.groups_names = groups;
                return request;
            },
            [&engine, promises](const protocol::delete_groups_response& response, std::int16_t, const std::vector<std::string>&) {
                for (const auto& r : response.results) {
                    const auto ec = detail::kafka_error(r.error_code);
                    if (!ec) promises->succeed(r.group_id);
                    else if (!detail::coordinator_moved(engine, r.group_id, ec))
                        promises->fail(r.group_id, ec, detail::group_context(r.group_id));
                }
            },
            detail::group_context);
    });
}

admin::future<std::vector<std::string>> admin_client::remove_all_members_from_consumer_group(
    const std::string& group_id, const admin::remove_members_options& options) {
    auto promise = std::make_shared<std::promise<std::vector<std::string>>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "remove_all_members_from_consumer_group",
                                [&engine, promise, group_id, reason = options.reason, deadline] {
        // The members come from the group's description, then leave in one LeaveGroup.
        auto described = std::make_shared<descriptions>(std::vector<std::string>{group_id});
        auto described_result = described->result();
        described->on_all([&engine, promise, group_id, reason, deadline, described_result] {
            admin::consumer_group_description d;
            try {
                d = described_result.value(group_id).get();
            } catch (...) {
                return promise->set_exception(std::current_exception());
            }
            std::map<std::string, detail::leaving_member> members;
            std::vector<std::string> ids;
            for (const auto& m : d.members) {
                members[m.member_id] = detail::leaving_member{m.member_id, m.group_instance_id};
                ids.push_back(m.member_id);
            }
            auto leaving = std::make_shared<detail::keyed_promises<std::string, void>>(ids);
            auto leaving_result = leaving->result();
            leaving->on_all([promise, leaving_result, ids] {
                try {
                    leaving_result.all().get();
                    promise->set_value(ids);
                } catch (...) {
                    promise->set_exception(std::current_exception());
                }
            });
            detail::start_leave_group(engine, leaving, group_id, std::move(members), reason, deadline);
        });
        describe_groups(engine, described, deadline, false);
    });
}

} // namespace kafkit
