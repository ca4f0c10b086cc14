// A group's committed offsets: listed (OffsetFetch, groups batched per coordinator at v8+),
// altered (OffsetCommit outside any generation), deleted (OffsetDelete); the group's lag;
// and removing static members (LeaveGroup v3+).

#include "admin/admin_group_support.hpp"
#include "admin/admin_offsets.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/leave_group.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "kafkit/protocol/messages/offset_delete.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"

namespace kafkit {
namespace detail {
namespace {

using committed_map = committed_offsets;
using group_request = std::optional<std::vector<topic_partition>>;

/// The OffsetFetch topics of one group's request: null for every partition committed.
template <class Topic>
std::optional<std::vector<Topic>> fetch_topics(const group_request& partitions) {
    if (!partitions) return std::nullopt;
    std::map<std::string, Topic> topics;
    for (const auto& tp : *partitions) {
        auto& t = topics[tp.topic];
        t.name = tp.topic;
        t.partition_indexes.push_back(tp.partition.value());
    }
    std::vector<Topic> out;
    for (auto& [name, t] : topics) out.push_back(std::move(t));
    return out;
}

/// One group's answer: its committed offsets, or whether to ask again.
template <class Topics>
void settle_group(admin_engine& engine, keyed_promises<std::string, committed_map>& promises, const std::string& group,
                  std::int16_t group_error, const Topics& topics) {
    const auto ec = kafka_error(group_error);
    if (ec && coordinator_moved(engine, group, ec)) return;
    if (ec) return promises.fail(group, ec, group_context(group));
    committed_map out;
    for (const auto& t : topics) {
        for (const auto& p : t.partitions) {
            const auto partition_error = kafka_error(p.error_code);
            if (partition_error == kafka_errc::unstable_offset_commit) return; // a transaction commits: again
            if (partition_error || p.committed_offset < 0) continue;          // nothing committed there
            offset_and_metadata o;
            o.offset = record_offset(p.committed_offset);
            if (p.committed_leader_epoch >= 0) o.leader_epoch = p.committed_leader_epoch;
            o.metadata = p.metadata.value_or("");
            out.emplace(topic_partition{t.name, partition_id(p.partition_index)}, std::move(o));
        }
    }
    promises.succeed(group, std::move(out));
}

} // namespace

void start_list_group_offsets(admin_engine& engine, std::shared_ptr<keyed_promises<std::string, committed_map>> promises,
                              std::map<std::string, group_request> groups, bool require_stable,
                              admin_engine::clock_type::time_point deadline) {
    routed_call<protocol::offset_fetch_request, protocol::offset_fetch_response>(
        engine, promises, deadline, coordinator_lookup(engine, promises, identity),
        [groups, require_stable](std::int32_t, const std::vector<std::string>& open, admin_engine::clock_type::time_point) {
            protocol::offset_fetch_request request;
            for (const auto& id : open) {
                auto& g = request.groups.emplace_back();
                g.group_id = id;
                g.member_id.reset();
                g.topics = fetch_topics<protocol::offset_fetch_request::offset_fetch_request_topics>(groups.at(id));
            }
            request.require_stable = require_stable;
            return request;
        },
        [&engine, promises](const protocol::offset_fetch_response& response, std::int16_t version,
                            const std::vector<std::string>& asked) {
            if (version >= 8) {
                for (const auto& g : response.groups) settle_group(engine, *promises, g.group_id, g.error_code, g.topics);
            } else { // one group per request: the first asked
                settle_group(engine, *promises, asked.front(), response.error_code, response.topics);
            }
        },
        group_context,
        [groups](protocol::offset_fetch_request& r, std::int16_t version) {
            if (version < 7) r.require_stable = false;
            if (version >= 8) return;
            // Before v8 a request names one group; the others wait for the next attempt.
            const auto id = r.groups.front().group_id;
            r.groups.clear();
            r.group_id = id;
            r.topics = fetch_topics<protocol::offset_fetch_request::offset_fetch_request_topic>(groups.at(id));
            if (version < 2 && !r.topics) r.topics.emplace(); // v0-1 cannot ask for every partition
        });
}

} // namespace detail

using detail::admin_engine;

admin::keyed_result<std::string, std::map<topic_partition, offset_and_metadata>> admin_client::list_consumer_group_offsets(
    const std::map<std::string, std::optional<std::vector<topic_partition>>>& groups,
    const admin::list_consumer_group_offsets_options& options) {
    std::vector<std::string> ids;
    for (const auto& [id, partitions] : groups) ids.push_back(id);
    auto promises = std::make_shared<detail::keyed_promises<std::string, detail::committed_map>>(ids);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "list_consumer_group_offsets", [&engine, promises, groups, options, deadline] {
        detail::start_list_group_offsets(engine, promises, groups, options.require_stable, deadline);
    });
}

