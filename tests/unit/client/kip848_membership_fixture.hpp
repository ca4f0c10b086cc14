#pragma once
// What the tests of the KIP-848 membership (consumer_group_membership) share: a fake broker
// that leads topics "t" and "u" (with topic ids), coordinates group "g" and answers
// ConsumerGroupHeartbeat as the test scripts it; the membership, its cluster client and
// coordinator lookup on the test's io_context; and what the membership posted to
// group_events. The test plays the application: it calls assignment_applied() where poll()
// would.

#include "net_test_support.hpp"

#include "config/consumer_settings.hpp"
#include "consumer/consumer_group_membership.hpp"
#include "consumer/group_events.hpp"
#include "consumer/group_offsets.hpp"
#include "net/cluster_client.hpp"

#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/consumer_group_heartbeat.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kip848_testing {

using namespace std::chrono_literals;
using kafkit::kafka_errc;
using kafkit::partition_id;
using kafkit::topic_partition;
using kafkit::detail::cluster_client;
using kafkit::detail::consumer_group_membership;
using kafkit::detail::consumer_settings;
using kafkit::detail::group_assignment_event;
using kafkit::detail::group_event_batch;
using kafkit::detail::group_events;
using kafkit::detail::group_identity;
using kafkit::detail::group_offsets;
using kafkit::detail::topic_subscription;
using kafkit::testing::fake_broker;
using kafkit::testing::fake_reply;
using kafkit::testing::fake_request;
using kafkit::testing::net_fixture;
using kafkit::testing::run_until;
namespace protocol = kafkit::protocol;
using heartbeat_request = protocol::consumer_group_heartbeat_request;
using heartbeat_response = protocol::consumer_group_heartbeat_response;

inline constexpr std::int16_t find_coordinator_key = 10;
inline constexpr std::int16_t heartbeat_key = 68;

/// A topic id the fakes' metadata gives topic number `n`.
inline protocol::uuid topic_id(std::uint8_t n) {
    protocol::uuid id;
    id.bytes[0] = 0x5a;
    id.bytes[15] = n;
    return id;
}

inline std::vector<topic_partition> partitions_of(const std::string& topic,
                                                  const std::vector<std::int32_t>& partitions) {
    std::vector<topic_partition> out;
    for (const auto p : partitions) out.push_back({topic, partition_id(p)});
    return out;
}

/// `response` as the whole frame answering `r`.
template <class Response> fake_reply reply(const fake_request& r, const Response& response) {
    std::vector<std::uint8_t> out;
    REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
    return fake_reply::raw(std::move(out));
}

inline heartbeat_request heartbeat_of(const fake_request& r) {
    auto decoded = protocol::decode<heartbeat_request>(r.body_view(), r.api_version);
    REQUIRE(decoded.has_value());
    return std::move(*decoded);
}

/// An assignment of `partitions` of the topic with id `id` (one topic), for a response.
inline heartbeat_response::assignment_struct assignment(const protocol::uuid& id,
                                                        const std::vector<std::int32_t>& partitions) {
    heartbeat_response::assignment_struct a;
    a.topic_partitions.push_back({id, partitions, {}});
    return a;
}

/// The TopicPartitions `partitions` of topic `id` make in a request.
inline std::vector<heartbeat_request::topic_partitions_struct> owned(const protocol::uuid& id,
                                                                     const std::vector<std::int32_t>& partitions) {
    return {{id, partitions, {}}};
}

/// What the membership posted to group_events, one post each.
struct posted_event {
    enum class kind { rejoin, assigned, poll_exceeded, fail };
    kind what = kind::rejoin;
    bool lost = false;
    std::error_code error;
    std::string reason;
    group_assignment_event assignment;
};
using kind = posted_event::kind;

/// A KIP-848 membership of group "g" with its cluster client and coordinator lookup, built by
/// start() once a test has set `settings`. The fake leads topics "t" (4 partitions) and "u"
/// (2), with ids, coordinates the group, and answers heartbeats as `coordinator` says: the
/// epoch to answer with, the interval, and an assignment to send once. `handler` replaces
/// that answer when set.
struct kip848_fixture : net_fixture {
    kip848_fixture() : fake(add_fake()) {
        fake.advertise(find_coordinator_key, {4, 4});
        fake.advertise(heartbeat_key, {0, 1});
        set_topic(fake, "t", 1, 4);
        set_topic(fake, "u", 2, 2);
        settings.client = net_fixture::settings;
        settings.client.bootstrap_servers = {fake.address()};
        settings.group_id = "g";
        settings.group_remote_assignor = "uniform";
        settings.max_poll_interval = 30s;
        fake.set_policy([this](const fake_request& r) { return dispatch(r); });
    }
    ~kip848_fixture() {
        handler = nullptr;
        if (membership) membership->stop();
        if (offsets) offsets->stop();
        if (cluster) cluster->shut_down();
        for (auto& f : fakes) f->stop();
        io.restart();
        io.run_for(std::chrono::seconds(2));
    }
    kip848_fixture(const kip848_fixture&) = delete;
    kip848_fixture& operator=(const kip848_fixture&) = delete;

    static void set_topic(fake_broker& on, const std::string& name, std::uint8_t number, int partitions) {
        auto& t = on.metadata().topics.emplace_back();
        t.name = name;
        t.topic_id = topic_id(number);
        for (int i = 0; i < partitions; ++i) {
            auto& p = t.partitions.emplace_back();
            p.partition_index = i;
            p.leader_id = 1;
            p.leader_epoch = 0;
        }
    }

