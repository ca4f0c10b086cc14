// Producers (DescribeProducers, to each partition's leader) and transactions: listed on
// every broker, described by their coordinators (FindCoordinator with key type 1), a
// hanging one aborted (WriteTxnMarkers to the partition's leader), producers fenced
// (InitProducerId to the coordinator).

#include "admin/admin_offsets.hpp"
#include "admin/routed_call.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/describe_producers.hpp"
#include "kafkit/protocol/messages/describe_transactions.hpp"
#include "kafkit/protocol/messages/init_producer_id.hpp"
#include "kafkit/protocol/messages/list_transactions.hpp"
#include "kafkit/protocol/messages/write_txn_markers.hpp"

#include <algorithm>
#include <set>

namespace kafkit {
namespace detail {
namespace {

constexpr std::int8_t transaction_key = 1;

std::string transaction_context(const std::string& id) { return "transactional id " + id; }
std::string partition_context(const topic_partition& tp) { return "partition " + name_of(tp); }

/// Errors that send a transactional id to its coordinator again.
bool transaction_coordinator_moved(admin_engine& engine, const std::string& id, std::error_code ec) {
    if (ec == kafka_errc::not_coordinator || ec == kafka_errc::coordinator_not_available) {
        engine.forget_coordinator(transaction_key, id);
        return true;
    }
    return ec == kafka_errc::coordinator_load_in_progress || ec == kafka_errc::concurrent_transactions;
}

/// Places transactional ids on their coordinators.
template <class Value>
auto transaction_coordinators(admin_engine& engine, std::shared_ptr<keyed_promises<std::string, Value>> promises) {
    return [&engine, promises](const std::vector<std::string>& open, admin_engine::clock_type::time_point until,
                               std::function<void(placement<std::string>)> placed) {
        engine.find_coordinators(transaction_key, open, until, [promises, placed](std::map<std::string, coordinator_answer> answers) {
            placement<std::string> where;
            for (auto& [id, a] : answers) {
                if (a.node >= 0) where[a.node].push_back(id);
                else if (!admin_engine::retriable(a.error)) promises->fail(id, a.error, with_message(transaction_context(id), a.message));
            }
            placed(std::move(where));
        });
    };
}

} // namespace
} // namespace detail

admin::keyed_result<topic_partition, std::vector<admin::producer_state>> admin_client::describe_producers(
    const std::vector<topic_partition>& partitions, const admin::describe_producers_options& options) {
    using states = std::vector<admin::producer_state>;
    auto promises = std::make_shared<detail::keyed_promises<topic_partition, states>>(partitions);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const auto broker = options.broker_id;
    return detail::start_keyed(engine, promises, "describe_producers", [&engine, promises, broker, deadline] {
        detail::routed_call<protocol::describe_producers_request, protocol::describe_producers_response>(
            engine, promises, deadline,
            [&engine, promises, broker](const std::vector<topic_partition>& open, detail::admin_engine::clock_type::time_point until,
                                        std::function<void(detail::placement<topic_partition>)> placed) {
                if (broker) return placed({{*broker, open}});
                detail::place_on_leaders(engine, open, until, [promises](const topic_partition& tp, std::error_code ec) {
                    promises->fail(tp, ec, detail::partition_context(tp));
                }, std::move(placed));
            },
            [](std::int32_t, const std::vector<topic_partition>& keys, detail::admin_engine::clock_type::time_point) {
                protocol::describe_producers_request request;
                std::map<std::string, protocol::describe_producers_request::topic_request> topics;
                for (const auto& tp : keys) {
                    auto& t = topics[tp.topic];
                    t.name = tp.topic;
                    t.partition_indexes.push_back(tp.partition.value());
                }
                for (auto& [name, t] : topics) request.topics.push_back(std::move(t));
                return request;
            },
            [promises, broker](const protocol::describe_producers_response& response, std::int16_t, const std::vector<topic_partition>&) {
                for (const auto& t : response.topics) {
                    for (const auto& p : t.partitions) {
                        const topic_partition tp{t.name, partition_id(p.partition_index)};
                        if (const auto ec = detail::kafka_error(p.error_code)) {
                            // A moved leader is looked up again; a broker named by the caller is its answer.
                            if (broker || !detail::admin_engine::retriable(ec))
                                promises->fail(tp, ec, detail::with_message(detail::partition_context(tp), p.error_message));
                            continue;
                        }
                        states out;
                        for (const auto& s : p.active_producers) {
                            admin::producer_state st;
                            st.producer_id = s.producer_id;
                            st.producer_epoch = s.producer_epoch;
                            st.last_sequence = s.last_sequence;
                            st.last_timestamp_ms = s.last_timestamp;
                            if (s.coordinator_epoch >= 0) st.coordinator_epoch = s.coordinator_epoch;
                            if (s.current_txn_start_offset >= 0) st.current_transaction_start_offset = s.current_txn_start_offset;
                            out.push_back(st);
                        }
                        promises->succeed(tp, std::move(out));
                    }
                }
            },
            detail::partition_context);
    });
}

admin::future<admin::transaction_listings> admin_client::list_transactions(const admin::list_transactions_options& options) {
    auto promise = std::make_shared<std::promise<admin::transaction_listings>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "list_transactions", [&engine, promise, options, deadline] {
        protocol::list_transactions_request request;
        request.state_filters.assign(options.states.begin(), options.states.end());
        request.producer_id_filters.assign(options.producer_ids.begin(), options.producer_ids.end());
        request.duration_filter = options.duration_ms.value_or(-1);
        using gathered = std::vector<admin::transaction_listing>;
        detail::ask_every_broker<protocol::list_transactions_request, protocol::list_transactions_response, gathered>(
            engine, request, deadline,
            [](detail::broker_gather<gathered>& g, const protocol::list_transactions_response& r, std::int16_t) {
                for (const auto& t : r.transaction_states)
                    g.out.push_back({t.transactional_id, t.producer_id, t.transaction_state});
            },
            [promise](detail::broker_gather<gathered>& g) {
                admin::transaction_listings out;
                out.transactions = std::move(g.out);
                out.errors = std::move(g.errors);
                std::sort(out.transactions.begin(), out.transactions.end(),
                          [](const auto& a, const auto& b) { return a.transactional_id < b.transactional_id; });
                promise->set_value(std::move(out));
            },
            [promise](std::error_code ec) { detail::fail(*promise, ec, "list_transactions"); });
    });
}