namespace {

/// alter and delete_consumer_group_offsets: partitions of one group, on its coordinator.
template <class Request, class Response, class Build, class Settle>
admin::keyed_result<topic_partition, void> group_partition_call(detail::admin_engine& engine, const std::string& group,
                                                                std::vector<topic_partition> keys,
                                                                const admin::call_options& options, const char* what,
                                                                Build build, Settle settle) {
    auto promises = std::make_shared<detail::keyed_promises<topic_partition, void>>(keys);
    const auto deadline = engine.deadline(options.timeout);
    auto context = [group](const topic_partition& tp) { return detail::group_context(group) + " partition " + detail::name_of(tp); };
    return detail::start_keyed(engine, promises, what, [&engine, promises, group, deadline, build, settle, context] {
        detail::routed_call<Request, Response>(
            engine, promises, deadline,
            detail::coordinator_lookup(engine, promises, [group](const topic_partition&) { return group; }),
            [group, build](std::int32_t, const std::vector<topic_partition>& open, admin_engine::clock_type::time_point) {
                return build(group, open);
            },
            [&engine, promises, group, settle, context](const Response& response, std::int16_t,
                                                        const std::vector<topic_partition>& asked) {
                settle(response, asked, [&](const topic_partition& tp, std::int16_t code) {
                    const auto ec = detail::kafka_error(code);
                    if (!ec) promises->succeed(tp);
                    else if (!detail::coordinator_moved(engine, group, ec)) promises->fail(tp, ec, context(tp));
                });
            },
            context);
    });
}

/// Calls `each(tp, error)` for every partition of a per-topic answer.
template <class Topics, class Each>
void for_each_partition(const Topics& topics, Each each) {
    for (const auto& t : topics)
        for (const auto& p : t.partitions) each(topic_partition{t.name, partition_id(p.partition_index)}, p.error_code);
}

} // namespace

admin::keyed_result<topic_partition, void> admin_client::alter_consumer_group_offsets(
    const std::string& group_id, const std::map<topic_partition, offset_and_metadata>& offsets,
    const admin::call_options& options) {
    std::vector<topic_partition> keys;
    for (const auto& [tp, o] : offsets) keys.push_back(tp);
    return group_partition_call<protocol::offset_commit_request, protocol::offset_commit_response>(
        *engine_, group_id, keys, options, "alter_consumer_group_offsets",
        [offsets](const std::string& group, const std::vector<topic_partition>& open) {
            protocol::offset_commit_request request;
            request.group_id = group;
            request.generation_id_or_member_epoch = -1; // no generation: the group must have no members
            std::map<std::string, protocol::offset_commit_request::offset_commit_request_topic> topics;
            for (const auto& tp : open) {
                auto& t = topics[tp.topic];
                t.name = tp.topic;
                auto& p = t.partitions.emplace_back();
                p.partition_index = tp.partition.value();
                const auto& o = offsets.at(tp);
                p.committed_offset = o.offset.value();
                p.committed_leader_epoch = o.leader_epoch.value_or(-1);
                p.committed_metadata = o.metadata;
            }
            for (auto& [name, t] : topics) request.topics.push_back(std::move(t));
            return request;
        },
        [](const protocol::offset_commit_response& response, const std::vector<topic_partition>&, auto each) {
            for_each_partition(response.topics, each);
        });
}

admin::keyed_result<topic_partition, void> admin_client::delete_consumer_group_offsets(
    const std::string& group_id, const std::set<topic_partition>& partitions, const admin::call_options& options) {
    return group_partition_call<protocol::offset_delete_request, protocol::offset_delete_response>(
        *engine_, group_id, {partitions.begin(), partitions.end()}, options, "delete_consumer_group_offsets",
        [](const std::string& group, const std::vector<topic_partition>& open) {
            protocol::offset_delete_request request;
            request.group_id = group;
            std::map<std::string, protocol::offset_delete_request::offset_delete_request_topic> topics;
            for (const auto& tp : open) {
                auto& t = topics[tp.topic];
                t.name = tp.topic;
                t.partitions.emplace_back().partition_index = tp.partition.value();
            }
            for (auto& [name, t] : topics) request.topics.push_back(std::move(t));
            return request;
        },
        [](const protocol::offset_delete_response& response, const std::vector<topic_partition>& asked, auto each) {
            if (response.error_code != 0) { // the whole group's error, for each partition
                for (const auto& tp : asked) each(tp, response.error_code);
                return;
            }
            for_each_partition(response.topics, each);
        });
}