    void start(const std::vector<std::string>& topics = {"t"}) {
        cluster = std::make_unique<cluster_client>(io, settings.client, make_logger());
        offsets = std::make_unique<group_offsets>(io, settings, *cluster, make_logger());
        membership =
            std::make_unique<consumer_group_membership>(io, settings, *cluster, *offsets, events, make_logger());
        cluster->start();
        REQUIRE(run_until(io, [&] { return cluster->metadata().known(); }));
        const auto before = cluster->metadata().updates();
        membership->set_subscription(topic_subscription(topics));
        REQUIRE(run_until(io, [&] { return cluster->metadata().updates() > before; }));
        membership->join({}, -1);
    }

    /// start(), then waits for the first assignment (t-0 unless `first` says otherwise) and
    /// applies it as poll() would.
    void start_stable(const std::vector<std::int32_t>& first = {0}) {
        coordinator.assignment = assignment(topic_id(1), first);
        start();
        REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));
        membership->assignment_applied(partitions_of("t", first));
    }

    fake_reply dispatch(const fake_request& r) {
        if (r.api_key == find_coordinator_key) return coordinator_answer(r);
        if (r.api_key != heartbeat_key) return fake_reply::answer();
        if (handler) return handler(r);
        return reply(r, accepted(heartbeat_of(r)));
    }

    /// The coordinator's answer to `request` as `coordinator` says (a leave is echoed).
    heartbeat_response accepted(const heartbeat_request& request) {
        heartbeat_response response;
        response.member_id = request.member_id.empty() ? "named-by-coordinator" : request.member_id;
        response.member_epoch = request.member_epoch < 0 ? request.member_epoch : coordinator.epoch;
        response.heartbeat_interval_ms = coordinator.interval_ms;
        response.assignment = std::exchange(coordinator.assignment, std::nullopt);
        // A join is always answered with the member's assignment, empty or not.
        if (request.member_epoch == 0 && !response.assignment) response.assignment.emplace();
        return response;
    }

    fake_reply coordinator_answer(const fake_request& r) const {
        protocol::find_coordinator_response response;
        auto& c = response.coordinators.emplace_back();
        c.key = "g";
        c.node_id = coordinator.node;
        c.host = "127.0.0.1";
        c.port = coordinator.node == 1 ? fake.port() : coordinator.port;
        return reply(r, response);
    }

    /// Every heartbeat received (by every fake), decoded, in order.
    [[nodiscard]] std::vector<heartbeat_request> heartbeats() const {
        std::vector<heartbeat_request> out;
        for (const auto& f : fakes)
            for (const auto& r : f->requests_of(heartbeat_key)) out.push_back(heartbeat_of(r));
        return out;
    }
    [[nodiscard]] std::size_t beats() const {
        std::size_t n = 0;
        for (const auto& f : fakes) n += f->count(heartbeat_key);
        return n;
    }
    /// Waits for heartbeat number `n` (from 1) and returns it.
    heartbeat_request wait_beat(std::size_t n) {
        REQUIRE(run_until(io, [&] { return beats() >= n; }));
        const auto all = heartbeats();
        return all.at(n - 1);
    }
    /// Waits for the first heartbeat from number `n` on that carries TopicPartitions; its
    /// number. (A heartbeat in flight when the application acknowledged goes first.)
    std::size_t wait_owned_from(std::size_t n, std::chrono::milliseconds limit = 5s) {
        std::size_t found = 0;
        REQUIRE(run_until(
            io,
            [&] {
                const auto all = heartbeats();
                for (std::size_t i = n - 1; i < all.size() && found == 0; ++i)
                    if (all[i].topic_partitions) found = i + 1;
                return found != 0;
            },
            limit));
        CHECK(found <= n + 1);
        return found;
    }

    void record(const group_event_batch& b) {
        if (b.fatal) posted.push_back({kind::fail, false, b.fatal, b.fatal_reason, {}});
        if (b.poll_exceeded) posted.push_back({kind::poll_exceeded, false, {}, {}, {}});
        if (b.assignment) posted.push_back({kind::assigned, false, {}, {}, *b.assignment});
        if (b.rejoin) posted.push_back({kind::rejoin, b.lost, {}, {}, {}});
    }
    [[nodiscard]] std::size_t count(kind k) const {
        return static_cast<std::size_t>(
            std::count_if(posted.begin(), posted.end(), [k](const posted_event& e) { return e.what == k; }));
    }
    /// The `n`-th event (from 0) of kind `k`; REQUIREs it.
    [[nodiscard]] const posted_event& nth(kind k, std::size_t n = 0) const {
        std::size_t seen = 0;
        for (const auto& e : posted)
            if (e.what == k && seen++ == n) return e;
        FAIL("no such event");
        return posted.front();
    }
    void run_for(std::chrono::milliseconds d) {
        run_until(
            io, [] { return false; }, d);
    }

    struct coordinator_script {
        std::int32_t epoch = 1;
        std::int32_t interval_ms = 20;
        std::optional<heartbeat_response::assignment_struct> assignment;
        std::int32_t node = 1;
        std::uint16_t port = 0; ///< of node 2, when there is one
    };

    fake_broker& fake;
    consumer_settings settings;
    coordinator_script coordinator;
    std::function<fake_reply(const fake_request&)> handler;
    std::vector<posted_event> posted;
    group_events events{[this] { record(events.take()); }};
    std::unique_ptr<cluster_client> cluster;
    std::unique_ptr<group_offsets> offsets;
    std::unique_ptr<consumer_group_membership> membership;
};

} // namespace kip848_testing
