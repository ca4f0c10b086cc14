// Partition offsets (ListOffsets) and record deletion (DeleteRecords), each request to the
// partition's leader.

#include "admin/admin_offsets.hpp"

#include "admin/routed_call.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/delete_records.hpp"
#include "kafkit/protocol/messages/list_offsets.hpp"

#include <set>

namespace kafkit {
namespace detail {

void place_on_leaders(admin_engine& engine, const std::vector<topic_partition>& open,
                      admin_engine::clock_type::time_point deadline,
                      const std::function<void(const topic_partition&, std::error_code)>& fail,
                      std::function<void(placement<topic_partition>)> placed) {
    std::set<std::string> topics;
    for (const auto& tp : open) topics.insert(tp.topic);
    engine.fetch_metadata(std::vector<std::string>(topics.begin(), topics.end()), deadline, false,
                          [open, fail, placed](std::error_code ec, const protocol::metadata_response& response) {
                              placement<topic_partition> where;
                              if (ec) {
                                  for (const auto& tp : open) fail(tp, ec);
                                  return placed(std::move(where));
                              }
                              for (const auto& tp : open) {
                                  const auto* topic = [&]() -> const protocol::metadata_response::metadata_response_topic* {
                                      for (const auto& t : response.topics)
                                          if (t.name == tp.topic) return &t;
                                      return nullptr;
                                  }();
                                  if (topic == nullptr || topic->error_code != 0) {
                                      const auto error = topic ? kafka_error(topic->error_code)
                                                               : make_error_code(kafka_errc::unknown_topic_or_partition);
                                      if (!admin_engine::retriable(error) || error == kafka_errc::unknown_topic_or_partition)
                                          fail(tp, error);
                                      continue; // else: not placeable yet
                                  }
                                  const auto* partition = [&]() -> const protocol::metadata_response::metadata_response_partition* {
                                      for (const auto& p : topic->partitions)
                                          if (p.partition_index == tp.partition.value()) return &p;
                                      return nullptr;
                                  }();
                                  if (partition == nullptr) fail(tp, make_error_code(kafka_errc::unknown_topic_or_partition));
                                  else if (partition->leader_id >= 0) where[partition->leader_id].push_back(tp);
                              }
                              placed(std::move(where));
                          });
}

namespace {

std::int64_t timestamp_of(const admin::offset_spec& spec) {
    using kind = admin::offset_spec::kind;
    switch (spec.what) {
    case kind::earliest: return -2;
    case kind::latest: return -1;
    case kind::max_timestamp: return -3;
    case kind::earliest_local: return -4;
    case kind::latest_tiered: return -5;
    case kind::timestamp: return spec.timestamp_ms;
    }
    return -1;
}

/// The requests' topics, each with its partitions, from partition keys.
template <class Topic, class Fill>
std::vector<Topic> by_topic(const std::vector<topic_partition>& keys, Fill fill) {
    std::map<std::string, Topic> topics;
    for (const auto& tp : keys) {
        auto& t = topics[tp.topic];
        t.name = tp.topic;
        fill(t.partitions.emplace_back(), tp);
    }
    std::vector<Topic> out;
    for (auto& [name, t] : topics) out.push_back(std::move(t));
    return out;
}

/// Settles each partition of a per-topic, per-partition answer; retriable errors stay open.
template <class Topics, class Key, class Value, class Succeed>
void settle_partitions(const std::shared_ptr<keyed_promises<Key, Value>>& promises, const Topics& topics, Succeed succeed) {
    for (const auto& t : topics) {
        for (const auto& p : t.partitions) {
            const topic_partition tp{t.name, partition_id(p.partition_index)};
            if (const auto ec = kafka_error(p.error_code)) {
                if (!admin_engine::retriable(ec)) promises->fail(tp, ec, "partition " + name_of(tp));
            } else {
                succeed(tp, p);
            }
        }
    }
}

} // namespace

void start_list_offsets(admin_engine& engine, std::shared_ptr<keyed_promises<topic_partition, admin::listed_offset>> promises,
                        std::map<topic_partition, admin::offset_spec> specs, bool read_committed,
                        admin_engine::clock_type::time_point deadline) {
    auto context = [](const topic_partition& tp) { return "partition " + name_of(tp); };
    routed_call<protocol::list_offsets_request, protocol::list_offsets_response>(
        engine, promises, deadline,
        [&engine, promises, context](const std::vector<topic_partition>& open, admin_engine::clock_type::time_point until,
                                     std::function<void(placement<topic_partition>)> placed) {
            place_on_leaders(engine, open, until, [promises, context](const topic_partition& tp, std::error_code ec) {
                promises->fail(tp, ec, context(tp));
            }, std::move(placed));
        },
        [specs, read_committed](std::int32_t, const std::vector<topic_partition>& keys, admin_engine::clock_type::time_point until) {
            protocol::list_offsets_request request;
            request.replica_id = -1; // a client, not a follower
            request.isolation_level = read_committed ? 1 : 0;
            request.timeout_ms = ms_left(until);
            request.topics = by_topic<protocol::list_offsets_request::list_offsets_topic>(
                keys, [&specs](auto& p, const topic_partition& tp) {
                    p.partition_index = tp.partition.value();
                    p.timestamp = timestamp_of(specs.at(tp));
                });
            return request;
        },
        [promises](const protocol::list_offsets_response& response, std::int16_t version, const std::vector<topic_partition>&) {
            settle_partitions(promises, response.topics, [&](const topic_partition& tp, const auto& p) {
                admin::listed_offset out;
                out.offset = record_offset(version == 0 ? (p.old_style_offsets.empty() ? -1 : p.old_style_offsets.front())
                                                        : p.offset);
                out.timestamp_ms = p.timestamp;
                if (p.leader_epoch >= 0) out.leader_epoch = p.leader_epoch;
                promises->succeed(tp, out);
            });
        },
        context,
        [](protocol::list_offsets_request& r, std::int16_t version) {
            if (version < 2) r.isolation_level = 0;
            if (version < 10) r.timeout_ms = 0;
            if (version < 4)
                for (auto& t : r.topics)
                    for (auto& p : t.partitions) p.current_leader_epoch = -1;
        });
}

} // namespace detail

admin::keyed_result<topic_partition, admin::listed_offset> admin_client::list_offsets(
    const std::map<topic_partition, admin::offset_spec>& partitions, const admin::list_offsets_options& options) {
    std::vector<topic_partition> keys;
    for (const auto& [tp, spec] : partitions) keys.push_back(tp);
    auto promises = std::make_shared<detail::keyed_promises<topic_partition, admin::listed_offset>>(keys);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "list_offsets", [&engine, promises, partitions, options, deadline] {
        detail::start_list_offsets(engine, promises, partitions, options.read_committed, deadline);
    });
}

