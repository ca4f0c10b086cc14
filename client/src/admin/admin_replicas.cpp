// Log directories (DescribeLogDirs, AlterReplicaLogDirs, to the broker concerned), leader
// elections, partition reassignments (to the controller).

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/alter_partition_reassignments.hpp"
#include "kafkit/protocol/messages/alter_replica_log_dirs.hpp"
#include "kafkit/protocol/messages/describe_log_dirs.hpp"
#include "kafkit/protocol/messages/elect_leaders.hpp"
#include "kafkit/protocol/messages/list_partition_reassignments.hpp"

#include <set>

namespace kafkit {
namespace detail {
namespace {

using admin::topic_partition_replica;

std::string broker_context(std::int32_t broker) { return "broker " + std::to_string(broker); }
std::string replica_context(const topic_partition_replica& r) {
    return "replica of " + r.topic + "-" + std::to_string(r.partition) + " on broker " + std::to_string(r.broker);
}
std::string partition_context(const topic_partition& tp) { return "partition " + name_of(tp); }

/// Replicas grouped by broker.
std::map<std::int32_t, std::vector<topic_partition_replica>> by_broker(const std::vector<topic_partition_replica>& replicas) {
    std::map<std::int32_t, std::vector<topic_partition_replica>> out;
    for (const auto& r : replicas) out[r.broker].push_back(r);
    return out;
}

/// Topic name to partition indexes, for requests that list partitions per topic.
template <class Partitions>
std::map<std::string, std::vector<std::int32_t>> indexes_by_topic(const Partitions& partitions) {
    std::map<std::string, std::vector<std::int32_t>> out;
    for (const auto& p : partitions) {
        if constexpr (std::is_same_v<std::decay_t<decltype(p)>, topic_partition>) out[p.topic].push_back(p.partition.value());
        else out[p.topic].push_back(p.partition);
    }
    return out;
}

/// Sends `request` to the controller until answered; `done(error, answer)`. A NOT_CONTROLLER
/// answer refreshes the metadata and goes again.
template <class Request, class Response, class Done>
void controller_call(admin_engine& engine, Request request, admin_engine::clock_type::time_point deadline, Done done) {
    engine.retry(
        deadline,
        [&engine, request, done](const std::shared_ptr<retry_loop>& loop) {
            engine.send<Request, Response>(admin_route::controller(), loop->deadline(), request,
                                           [&engine, loop, done](std::error_code ec, Response response, std::int16_t version) {
                                               if (!ec) ec = kafka_error(response.error_code);
                                               if (ec == kafka_errc::not_controller) engine.cluster().request_metadata_update();
                                               if (ec && admin_engine::retriable(ec)) return loop->again();
                                               done(ec, response, version);
                                           });
        },
        [done](std::error_code why) { done(why, Response{}, std::int16_t{0}); });
}

} // namespace
} // namespace detail

admin::keyed_result<std::int32_t, std::map<std::string, admin::log_dir_description>> admin_client::describe_log_dirs(
    const std::vector<std::int32_t>& brokers, const admin::call_options& options) {
    using dirs = std::map<std::string, admin::log_dir_description>;
    auto promises = std::make_shared<detail::keyed_promises<std::int32_t, dirs>>(brokers);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "describe_log_dirs", [&engine, promises, deadline] {
        for (const auto broker : promises->pending()) {
            detail::keyed_call<protocol::describe_log_dirs_request, protocol::describe_log_dirs_response>(
                engine, promises, {broker}, detail::admin_route::to(broker), deadline,
                [](const std::vector<std::int32_t>&, detail::admin_engine::clock_type::time_point) {
                    protocol::describe_log_dirs_request request;
                    request.topics.reset(); // every partition
                    return request;
                },
                [promises, broker](const protocol::describe_log_dirs_response& response, std::int16_t version) {
                    if (const auto ec = detail::kafka_error(response.error_code)) {
                        promises->fail(broker, ec, detail::broker_context(broker));
                        return detail::answer_verdict::settled;
                    }
                    dirs out;
                    for (const auto& r : response.results) {
                        auto& d = out[r.log_dir];
                        d.error = detail::kafka_error(r.error_code);
                        for (const auto& t : r.topics)
                            for (const auto& p : t.partitions)
                                d.replicas[{t.name, partition_id(p.partition_index)}] =
                                    admin::replica_info{p.partition_size, p.offset_lag, p.is_future_key};
                        if (version >= 4) {
                            d.total_bytes = r.total_bytes;
                            d.usable_bytes = r.usable_bytes;
                        }
                    }
                    promises->succeed(broker, std::move(out));
                    return detail::answer_verdict::settled;
                },
                detail::broker_context);
        }
    });
}

