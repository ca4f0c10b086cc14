// Topic operations: create, delete (by name or id), list, describe, create partitions.

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/create_partitions.hpp"
#include "kafkit/protocol/messages/create_topics.hpp"
#include "kafkit/protocol/messages/delete_topics.hpp"
#include "kafkit/protocol/messages/describe_topic_partitions.hpp"

#include <algorithm>

namespace kafkit {
namespace detail {
namespace {

std::string topic_context(const std::string& name) { return "topic " + name; }
std::string topic_id_context(const protocol::uuid& id) { return "topic id " + id.to_string(); }

/// Whether a topic's error in a controller's answer is worth another attempt: as in the Java
/// client, only NOT_CONTROLLER (the metadata is stale: refreshed) and, when the options say
/// so, THROTTLING_QUOTA_EXCEEDED. Everything else, retriable or not, is the topic's outcome.
bool retry_for_controller(admin_engine& engine, std::error_code ec, bool retry_on_quota_violation) {
    if (ec == kafka_errc::throttling_quota_exceeded) return retry_on_quota_violation;
    if (ec != kafka_errc::not_controller) return false;
    engine.cluster().request_metadata_update();
    return true;
}

admin::config_entry entry_of(const protocol::create_topics_response::creatable_topic_configs& c) {
    admin::config_entry e;
    e.name = c.name;
    e.value = c.value;
    e.source = static_cast<admin::config_source>(c.config_source);
    e.is_default = e.source == admin::config_source::default_config;
    e.is_sensitive = c.is_sensitive;
    e.is_read_only = c.read_only;
    return e;
}

protocol::create_topics_request::creatable_topic creatable(const admin::new_topic& t) {
    protocol::create_topics_request::creatable_topic c;
    c.name = t.name;
    const bool assigned = !t.replica_assignments.empty();
    c.num_partitions = assigned ? -1 : t.partitions.value_or(-1);
    c.replication_factor = assigned ? std::int16_t{-1} : t.replication_factor.value_or(std::int16_t{-1});
    for (const auto& [partition, brokers] : t.replica_assignments) {
        auto& a = c.assignments.emplace_back();
        a.partition_index = partition;
        a.broker_ids = brokers;
    }
    for (const auto& [name, value] : t.configs) {
        auto& e = c.configs.emplace_back();
        e.name = name;
        e.value = value;
    }
    return c;
}

} // namespace
} // namespace detail

using detail::answer_verdict;

admin::keyed_result<std::string, admin::created_topic> admin_client::create_topics(
    const std::vector<admin::new_topic>& topics, const admin::create_topics_options& options) {
    std::vector<std::string> names;
    std::map<std::string, admin::new_topic> by_name;
    for (const auto& t : topics) {
        names.push_back(t.name);
        by_name.try_emplace(t.name, t);
    }
    auto promises = std::make_shared<detail::keyed_promises<std::string, admin::created_topic>>(names);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "create_topics", [&engine, promises, by_name, options, deadline] {
        detail::keyed_call<protocol::create_topics_request, protocol::create_topics_response>(
            engine, promises, promises->pending(), detail::admin_route::controller(), deadline,
            [by_name, options](const std::vector<std::string>& open, detail::admin_engine::clock_type::time_point until) {
                protocol::create_topics_request request;
                for (const auto& name : open) request.topics.push_back(detail::creatable(by_name.at(name)));
                request.timeout_ms = detail::ms_left(until);
                request.validate_only = options.validate_only;
                return request;
            },
            [&engine, promises, options](const protocol::create_topics_response& response, std::int16_t) {
                auto verdict = answer_verdict::settled;
                for (const auto& t : response.topics) {
                    const auto ec = detail::kafka_error(t.error_code);
                    if (!ec) {
                        admin::created_topic created;
                        created.id = t.topic_id;
                        created.partitions = t.num_partitions;
                        created.replication_factor = t.replication_factor;
                        if (t.configs)
                            for (const auto& c : *t.configs) created.configs.push_back(detail::entry_of(c));
                        promises->succeed(t.name, std::move(created));
                    } else if (detail::retry_for_controller(engine, ec, options.retry_on_quota_violation)) {
                        verdict = answer_verdict::retry_open;
                    } else {
                        promises->fail(t.name, ec, detail::with_message(detail::topic_context(t.name), t.error_message));
                    }
                }
                return verdict;
            },
            detail::topic_context);
    });
}