admin::keyed_result<topic_partition, admin::deleted_records> admin_client::delete_records(
    const std::map<topic_partition, record_offset>& before, const admin::delete_records_options& options) {
    std::vector<topic_partition> keys;
    for (const auto& [tp, offset] : before) keys.push_back(tp);
    auto promises = std::make_shared<detail::keyed_promises<topic_partition, admin::deleted_records>>(keys);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    auto context = [](const topic_partition& tp) { return "partition " + detail::name_of(tp); };
    return detail::start_keyed(engine, promises, "delete_records", [&engine, promises, before, deadline, context] {
        detail::routed_call<protocol::delete_records_request, protocol::delete_records_response>(
            engine, promises, deadline,
            [&engine, promises, context](const std::vector<topic_partition>& open, detail::admin_engine::clock_type::time_point until,
                                         std::function<void(detail::placement<topic_partition>)> placed) {
                detail::place_on_leaders(engine, open, until, [promises, context](const topic_partition& tp, std::error_code ec) {
                    promises->fail(tp, ec, context(tp));
                }, std::move(placed));
            },
            [before](std::int32_t, const std::vector<topic_partition>& keys, detail::admin_engine::clock_type::time_point until) {
                protocol::delete_records_request request;
                request.timeout_ms = detail::ms_left(until);
                request.topics = detail::by_topic<protocol::delete_records_request::delete_records_topic>(
                    keys, [&before](auto& p, const topic_partition& tp) {
                        p.partition_index = tp.partition.value();
                        p.offset = before.at(tp).value();
                    });
                return request;
            },
            [promises](const protocol::delete_records_response& response, std::int16_t, const std::vector<topic_partition>&) {
                detail::settle_partitions(promises, response.topics, [&](const topic_partition& tp, const auto& p) {
                    promises->succeed(tp, admin::deleted_records{record_offset(p.low_watermark)});
                });
            },
            context);
    });
}

} // namespace kafkit