admin::keyed_result<admin::topic_partition_replica, admin::replica_log_dir_info> admin_client::describe_replica_log_dirs(
    const std::vector<admin::topic_partition_replica>& replicas, const admin::call_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<admin::topic_partition_replica, admin::replica_log_dir_info>>(replicas);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "describe_replica_log_dirs", [&engine, promises, replicas, deadline] {
        for (const auto& [broker, on_broker] : detail::by_broker(replicas)) {
            detail::keyed_call<protocol::describe_log_dirs_request, protocol::describe_log_dirs_response>(
                engine, promises, on_broker, detail::admin_route::to(broker), deadline,
                [](const std::vector<admin::topic_partition_replica>& open, detail::admin_engine::clock_type::time_point) {
                    protocol::describe_log_dirs_request request;
                    for (auto& [topic, partitions] : detail::indexes_by_topic(open)) {
                        auto& t = request.topics->emplace_back();
                        t.topic = topic;
                        t.partitions = partitions;
                    }
                    return request;
                },
                [promises, on_broker, broker = broker](const protocol::describe_log_dirs_response& response, std::int16_t) {
                    if (const auto ec = detail::kafka_error(response.error_code)) {
                        promises->fail_among(on_broker, ec, detail::replica_context);
                        return detail::answer_verdict::settled;
                    }
                    std::map<admin::topic_partition_replica, admin::replica_log_dir_info> found;
                    for (const auto& r : response.results) {
                        if (r.error_code != 0) continue; // an offline directory holds nothing we can name
                        for (const auto& t : r.topics) {
                            for (const auto& p : t.partitions) {
                                auto& info = found[{t.name, p.partition_index, broker}];
                                if (p.is_future_key) {
                                    info.future_dir = r.log_dir;
                                    info.future_offset_lag = p.offset_lag;
                                } else {
                                    info.current_dir = r.log_dir;
                                    info.current_offset_lag = p.offset_lag;
                                }
                            }
                        }
                    }
                    for (const auto& replica : on_broker) promises->succeed(replica, found[replica]);
                    return detail::answer_verdict::settled;
                },
                detail::replica_context);
        }
    });
}

admin::keyed_result<admin::topic_partition_replica, void> admin_client::alter_replica_log_dirs(
    const std::map<admin::topic_partition_replica, std::string>& moves, const admin::call_options& options) {
    std::vector<admin::topic_partition_replica> replicas;
    for (const auto& [r, path] : moves) replicas.push_back(r);
    auto promises = std::make_shared<detail::keyed_promises<admin::topic_partition_replica, void>>(replicas);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "alter_replica_log_dirs", [&engine, promises, replicas, moves, deadline] {
        for (const auto& [broker, on_broker] : detail::by_broker(replicas)) {
            detail::keyed_call<protocol::alter_replica_log_dirs_request, protocol::alter_replica_log_dirs_response>(
                engine, promises, on_broker, detail::admin_route::to(broker), deadline,
                [moves](const std::vector<admin::topic_partition_replica>& open, detail::admin_engine::clock_type::time_point) {
                    std::map<std::string, std::vector<admin::topic_partition_replica>> by_path;
                    for (const auto& r : open) by_path[moves.at(r)].push_back(r);
                    protocol::alter_replica_log_dirs_request request;
                    for (const auto& [path, in_dir] : by_path) {
                        auto& d = request.dirs.emplace_back();
                        d.path = path;
                        for (auto& [topic, partitions] : detail::indexes_by_topic(in_dir)) {
                            auto& t = d.topics.emplace_back();
                            t.name = topic;
                            t.partitions = partitions;
                        }
                    }
                    return request;
                },
                [promises, broker = broker](const protocol::alter_replica_log_dirs_response& response, std::int16_t) {
                    for (const auto& t : response.results) {
                        for (const auto& p : t.partitions) {
                            const admin::topic_partition_replica key{t.topic_name, p.partition_index, broker};
                            if (const auto ec = detail::kafka_error(p.error_code)) promises->fail(key, ec, detail::replica_context(key));
                            else promises->succeed(key);
                        }
                    }
                    return detail::answer_verdict::settled;
                },
                detail::replica_context);
        }
    });
}