namespace {

/// delete_topics and delete_topics_by_id: one loop, keyed by name or by id. `fill` puts the
/// open keys into the request, `fit` shapes it for the version chosen, `key_of` reads an
/// answer's key.
template <class Key, class Context, class Fill, class KeyOf, class Fit>
admin::keyed_result<Key, void> delete_topics_keyed(detail::admin_engine& engine, const std::vector<Key>& keys,
                                                   const admin::delete_topics_options& options, Context context_of,
                                                   Fill fill, KeyOf key_of, Fit fit) {
    auto promises = std::make_shared<detail::keyed_promises<Key, void>>(keys);
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "delete_topics", [&engine, promises, deadline, context_of, fill, key_of, fit] {
        detail::keyed_call<protocol::delete_topics_request, protocol::delete_topics_response>(
            engine, promises, promises->pending(), detail::admin_route::controller(), deadline,
            [fill](const std::vector<Key>& open, detail::admin_engine::clock_type::time_point until) {
                protocol::delete_topics_request request;
                fill(open, request);
                request.timeout_ms = detail::ms_left(until);
                return request;
            },
            [&engine, promises, context_of, key_of](const protocol::delete_topics_response& response, std::int16_t) {
                auto verdict = answer_verdict::settled;
                for (const auto& r : response.responses) {
                    const auto key = key_of(r);
                    const auto ec = detail::kafka_error(r.error_code);
                    if (!ec) promises->succeed(key);
                    else if (detail::retry_for_controller(engine, ec, true)) verdict = answer_verdict::retry_open;
                    else promises->fail(key, ec, detail::with_message(context_of(key), r.error_message));
                }
                return verdict;
            },
            context_of, fit);
    });
}

} // namespace

admin::keyed_result<std::string, void> admin_client::delete_topics(const std::vector<std::string>& names,
                                                                   const admin::delete_topics_options& options) {
    return delete_topics_keyed(
        *engine_, names, options, detail::topic_context,
        [](const std::vector<std::string>& open, protocol::delete_topics_request& r) { r.topic_names = open; },
        [](const protocol::delete_topics_response::deletable_topic_result& r) { return r.name.value_or(""); },
        [](protocol::delete_topics_request& r, std::int16_t version) {
            if (version < 6) return;
            for (auto& name : r.topic_names) r.topics.emplace_back().name = std::move(name); // names move at v6
            r.topic_names.clear();
        });
}

admin::keyed_result<protocol::uuid, void> admin_client::delete_topics_by_id(const std::vector<protocol::uuid>& ids,
                                                                            const admin::delete_topics_options& options) {
    // Before v6 ids cannot be written: the request fails to encode, and each id with it.
    return delete_topics_keyed(
        *engine_, ids, options, detail::topic_id_context,
        [](const std::vector<protocol::uuid>& open, protocol::delete_topics_request& r) {
            for (const auto& id : open) {
                auto& t = r.topics.emplace_back();
                t.topic_id = id;
                t.name.reset();
            }
        },
        [](const protocol::delete_topics_response::deletable_topic_result& r) { return r.topic_id; }, detail::no_fit{});
}

admin::future<std::map<std::string, admin::topic_listing>> admin_client::list_topics(
    const admin::list_topics_options& options) {
    using listing_map = std::map<std::string, admin::topic_listing>;
    auto promise = std::make_shared<std::promise<listing_map>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const bool internal = options.list_internal;
    return detail::start_single(engine, promise, "list_topics", [&engine, promise, deadline, internal] {
        engine.fetch_metadata(std::nullopt, deadline, false,
                              [promise, internal](std::error_code ec, const protocol::metadata_response& response) {
                                  if (ec) return detail::fail(*promise, ec, "list_topics");
                                  listing_map out;
                                  for (const auto& t : response.topics) {
                                      if (t.error_code != 0 || !t.name || (t.is_internal && !internal)) continue;
                                      out[*t.name] = admin::topic_listing{*t.name, t.topic_id, t.is_internal};
                                  }
                                  promise->set_value(std::move(out));
                              });
    });
}