admin::keyed_result<std::string, admin::transaction_description> admin_client::describe_transactions(
    const std::vector<std::string>& transactional_ids, const admin::call_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<std::string, admin::transaction_description>>(transactional_ids);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "describe_transactions", [&engine, promises, deadline] {
        detail::routed_call<protocol::describe_transactions_request, protocol::describe_transactions_response>(
            engine, promises, deadline, detail::transaction_coordinators(engine, promises),
            [](std::int32_t, const std::vector<std::string>& ids, detail::admin_engine::clock_type::time_point) {
                protocol::describe_transactions_request request;
                request.transactional_ids = ids;
                return request;
            },
            [&engine, promises](const protocol::describe_transactions_response& response, std::int16_t,
                                const std::vector<std::string>&, std::int32_t coordinator) {
                for (const auto& t : response.transaction_states) {
                    const auto ec = detail::kafka_error(t.error_code);
                    if (ec && detail::transaction_coordinator_moved(engine, t.transactional_id, ec)) continue;
                    if (ec) {
                        promises->fail(t.transactional_id, ec, detail::transaction_context(t.transactional_id));
                        continue;
                    }
                    admin::transaction_description d;
                    d.coordinator_id = coordinator;
                    d.state = t.transaction_state;
                    d.producer_id = t.producer_id;
                    d.producer_epoch = t.producer_epoch;
                    d.transaction_timeout_ms = t.transaction_timeout_ms;
                    if (t.transaction_start_time_ms >= 0) d.transaction_start_time_ms = t.transaction_start_time_ms;
                    for (const auto& topic : t.topics)
                        for (auto p : topic.partitions) d.partitions.insert({topic.topic, partition_id(p)});
                    promises->succeed(t.transactional_id, std::move(d));
                }
            },
            detail::transaction_context);
    });
}