admin::future<std::map<topic_partition, std::error_code>> admin_client::elect_leaders(
    admin::election_type type, const std::optional<std::set<topic_partition>>& partitions,
    const admin::elect_leaders_options& options) {
    using outcomes = std::map<topic_partition, std::error_code>;
    auto promise = std::make_shared<std::promise<outcomes>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "elect_leaders", [&engine, promise, type, partitions, deadline] {
        protocol::elect_leaders_request request;
        request.election_type = static_cast<std::int8_t>(type);
        request.timeout_ms = detail::ms_left(deadline);
        if (partitions) {
            for (auto& [topic, indexes] : detail::indexes_by_topic(*partitions)) {
                auto& t = request.topic_partitions->emplace_back();
                t.topic = topic;
                t.partitions = indexes;
            }
        } else {
            request.topic_partitions.reset(); // every partition
        }
        detail::controller_call<protocol::elect_leaders_request, protocol::elect_leaders_response>(
            engine, request, deadline,
            [promise](std::error_code ec, const protocol::elect_leaders_response& response, std::int16_t) {
                if (ec) return detail::fail(*promise, ec, "elect_leaders");
                outcomes out;
                for (const auto& t : response.replica_election_results)
                    for (const auto& p : t.partition_result)
                        out[{t.topic, partition_id(p.partition_id)}] = detail::kafka_error(p.error_code);
                promise->set_value(std::move(out));
            });
    });
}

admin::keyed_result<topic_partition, void> admin_client::alter_partition_reassignments(
    const std::map<topic_partition, std::optional<std::vector<std::int32_t>>>& reassignments, const admin::call_options& options) {
    std::vector<topic_partition> keys;
    for (const auto& [tp, replicas] : reassignments) keys.push_back(tp);
    auto promises = std::make_shared<detail::keyed_promises<topic_partition, void>>(keys);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "alter_partition_reassignments", [&engine, promises, reassignments, deadline] {
        detail::keyed_call<protocol::alter_partition_reassignments_request, protocol::alter_partition_reassignments_response>(
            engine, promises, promises->pending(), detail::admin_route::controller(), deadline,
            [reassignments](const std::vector<topic_partition>& open, detail::admin_engine::clock_type::time_point until) {
                protocol::alter_partition_reassignments_request request;
                request.timeout_ms = detail::ms_left(until);
                std::map<std::string, protocol::alter_partition_reassignments_request::reassignable_topic> topics;
                for (const auto& tp : open) {
                    auto& t = topics[tp.topic];
                    t.name = tp.topic;
                    auto& p = t.partitions.emplace_back();
                    p.partition_index = tp.partition.value();
                    p.replicas = reassignments.at(tp); // null cancels a reassignment in progress
                }
                for (auto& [name, t] : topics) request.topics.push_back(std::move(t));
                return request;
            },
            [&engine, promises](const protocol::alter_partition_reassignments_response& response, std::int16_t) {
                if (const auto ec = detail::kafka_error(response.error_code)) {
                    if (ec == kafka_errc::not_controller) {
                        engine.cluster().request_metadata_update();
                        return detail::answer_verdict::retry_open;
                    }
                    promises->fail_pending(ec, detail::partition_context);
                    return detail::answer_verdict::settled;
                }
                for (const auto& t : response.responses) {
                    for (const auto& p : t.partitions) {
                        const topic_partition tp{t.name, partition_id(p.partition_index)};
                        if (const auto ec = detail::kafka_error(p.error_code))
                            promises->fail(tp, ec, detail::with_message(detail::partition_context(tp), p.error_message));
                        else promises->succeed(tp);
                    }
                }
                return detail::answer_verdict::settled;
            },
            detail::partition_context);
    });
}

admin::future<std::map<topic_partition, admin::partition_reassignment>> admin_client::list_partition_reassignments(
    const std::optional<std::set<topic_partition>>& partitions, const admin::call_options& options) {
    using ongoing = std::map<topic_partition, admin::partition_reassignment>;
    auto promise = std::make_shared<std::promise<ongoing>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "list_partition_reassignments", [&engine, promise, partitions, deadline] {
        protocol::list_partition_reassignments_request request;
        request.timeout_ms = detail::ms_left(deadline);
        if (partitions) {
            request.topics.emplace();
            for (auto& [topic, indexes] : detail::indexes_by_topic(*partitions)) {
                auto& t = request.topics->emplace_back();
                t.name = topic;
                t.partition_indexes = indexes;
            }
        }
        detail::controller_call<protocol::list_partition_reassignments_request, protocol::list_partition_reassignments_response>(
            engine, request, deadline,
            [promise](std::error_code ec, const protocol::list_partition_reassignments_response& response, std::int16_t) {
                if (ec) return detail::fail(*promise, ec, detail::with_message("list_partition_reassignments", response.error_message));
                ongoing out;
                for (const auto& t : response.topics)
                    for (const auto& p : t.partitions)
                        out[{t.name, partition_id(p.partition_index)}] =
                            admin::partition_reassignment{p.replicas, p.adding_replicas, p.removing_replicas};
                promise->set_value(std::move(out));
            });
    });
}

} // namespace kafkit