namespace {

using description_promises = detail::keyed_promises<std::string, admin::topic_description>;

/// A partition's description from a Metadata or DescribeTopicPartitions answer (the same
/// field names; eligible leader replicas only in the latter).
template <class Partition>
admin::partition_description describe_partition(const detail::admin_engine& engine, const Partition& p) {
    admin::partition_description d;
    d.partition = p.partition_index;
    if (p.leader_id >= 0) d.leader = detail::node_from(engine, p.leader_id);
    d.leader_epoch = p.leader_epoch;
    for (auto id : p.replica_nodes) d.replicas.push_back(detail::node_from(engine, id));
    for (auto id : p.isr_nodes) d.in_sync_replicas.push_back(detail::node_from(engine, id));
    for (auto id : p.offline_replicas) d.offline_replicas.push_back(detail::node_from(engine, id));
    if constexpr (requires { p.eligible_leader_replicas; }) {
        if (p.eligible_leader_replicas)
            for (auto id : *p.eligible_leader_replicas) d.eligible_leader_replicas.push_back(detail::node_from(engine, id));
        if (p.last_known_elr)
            for (auto id : *p.last_known_elr) d.last_known_eligible_leader_replicas.push_back(detail::node_from(engine, id));
    }
    return d;
}

/// Adds one answer's topic to `d` (a paged answer brings a topic's partitions in parts).
template <class Topic>
void add_topic(const detail::admin_engine& engine, admin::topic_description& d, const Topic& t, bool authorized) {
    d.name = t.name.value_or("");
    d.id = t.topic_id;
    d.internal = t.is_internal;
    for (const auto& p : t.partitions) d.partitions.push_back(describe_partition(engine, p));
    std::sort(d.partitions.begin(), d.partitions.end(), [](const auto& a, const auto& b) { return a.partition < b.partition; });
    if (authorized) d.authorized_operations = admin::authorized_operations_from_bits(t.topic_authorized_operations);
}

/// Settles what a complete answer describes; topics it does not list do not exist.
void settle_described(const std::shared_ptr<description_promises>& promises, std::map<std::string, admin::topic_description>& built) {
    for (auto& [name, d] : built) promises->succeed(name, std::move(d));
    promises->fail_pending(make_error_code(kafka_errc::unknown_topic_or_partition), detail::topic_context);
}

void describe_with_metadata(detail::admin_engine& engine, const std::shared_ptr<description_promises>& promises,
                            detail::admin_engine::clock_type::time_point deadline, bool authorized) {
    engine.fetch_metadata(promises->pending(), deadline, authorized,
                          [&engine, promises, authorized](std::error_code ec, const protocol::metadata_response& response) {
                              if (ec) return promises->fail_pending(ec, detail::topic_context);
                              std::map<std::string, admin::topic_description> built;
                              for (const auto& t : response.topics) {
                                  const auto name = t.name.value_or("");
                                  if (const auto error = detail::kafka_error(t.error_code))
                                      promises->fail(name, error, detail::topic_context(name));
                                  else add_topic(engine, built[name], t, authorized);
                              }
                              settle_described(promises, built);
                          });
}

/// DescribeTopicPartitions (KIP-966), page after page: each answer ends with the cursor the
/// next request starts from, until the broker has listed every partition asked for.
struct paged_describe {
    std::shared_ptr<description_promises> promises;
    std::map<std::string, admin::topic_description> built;
    std::int32_t page_limit = 2000;
    bool authorized = false;
};

void describe_page(detail::admin_engine& engine, const std::shared_ptr<paged_describe>& state,
                   std::optional<protocol::describe_topic_partitions_request::cursor_struct> cursor,
                   detail::admin_engine::clock_type::time_point deadline) {
    protocol::describe_topic_partitions_request request;
    for (const auto& name : state->promises->pending()) request.topics.push_back({name, {}});
    request.response_partition_limit = state->page_limit;
    request.cursor = std::move(cursor);
    engine.retry(
        deadline,
        [&engine, state, request](const std::shared_ptr<detail::retry_loop>& loop) {
            engine.send<protocol::describe_topic_partitions_request, protocol::describe_topic_partitions_response>(
                detail::admin_route::any(), loop->deadline(), request,
                [&engine, state, loop](std::error_code ec, protocol::describe_topic_partitions_response response, std::int16_t) {
                    if (ec == errc::unsupported_version)
                        return describe_with_metadata(engine, state->promises, loop->deadline(), state->authorized);
                    if (ec && detail::admin_engine::retriable(ec)) return loop->again();
                    if (ec) return state->promises->fail_pending(ec, detail::topic_context);
                    for (const auto& t : response.topics) {
                        const auto name = t.name.value_or("");
                        if (const auto error = detail::kafka_error(t.error_code))
                            state->promises->fail(name, error, detail::topic_context(name));
                        else add_topic(engine, state->built[name], t, state->authorized);
                    }
                    if (!response.next_cursor) return settle_described(state->promises, state->built);
                    describe_page(engine, state,
                                  protocol::describe_topic_partitions_request::cursor_struct{
                                      response.next_cursor->topic_name, response.next_cursor->partition_index, {}},
                                  loop->deadline());
                });
        },
        [state](std::error_code why) { state->promises->fail_pending(why, detail::topic_context); });
}

} // namespace