namespace detail {

void start_leave_group(admin_engine& engine, std::shared_ptr<keyed_promises<std::string, void>> promises,
                       std::string group_id, std::map<std::string, leaving_member> members, std::string reason,
                       admin_engine::clock_type::time_point deadline) {
    auto context = [group_id](const std::string& member) { return group_context(group_id) + " member " + member; };
    routed_call<protocol::leave_group_request, protocol::leave_group_response>(
        engine, promises, deadline, coordinator_lookup(engine, promises, [group_id](const std::string&) { return group_id; }),
        [group_id, members, reason](std::int32_t, const std::vector<std::string>& open, admin_engine::clock_type::time_point) {
            protocol::leave_group_request request;
            request.group_id = group_id;
            for (const auto& key : open) {
                const auto& who = members.at(key);
                auto& m = request.members.emplace_back();
                m.member_id = who.member_id; // "" for a static member named by its instance id (KIP-345)
                m.group_instance_id = who.group_instance_id;
                if (!reason.empty()) m.reason = reason;
            }
            return request;
        },
        [&engine, promises, group_id, members, context](const protocol::leave_group_response& response, std::int16_t,
                                                        const std::vector<std::string>& asked) {
            if (const auto ec = kafka_error(response.error_code)) {
                if (!coordinator_moved(engine, group_id, ec)) promises->fail_among(asked, ec, context);
                return;
            }
            for (const auto& m : response.members) {
                // The answer names members as the request did: find the key that asked.
                for (const auto& key : asked) {
                    const auto& who = members.at(key);
                    if (who.member_id != m.member_id || who.group_instance_id.value_or("") != m.group_instance_id.value_or(""))
                        continue;
                    if (const auto ec = kafka_error(m.error_code)) promises->fail(key, ec, context(key));
                    else promises->succeed(key);
                }
            }
        },
        context,
        [](protocol::leave_group_request& r, std::int16_t version) {
            if (version < 5)
                for (auto& m : r.members) m.reason.reset();
        });
}

} // namespace detail

admin::keyed_result<std::string, void> admin_client::remove_members_from_consumer_group(
    const std::string& group_id, const admin::remove_members_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<std::string, void>>(options.group_instance_ids);
    std::map<std::string, detail::leaving_member> members;
    for (const auto& id : options.group_instance_ids) members[id] = detail::leaving_member{"", id};
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "remove_members_from_consumer_group",
                               [&engine, promises, group_id, members, reason = options.reason, deadline] {
                                   detail::start_leave_group(engine, promises, group_id, members, reason, deadline);
                               });
}

admin::future<std::map<topic_partition, admin::partition_lag>> admin_client::consumer_group_lag(
    const std::string& group_id, const admin::list_offsets_options& options) {
    using lag_map = std::map<topic_partition, admin::partition_lag>;
    auto promise = std::make_shared<std::promise<lag_map>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "consumer_group_lag", [&engine, promise, group_id, options, deadline] {
        auto committed = std::make_shared<detail::keyed_promises<std::string, detail::committed_map>>(
            std::vector<std::string>{group_id});
        auto committed_result = committed->result();
        committed->on_all([&engine, promise, group_id, committed_result, options, deadline] {
            detail::committed_map offsets;
            try {
                offsets = committed_result.value(group_id).get();
            } catch (...) {
                return promise->set_exception(std::current_exception());
            }
            std::map<topic_partition, admin::offset_spec> specs;
            std::vector<topic_partition> keys;
            for (const auto& [tp, o] : offsets) {
                specs.emplace(tp, admin::offset_spec::latest());
                keys.push_back(tp);
            }
            auto ends = std::make_shared<detail::keyed_promises<topic_partition, admin::listed_offset>>(keys);
            auto ends_result = ends->result();
            ends->on_all([promise, offsets, ends_result] {
                lag_map out;
                try {
                    for (const auto& [tp, o] : offsets) {
                        const auto end = ends_result.value(tp).get().offset;
                        out[tp] = admin::partition_lag{o, end, std::max<std::int64_t>(0, end.value() - o.offset.value())};
                    }
                } catch (...) {
                    return promise->set_exception(std::current_exception());
                }
                promise->set_value(std::move(out));
            });
            detail::start_list_offsets(engine, ends, std::move(specs), options.read_committed, deadline);
        });
        detail::start_list_group_offsets(engine, committed, {{group_id, std::nullopt}}, false, deadline);
    });
}

} // namespace kafkit
