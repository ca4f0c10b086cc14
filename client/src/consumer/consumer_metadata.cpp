// consumer_engine's metadata calls, partitions_for and list_topics (Java's partitionsFor and
// listTopics): one Metadata request each, not added to the topics the client keeps
// refreshed, retried while the cluster answers with retriable errors (a topic being
// created is LEADER_NOT_AVAILABLE) until the timeout.

#include "consumer/consumer_engine.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/metadata.hpp"

#include <algorithm>
#include <future>
#include <memory>
#include <thread>

namespace kafkit::detail {
namespace {

using clock_type = std::chrono::steady_clock;

std::vector<node_id> nodes(const std::vector<std::int32_t>& ids) {
    std::vector<node_id> out;
    out.reserve(ids.size());
    for (const auto id : ids) out.emplace_back(id);
    return out;
}

std::vector<partition_metadata> partitions_of(const protocol::metadata_response::metadata_response_topic& t) {
    std::vector<partition_metadata> out;
    for (const auto& p : t.partitions) {
        partition_metadata m;
        m.partition = {*t.name, partition_id(p.partition_index)};
        if (p.leader_id >= 0) m.leader = node_id(p.leader_id);
        m.leader_epoch = p.leader_epoch;
        m.replicas = nodes(p.replica_nodes);
        m.in_sync_replicas = nodes(p.isr_nodes);
        m.offline_replicas = nodes(p.offline_replicas);
        out.push_back(std::move(m));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.partition.partition < b.partition.partition; });
    return out;
}

std::error_code error_of(std::int16_t code) {
    return code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(code));
}

/// What one topic of an answer means: its partitions, none (it does not exist), or an
/// error to retry (a retriable one) or to throw.
struct topic_outcome {
    std::error_code error;
    bool exists = true;
};

topic_outcome outcome_of(const protocol::metadata_response::metadata_response_topic& t) {
    const auto ec = error_of(t.error_code);
    if (ec == kafka_errc::unknown_topic_or_partition) return {{}, false};
    // As Java's partitionsFor: only the topic's own error is retried; a partition without a
    // leader (offline) is reported as such.
    return {ec, true};
}

/// Sends one Metadata request for `topics` (null: every topic) and waits for the answer,
/// retrying retriable failures (of the request or, through `retry`, of the answer) until
/// `deadline`.
template <class Retry>
protocol::metadata_response ask_metadata(io_thread& io, cluster_client& cluster, const consumer_settings& settings,
                                         std::optional<std::vector<std::string>> topics, clock_type::time_point deadline,
                                         const std::string& what, Retry retry) {
    for (;;) {
        auto answer = std::make_shared<std::promise<std::pair<std::error_code, protocol::metadata_response>>>();
        auto future = answer->get_future();
        protocol::metadata_request request;
        if (topics) {
            request.topics.emplace();
            for (const auto& t : *topics) request.topics->emplace_back().name = t;
        } else {
            request.topics.reset();
        }
        request.allow_auto_topic_creation = settings.allow_auto_create_topics;
        io.run_and_wait([&] {
            cluster.send_to_any(make_request<protocol::metadata_request, protocol::metadata_response>(
                std::move(request),
                [answer](std::error_code ec, protocol::metadata_response r, std::int16_t) {
                    answer->set_value({ec, std::move(r)});
                },
                client_versions(protocol::metadata_request::api_key),
                [](protocol::metadata_request& r, std::int16_t version) {
                    if (version < 4) r.allow_auto_topic_creation = true; // the broker's own setting decides
                }));
        });
        if (future.wait_until(deadline) != std::future_status::ready)
            throw exception(make_error_code(errc::timed_out), what);
        auto [ec, response] = future.get();
        if (!ec) ec = retry(response);
        if (!ec) return std::move(response);
        if (!is_retriable(ec) && ec != errc::disconnected && ec != errc::timed_out && ec != errc::connection_failed)
            throw exception(ec, what);
        if (clock_type::now() + settings.client.retry_backoff >= deadline)
            throw exception(make_error_code(errc::timed_out), what + " (last error: " + ec.message() + ")");
        std::this_thread::sleep_for(settings.client.retry_backoff);
    }
}

} // namespace

std::vector<partition_metadata> consumer_engine::partitions_for(const std::string& topic,
                                                                std::chrono::milliseconds timeout) {
    check_open();
    const auto what = "partitions_for(" + topic + ")";
    const auto response = ask_metadata(io_, cluster_, settings_, std::vector<std::string>{topic}, clock_type::now() + timeout,
                                       what, [&](const protocol::metadata_response& r) {
                                           for (const auto& t : r.topics)
                                               if (t.name == topic) return outcome_of(t).error;
                                           return std::error_code{};
                                       });
    for (const auto& t : response.topics) {
        if (t.name != topic) continue;
        if (!outcome_of(t).exists) return {};
        return partitions_of(t);
    }
    return {};
}

std::map<std::string, std::vector<partition_metadata>> consumer_engine::list_topics(std::chrono::milliseconds timeout) {
    check_open();
    const auto response =
        ask_metadata(io_, cluster_, settings_, std::nullopt, clock_type::now() + timeout, "list_topics",
                     [](const protocol::metadata_response& r) {
                         for (const auto& t : r.topics)
                             if (const auto o = outcome_of(t); o.exists && o.error) return o.error;
                         return std::error_code{};
                     });
    std::map<std::string, std::vector<partition_metadata>> out;
    for (const auto& t : response.topics) {
        if (!t.name || !outcome_of(t).exists) continue;
        if (t.is_internal && settings_.exclude_internal_topics) continue;
        out[*t.name] = partitions_of(t);
    }
    return out;
}

} // namespace kafkit::detail