admin::keyed_result<std::string, admin::topic_description> admin_client::describe_topics(
    const std::vector<std::string>& names, const admin::describe_topics_options& options) {
    auto promises = std::make_shared<description_promises>(names);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    auto state = std::make_shared<paged_describe>();
    state->promises = promises;
    state->page_limit = options.partition_size_limit_per_response;
    state->authorized = options.include_authorized_operations;
    return detail::start_keyed(engine, promises, "describe_topics", [&engine, state, deadline] {
        if (state->promises->pending().empty()) return;
        describe_page(engine, state, std::nullopt, deadline);
    });
}

admin::keyed_result<std::string, void> admin_client::create_partitions(
    const std::map<std::string, admin::new_partitions>& topics, const admin::create_partitions_options& options) {
    std::vector<std::string> names;
    for (const auto& [name, p] : topics) names.push_back(name);
    auto promises = std::make_shared<detail::keyed_promises<std::string, void>>(names);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "create_partitions", [&engine, promises, topics, options, deadline] {
        detail::keyed_call<protocol::create_partitions_request, protocol::create_partitions_response>(
            engine, promises, promises->pending(), detail::admin_route::controller(), deadline,
            [topics, options](const std::vector<std::string>& open, detail::admin_engine::clock_type::time_point until) {
                protocol::create_partitions_request request;
                for (const auto& name : open) {
                    const auto& wanted = topics.at(name);
                    auto& t = request.topics.emplace_back();
                    t.name = name;
                    t.count = wanted.total_count;
                    if (wanted.assignments.empty()) {
                        t.assignments.reset();
                    } else {
                        for (const auto& brokers : wanted.assignments) t.assignments->emplace_back().broker_ids = brokers;
                    }
                }
                request.timeout_ms = detail::ms_left(until);
                request.validate_only = options.validate_only;
                return request;
            },
            [&engine, promises, options](const protocol::create_partitions_response& response, std::int16_t) {
                auto verdict = answer_verdict::settled;
                for (const auto& r : response.results) {
                    const auto ec = detail::kafka_error(r.error_code);
                    if (!ec) promises->succeed(r.name);
                    else if (detail::retry_for_controller(engine, ec, options.retry_on_quota_violation))
                        verdict = answer_verdict::retry_open;
                    else promises->fail(r.name, ec, detail::with_message(detail::topic_context(r.name), r.error_message));
                }
                return verdict;
            },
            detail::topic_context);
    });
}

} // namespace kafkit