admin::future<void> admin_client::abort_transaction(const admin::abort_transaction_spec& spec,
                                                         const admin::call_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<topic_partition, void>>(std::vector<topic_partition>{spec.partition});
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    auto started = detail::start_keyed(engine, promises, "abort_transaction", [&engine, promises, spec, deadline] {
        detail::routed_call<protocol::write_txn_markers_request, protocol::write_txn_markers_response>(
            engine, promises, deadline,
            [&engine, promises](const std::vector<topic_partition>& open, detail::admin_engine::clock_type::time_point until,
                                std::function<void(detail::placement<topic_partition>)> placed) {
                detail::place_on_leaders(engine, open, until, [promises](const topic_partition& tp, std::error_code ec) {
                    promises->fail(tp, ec, detail::partition_context(tp));
                }, std::move(placed));
            },
            [spec](std::int32_t, const std::vector<topic_partition>&, detail::admin_engine::clock_type::time_point) {
                protocol::write_txn_markers_request request;
                auto& m = request.markers.emplace_back();
                m.producer_id = spec.producer_id;
                m.producer_epoch = spec.producer_epoch;
                m.transaction_result = false; // abort
                m.coordinator_epoch = spec.coordinator_epoch;
                auto& t = m.topics.emplace_back();
                t.name = spec.partition.topic;
                t.partition_indexes.push_back(spec.partition.partition.value());
                return request;
            },
            [promises](const protocol::write_txn_markers_response& response, std::int16_t, const std::vector<topic_partition>&) {
                for (const auto& m : response.markers) {
                    for (const auto& t : m.topics) {
                        for (const auto& p : t.partitions) {
                            const topic_partition tp{t.name, partition_id(p.partition_index)};
                            const auto ec = detail::kafka_error(p.error_code);
                            if (!ec) promises->succeed(tp);
                            else if (!detail::admin_engine::retriable(ec)) promises->fail(tp, ec, detail::partition_context(tp));
                        }
                    }
                }
            },
            detail::partition_context);
    });
    return started.all();
}

admin::keyed_result<std::string, admin::fenced_producer> admin_client::fence_producers(
    const std::vector<std::string>& transactional_ids, const admin::fence_producers_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<std::string, admin::fenced_producer>>(transactional_ids);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const auto timeout_ms = options.transaction_timeout_ms;
    return detail::start_keyed(engine, promises, "fence_producers", [&engine, promises, timeout_ms, deadline] {
        // InitProducerId names one transactional id: one routed call per id.
        for (const auto& id : promises->pending()) {
            auto single = std::make_shared<detail::keyed_promises<std::string, admin::fenced_producer>>(std::vector<std::string>{id});
            auto single_result = single->result();
            single->on_all([promises, id, single_result] {
                try {
                    promises->succeed(id, single_result.value(id).get());
                } catch (const exception& e) {
                    promises->fail(id, e.code(), detail::transaction_context(id));
                }
            });
            detail::routed_call<protocol::init_producer_id_request, protocol::init_producer_id_response>(
                engine, single, deadline, detail::transaction_coordinators(engine, single),
                [id, timeout_ms](std::int32_t, const std::vector<std::string>&, detail::admin_engine::clock_type::time_point) {
                    protocol::init_producer_id_request request;
                    request.transactional_id = id;
                    request.transaction_timeout_ms = timeout_ms;
                    return request; // producer id and epoch -1: a fresh epoch, fencing older ones
                },
                [&engine, single, id](const protocol::init_producer_id_response& response, std::int16_t, const std::vector<std::string>&) {
                    const auto ec = detail::kafka_error(response.error_code);
                    if (ec && detail::transaction_coordinator_moved(engine, id, ec)) return;
                    if (ec) return single->fail(id, ec, detail::transaction_context(id));
                    single->succeed(id, admin::fenced_producer{response.producer_id, response.producer_epoch});
                },
                detail::transaction_context);
        }
    });
}

} // namespace kafkit
