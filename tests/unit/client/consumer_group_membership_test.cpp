// The classic group membership against fake_broker on 127.0.0.1: the KIP-394 member id
// round trip, the leader's assignment over every member's subscription (from metadata
// fetched after the join), the follower's SyncGroup, heartbeats and the coordinator's errors
// (rebalance, unknown member, illegal generation, fenced instance, moved coordinator),
// LeaveGroup for dynamic and static members, and max.poll.interval.ms. The fake answers
// FindCoordinator with itself; each test answers the group APIs it is about. Everything runs
// on the test's io_context.

#include "net_test_support.hpp"

#include "config/consumer_settings.hpp"
#include "consumer/group_events.hpp"
#include "consumer/group_membership.hpp"
#include "consumer/group_offsets.hpp"
#include "group/consumer_protocol.hpp"
#include "net/cluster_client.hpp"

#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/find_coordinator.hpp"
#include "kafkit/protocol/messages/heartbeat.hpp"
#include "kafkit/protocol/messages/join_group.hpp"
#include "kafkit/protocol/messages/leave_group.hpp"
#include "kafkit/protocol/messages/sync_group.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

using kafkit::kafka_errc;
using kafkit::partition_id;
using kafkit::topic_partition;
using kafkit::detail::assignor_name;
using kafkit::detail::cluster_client;
using kafkit::detail::consumer_settings;
using kafkit::detail::group_assignment_event;
using kafkit::detail::group_event_batch;
using kafkit::detail::group_events;
using kafkit::detail::group_membership;
using kafkit::detail::group_offsets;
using kafkit::detail::member_assignment;
using kafkit::detail::member_subscription;
using kafkit::detail::rebalance_protocol;
using kafkit::testing::fake_broker;
using kafkit::testing::fake_reply;
using kafkit::testing::fake_request;
using kafkit::testing::net_fixture;
using kafkit::testing::run_until;
namespace protocol = kafkit::protocol;
using namespace std::chrono_literals;

namespace {

constexpr std::int16_t find_coordinator_key = 10;
constexpr std::int16_t join_group_key = 11;
constexpr std::int16_t heartbeat_key = 12;
constexpr std::int16_t leave_group_key = 13;
constexpr std::int16_t sync_group_key = 14;

/// `partitions` of `topic`, in that order.
std::vector<topic_partition> partitions_of(const std::string& topic, const std::vector<std::int32_t>& partitions) {
    std::vector<topic_partition> out;
    for (const auto p : partitions) out.push_back({topic, partition_id(p)});
    return out;
}

/// The request `r` carries, decoded at its version; byte fields view `r`'s body.
template <class Request> Request decoded(const fake_request& r) {
    auto request = protocol::decode<Request>(r.body_view(), r.api_version);
    REQUIRE(request.has_value());
    return std::move(*request);
}

/// `response` as the whole frame answering `r`.
template <class Response> fake_reply reply(const fake_request& r, const Response& response) {
    std::vector<std::uint8_t> out;
    REQUIRE(protocol::encode_response_frame(response, r.api_version, r.correlation_id, out).has_value());
    return fake_reply::raw(std::move(out));
}

/// A successful JoinGroup answer for `member` in `generation`, led by `leader`, range chosen.
protocol::join_group_response joined(std::int32_t generation, const std::string& member, const std::string& leader) {
    protocol::join_group_response response;
    response.generation_id = generation;
    response.protocol_type = "consumer";
    response.protocol_name = "range";
    response.member_id = member;
    response.leader = leader;
    return response;
}

/// A JoinGroup answer with only `error` (and the member id KIP-394 hands out).
fake_reply join_error(const fake_request& r, kafka_errc error, const std::string& member_id = "") {
    protocol::join_group_response response;
    response.error_code = static_cast<std::int16_t>(error);
    response.member_id = member_id;
    return reply(r, response);
}

/// A SyncGroup answer: `error`, or `partitions` as the consumer protocol's assignment.
fake_reply sync_answer(const fake_request& r, std::int16_t error, const std::vector<topic_partition>& partitions) {
    protocol::sync_group_response response;
    response.error_code = error;
    std::vector<std::uint8_t> bytes;
    if (error == 0) {
        auto encoded = kafkit::detail::encode_assignment(member_assignment{partitions, {}});
        REQUIRE(encoded.has_value());
        bytes = std::move(*encoded);
    }
    response.assignment = protocol::bytes_view(bytes.data(), bytes.size());
    if (r.api_version >= 5) {
        response.protocol_type = "consumer";
        response.protocol_name = "range";
    }
    return reply(r, response);
}

fake_reply heartbeat_answer(const fake_request& r, std::int16_t error) {
    protocol::heartbeat_response response;
    response.error_code = error;
    return reply(r, response);
}

/// LeaveGroup answered for every member it names.
fake_reply leave_answer(const fake_request& r) {
    protocol::leave_group_response response;
    if (r.api_version >= 3) {
        const auto request = decoded<protocol::leave_group_request>(r);
        for (const auto& m : request.members) {
            auto& out = response.members.emplace_back();
            out.member_id = m.member_id;
            out.group_instance_id = m.group_instance_id;
        }
    }
    return reply(r, response);
}

/// What the membership posted to group_events, one post each.
struct posted_event {
    enum class kind { rejoin, assigned, poll_exceeded, fail };
    kind what = kind::rejoin;
    bool lost = false;     ///< rejoin
    std::error_code error; ///< fail
    group_assignment_event assignment;
};

/// A membership of group "g" subscribed to "t" (4 partitions led by the fake, node 1), its
/// cluster client and coordinator lookup, built by start() once a test has set `settings`.
/// By default the fake answers every group request with success: this member "m-1" joins
/// generation 1 as a follower of "m-0" and is assigned t-0. `handlers` replace that per API.
struct membership_fixture : net_fixture {
    membership_fixture() : fake(add_fake()) {
        fake.advertise(find_coordinator_key, {0, 4});
        fake.advertise(join_group_key, {0, 9});
        fake.advertise(heartbeat_key, {0, 4});
        fake.advertise(leave_group_key, {0, 5});
        fake.advertise(sync_group_key, {0, 5});
        set_partitions("t", 4);
        set_partitions("a", 2);
        set_partitions("b", 1);
        settings.client = net_fixture::settings;
        settings.client.bootstrap_servers = {fake.address()};
        settings.group_id = "g";
        settings.session_timeout = 10s;
        settings.heartbeat_interval = 50ms;
        settings.max_poll_interval = 30s;
        fake.set_policy([this](const fake_request& r) { return dispatch(r); });
    }
    ~membership_fixture() {
        // As the consumer closes: the membership and the lookup stop, the client shuts down,
        // then what that queued runs while all of them still exist.
        handlers.clear();
        if (membership) membership->stop();
        if (offsets) offsets->stop();
        if (cluster) cluster->shut_down();
        for (auto& f : fakes) f->stop();
        io.restart();
        io.run_for(std::chrono::seconds(2));
    }
    membership_fixture(const membership_fixture&) = delete;
    membership_fixture& operator=(const membership_fixture&) = delete;

    /// The fake's metadata lists `topic` with `count` partitions, all led by node 1.
    void set_partitions(const std::string& topic, int count) {
        auto& topics = fake.metadata().topics;
        auto it = std::find_if(topics.begin(), topics.end(), [&](const auto& t) { return t.name == topic; });
        if (it == topics.end()) {
            it = topics.emplace(topics.end());
            it->name = topic;
        }
        it->partitions.clear();
        for (int i = 0; i < count; ++i) {
            auto& p = it->partitions.emplace_back();
            p.partition_index = i;
            p.leader_id = 1;
            p.leader_epoch = 0;
        }
    }

    /// Builds the client, the coordinator lookup and the membership from `settings`, waits
    /// until the subscription's topics are in the metadata, then joins (owning nothing).
    void start(std::vector<std::string> topics = {"t"}) {
        cluster = std::make_unique<cluster_client>(io, settings.client, make_logger());
        offsets = std::make_unique<group_offsets>(io, settings, *cluster, make_logger());
        membership = std::make_unique<group_membership>(io, settings, *cluster, *offsets, events, make_logger());
        cluster->start();
        REQUIRE(run_until(io, [&] { return cluster->metadata().known(); }));
        const auto before = cluster->metadata().updates();
        membership->set_subscription(kafkit::detail::topic_subscription(topics));
        REQUIRE(run_until(io, [&] { return cluster->metadata().updates() > before; }));
        membership->join({}, -1);
    }

    /// start(), then waits for the assignment.
    void start_stable() {
        start();
        REQUIRE(run_until(io, [&] { return count(posted_event::kind::assigned) == 1; }));
    }

    fake_reply dispatch(const fake_request& r) {
        if (auto it = handlers.find(r.api_key); it != handlers.end()) return it->second(r);
        switch (r.api_key) {
        case find_coordinator_key: return coordinator_answer(r);
        case join_group_key: return reply(r, joined(1, "m-1", "m-0"));
        case sync_group_key: return sync_answer(r, 0, partitions_of("t", {0}));
        case heartbeat_key: return heartbeat_answer(r, 0);
        case leave_group_key: return leave_answer(r);
        case kafkit::testing::metadata_key: return hold_metadata ? fake_reply::hold() : fake_reply::answer();
        default: return fake_reply::answer();
        }
    }

    /// FindCoordinator: the fake itself (node 1) coordinates the group.
    fake_reply coordinator_answer(const fake_request& r) const {
        protocol::find_coordinator_response response;
        if (r.api_version >= 4) {
            auto& c = response.coordinators.emplace_back();
            c.key = "g";
            c.node_id = 1;
            c.host = "127.0.0.1";
            c.port = fake.port();
        } else {
            response.node_id = 1;
            response.host = "127.0.0.1";
            response.port = fake.port();
        }
        return reply(r, response);
    }

    void record(const group_event_batch& b) {
        if (b.fatal) posted.push_back({posted_event::kind::fail, false, b.fatal, {}});
        if (b.poll_exceeded) posted.push_back({posted_event::kind::poll_exceeded, false, {}, {}});
        if (b.assignment) posted.push_back({posted_event::kind::assigned, false, {}, *b.assignment});
        if (b.rejoin) posted.push_back({posted_event::kind::rejoin, b.lost, {}, {}});
    }

    [[nodiscard]] std::size_t count(posted_event::kind k) const {
        return static_cast<std::size_t>(
            std::count_if(posted.begin(), posted.end(), [k](const posted_event& e) { return e.what == k; }));
    }
    /// The first event of kind `k`; REQUIREs one.
    [[nodiscard]] const posted_event& first(posted_event::kind k) const {
        const auto it = std::find_if(posted.begin(), posted.end(), [k](const posted_event& e) { return e.what == k; });
        REQUIRE(it != posted.end());
        return *it;
    }
    /// Index of the first event of kind `k` in `posted`, or posted.size().
    [[nodiscard]] std::size_t index_of(posted_event::kind k) const {
        return static_cast<std::size_t>(
            std::find_if(posted.begin(), posted.end(), [k](const posted_event& e) { return e.what == k; }) -
            posted.begin());
    }

    /// Runs the loop for `d` (only for checking that something does not happen).
    void run_for(std::chrono::milliseconds d) { run_until(io, [] { return false; }, d); }

    fake_broker& fake;
    consumer_settings settings;
    std::map<std::int16_t, fake_broker::policy> handlers;
    bool hold_metadata = false;
    std::vector<posted_event> posted;
    int leave_done = 0; ///< how often a leave()'s `done` ran (a member: it may run at teardown)
    group_events events{[this] { record(events.take()); }};
    std::unique_ptr<cluster_client> cluster;
    std::unique_ptr<group_offsets> offsets;
    std::unique_ptr<group_membership> membership;
};

using kind = posted_event::kind;

} // namespace

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: a new member joins with an empty member id, then with the one "
                  "MEMBER_ID_REQUIRED gave (KIP-394), announcing its timeouts, assignors and topics") {
    settings.partition_assignment_strategy = {assignor_name::cooperative_sticky, assignor_name::range,
                                              assignor_name::roundrobin};
    handlers[join_group_key] = [this](const fake_request& r) {
        if (fake.count(join_group_key) == 1) return join_error(r, kafka_errc::member_id_required, "m-1");
        return reply(r, joined(1, "m-1", "m-0"));
    };
    start({"b", "a", "b"});
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));

    const auto joins = fake.requests_of(join_group_key);
    REQUIRE(joins.size() == 2);
    CHECK(joins[0].api_version >= 4); // MEMBER_ID_REQUIRED exists from v4
    const auto first_join = decoded<protocol::join_group_request>(joins[0]);
    const auto second_join = decoded<protocol::join_group_request>(joins[1]);
    CHECK(first_join.member_id.empty());
    CHECK(second_join.member_id == "m-1");
    for (const auto* j : {&first_join, &second_join}) {
        CHECK(j->group_id == "g");
        CHECK(j->session_timeout_ms == 10000);
        CHECK(j->rebalance_timeout_ms == 30000); // max.poll.interval.ms
        CHECK(j->protocol_type == "consumer");
        std::vector<std::string> names;
        for (const auto& p : j->protocols) {
            names.push_back(p.name);
            const auto s = kafkit::detail::decode_subscription(p.metadata);
            REQUIRE(s.has_value());
            CHECK(s->topics == std::vector<std::string>{"a", "b"}); // sorted, once each
            CHECK(s->owned_partitions.empty());
            CHECK(s->generation_id == -1);
        }
        CHECK(names == std::vector<std::string>{"cooperative-sticky", "range", "roundrobin"});
    }
    // The coordinator was looked up once; nothing but the assignment was posted.
    CHECK(fake.count(find_coordinator_key) == 1);
    REQUIRE(posted.size() == 1);
    CHECK(posted[0].assignment.who.member_id == "m-1");
    CHECK(posted[0].assignment.who.generation == 1);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: the leader assigns every member's partitions from metadata fetched "
                  "after the join, and gets its own in SyncGroup") {
    set_partitions("t", 2);
    member_subscription other;
    other.topics = {"t"};
    const auto other_bytes = kafkit::detail::encode_subscription(other);
    REQUIRE(other_bytes.has_value());
    handlers[join_group_key] = [&](const fake_request& r) {
        const auto request = decoded<protocol::join_group_request>(r);
        const auto own = std::find_if(request.protocols.begin(), request.protocols.end(),
                                      [](const auto& p) { return p.name == "range"; });
        REQUIRE(own != request.protocols.end());
        auto response = joined(5, "m-1", "m-1");
        auto& self = response.members.emplace_back();
        self.member_id = "m-1";
        self.metadata = own->metadata;
        auto& peer = response.members.emplace_back();
        peer.member_id = "m-2";
        peer.metadata = protocol::bytes_view(other_bytes->data(), other_bytes->size());
        // From now on Metadata waits, and the topic has grown: the assignment must be made
        // from an answer that comes after this join.
        hold_metadata = true;
        set_partitions("t", 6);
        return reply(r, response);
    };
    handlers[sync_group_key] = [](const fake_request& r) {
        const auto request = decoded<protocol::sync_group_request>(r);
        protocol::sync_group_response response;
        for (const auto& a : request.assignments)
            if (a.member_id == "m-1") response.assignment = a.assignment; // views r's body
        if (r.api_version >= 5) {
            response.protocol_type = "consumer";
            response.protocol_name = "range";
        }
        return reply(r, response);
    };
    start();
    REQUIRE(run_until(io, [&] { return fake.count(join_group_key) == 1 && fake.held() >= 1; }));
    run_for(200ms);
    CHECK(fake.count(sync_group_key) == 0); // waiting for the metadata
    CHECK(posted.empty());

    hold_metadata = false;
    fake.answer_held();
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));

    const auto syncs = fake.requests_of(sync_group_key);
    REQUIRE(syncs.size() == 1);
    const auto sync = decoded<protocol::sync_group_request>(syncs[0]);
    CHECK(sync.group_id == "g");
    CHECK(sync.generation_id == 5);
    CHECK(sync.member_id == "m-1");
    if (syncs[0].api_version >= 5) {
        CHECK(sync.protocol_type == "consumer");
        CHECK(sync.protocol_name == "range");
    }
    REQUIRE(sync.assignments.size() == 2);
    std::map<std::string, std::vector<topic_partition>> by_member;
    std::vector<topic_partition> all;
    for (const auto& a : sync.assignments) {
        const auto assignment = kafkit::detail::decode_assignment(a.assignment);
        REQUIRE(assignment.has_value());
        by_member[a.member_id] = assignment->partitions;
        all.insert(all.end(), assignment->partitions.begin(), assignment->partitions.end());
    }
    std::sort(all.begin(), all.end());
    CHECK(all == partitions_of("t", {0, 1, 2, 3, 4, 5})); // each of the 6 exactly once
    CHECK(by_member["m-1"] == partitions_of("t", {0, 1, 2})); // range: in member id order
    CHECK(by_member["m-2"] == partitions_of("t", {3, 4, 5}));

    const auto& assigned = first(kind::assigned).assignment;
    CHECK(assigned.who.generation == 5);
    CHECK(assigned.who.member_id == "m-1");
    CHECK(assigned.partitions == partitions_of("t", {0, 1, 2}));
    CHECK(assigned.protocol == rebalance_protocol::eager);
    CHECK(posted.size() == 1);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: a follower sends SyncGroup without assignments and is assigned what "
                  "the answer carries") {
    handlers[join_group_key] = [](const fake_request& r) { return reply(r, joined(3, "m-1", "m-0")); };
    handlers[sync_group_key] = [](const fake_request& r) { return sync_answer(r, 0, partitions_of("t", {1, 3})); };
    start_stable();

    const auto syncs = fake.requests_of(sync_group_key);
    REQUIRE(syncs.size() == 1);
    const auto sync = decoded<protocol::sync_group_request>(syncs[0]);
    CHECK(sync.group_id == "g");
    CHECK(sync.generation_id == 3);
    CHECK(sync.member_id == "m-1");
    CHECK(sync.assignments.empty());

    const auto& assigned = first(kind::assigned).assignment;
    CHECK(assigned.who.generation == 3);
    CHECK(assigned.who.member_id == "m-1");
    CHECK(assigned.partitions == partitions_of("t", {1, 3}));
    CHECK(posted.size() == 1);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: heartbeats go out on heartbeat.interval.ms; REBALANCE_IN_PROGRESS asks "
                  "once for a rejoin that keeps the partitions, and heartbeats go on") {
    std::vector<std::chrono::steady_clock::time_point> beats;
    std::int16_t beat_error = 0;
    handlers[join_group_key] = [](const fake_request& r) { return reply(r, joined(7, "m-1", "m-0")); };
    handlers[heartbeat_key] = [&](const fake_request& r) {
        beats.push_back(std::chrono::steady_clock::now());
        return heartbeat_answer(r, beat_error);
    };
    start_stable();
    REQUIRE(run_until(io, [&] { return beats.size() >= 3; }));
    for (const auto& r : fake.requests_of(heartbeat_key)) {
        const auto beat = decoded<protocol::heartbeat_request>(r);
        CHECK(beat.group_id == "g");
        CHECK(beat.generation_id == 7);
        CHECK(beat.member_id == "m-1");
    }
    // The next one is sent heartbeat.interval.ms after the previous one's answer (a timer
    // never fires early; a little slack for clock granularity).
    for (std::size_t i = 1; i < beats.size(); ++i) CHECK(beats[i] - beats[i - 1] >= 45ms);
    CHECK(posted.size() == 1); // the assignment only

    beat_error = static_cast<std::int16_t>(kafka_errc::rebalance_in_progress);
    REQUIRE(run_until(io, [&] { return count(kind::rejoin) == 1; }));
    CHECK_FALSE(first(kind::rejoin).lost);
    const auto asked_at = beats.size();
    REQUIRE(run_until(io, [&] { return beats.size() >= asked_at + 3; }));
    CHECK(count(kind::rejoin) == 1); // asked once, while the application has not rejoined

    // The application rejoins holding its partitions: same member, what it owns announced.
    membership->join(partitions_of("t", {0}), 7);
    REQUIRE(run_until(io, [&] { return fake.count(join_group_key) == 2; }));
    const auto joins = fake.requests_of(join_group_key);
    const auto rejoin = decoded<protocol::join_group_request>(joins[1]);
    CHECK(rejoin.member_id == "m-1");
    REQUIRE_FALSE(rejoin.protocols.empty());
    const auto s = kafkit::detail::decode_subscription(rejoin.protocols[0].metadata);
    REQUIRE(s.has_value());
    CHECK(s->owned_partitions == partitions_of("t", {0}));
    CHECK(s->generation_id == 7);
    CHECK(count(kind::fail) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: UNKNOWN_MEMBER_ID on Heartbeat loses the partitions, stops heartbeats "
                  "and rejoins with an empty member id") {
    handlers[heartbeat_key] = [](const fake_request& r) {
        return heartbeat_answer(r, static_cast<std::int16_t>(kafka_errc::unknown_member_id));
    };
    start_stable();
    REQUIRE(run_until(io, [&] { return count(kind::rejoin) == 1; }));
    CHECK(first(kind::rejoin).lost);
    CHECK(fake.count(heartbeat_key) == 1);
    run_for(300ms);
    CHECK(fake.count(heartbeat_key) == 1); // the generation is gone

    membership->join({}, -1);
    REQUIRE(run_until(io, [&] { return fake.count(join_group_key) == 2; }));
    const auto joins = fake.requests_of(join_group_key);
    CHECK(decoded<protocol::join_group_request>(joins[1]).member_id.empty());
    CHECK(count(kind::fail) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: ILLEGAL_GENERATION on Heartbeat loses the partitions and rejoins "
                  "with the same member id") {
    handlers[heartbeat_key] = [](const fake_request& r) {
        return heartbeat_answer(r, static_cast<std::int16_t>(kafka_errc::illegal_generation));
    };
    start_stable();
    REQUIRE(run_until(io, [&] { return count(kind::rejoin) == 1; }));
    CHECK(first(kind::rejoin).lost);

    membership->join({}, -1);
    REQUIRE(run_until(io, [&] { return fake.count(join_group_key) == 2; }));
    const auto joins = fake.requests_of(join_group_key);
    CHECK(decoded<protocol::join_group_request>(joins[1]).member_id == "m-1");
    CHECK(count(kind::fail) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: a static member's JoinGroup carries group.instance.id, and "
                  "FENCED_INSTANCE_ID on it is fatal") {
    settings.group_instance_id = "inst-1";
    handlers[join_group_key] = [](const fake_request& r) { return join_error(r, kafka_errc::fenced_instance_id); };
    start();
    REQUIRE(run_until(io, [&] { return count(kind::fail) == 1; }));
    CHECK(first(kind::fail).error == kafka_errc::fenced_instance_id);

    const auto joins = fake.requests_of(join_group_key);
    REQUIRE(joins.size() == 1);
    CHECK(joins[0].api_version >= 5);
    CHECK(decoded<protocol::join_group_request>(joins[0]).group_instance_id == std::optional<std::string>("inst-1"));
    run_for(300ms);
    CHECK(fake.count(join_group_key) == 1); // not retried
    CHECK(count(kind::rejoin) == 0);
    CHECK(count(kind::assigned) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: FENCED_INSTANCE_ID on Heartbeat is fatal and stops heartbeats") {
    settings.group_instance_id = "inst-1";
    handlers[heartbeat_key] = [](const fake_request& r) {
        return heartbeat_answer(r, static_cast<std::int16_t>(kafka_errc::fenced_instance_id));
    };
    start_stable();
    REQUIRE(run_until(io, [&] { return count(kind::fail) == 1; }));
    CHECK(first(kind::fail).error == kafka_errc::fenced_instance_id);
    const auto beats = fake.requests_of(heartbeat_key);
    REQUIRE(beats.size() == 1);
    CHECK(beats[0].api_version >= 3);
    CHECK(decoded<protocol::heartbeat_request>(beats[0]).group_instance_id == std::optional<std::string>("inst-1"));
    run_for(300ms);
    CHECK(fake.count(heartbeat_key) == 1);
    CHECK(count(kind::rejoin) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: NOT_COORDINATOR on JoinGroup looks the coordinator up again and "
                  "retries the join") {
    handlers[join_group_key] = [this](const fake_request& r) {
        if (fake.count(join_group_key) == 1) return join_error(r, kafka_errc::not_coordinator);
        return reply(r, joined(1, "m-1", "m-0"));
    };
    start_stable();

    std::vector<std::int16_t> order;
    for (const auto& r : fake.requests())
        if (r.api_key == find_coordinator_key || r.api_key == join_group_key) order.push_back(r.api_key);
    CHECK(order == std::vector<std::int16_t>{find_coordinator_key, join_group_key, find_coordinator_key,
                                             join_group_key});
    for (const auto& r : fake.requests_of(find_coordinator_key)) {
        const auto find = decoded<protocol::find_coordinator_request>(r);
        CHECK(find.key_type == 0);
        if (r.api_version >= 4) CHECK(find.coordinator_keys == std::vector<std::string>{"g"});
        else CHECK(find.key == "g");
    }
    CHECK(count(kind::rejoin) == 0);
    CHECK(count(kind::fail) == 0);
    CHECK(posted.size() == 1);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: REBALANCE_IN_PROGRESS on SyncGroup sends JoinGroup again without "
                  "asking the application") {
    handlers[join_group_key] = [this](const fake_request& r) {
        const auto generation = static_cast<std::int32_t>(fake.count(join_group_key));
        return reply(r, joined(generation, "m-1", "m-0"));
    };
    handlers[sync_group_key] = [this](const fake_request& r) {
        if (fake.count(sync_group_key) == 1)
            return sync_answer(r, static_cast<std::int16_t>(kafka_errc::rebalance_in_progress), {});
        return sync_answer(r, 0, partitions_of("t", {2}));
    };
    start_stable();

    const auto joins = fake.requests_of(join_group_key);
    REQUIRE(joins.size() == 2);
    CHECK(decoded<protocol::join_group_request>(joins[1]).member_id == "m-1");
    const auto syncs = fake.requests_of(sync_group_key);
    REQUIRE(syncs.size() == 2);
    CHECK(decoded<protocol::sync_group_request>(syncs[0]).generation_id == 1);
    CHECK(decoded<protocol::sync_group_request>(syncs[1]).generation_id == 2);
    REQUIRE(posted.size() == 1); // no rejoin asked of the application
    CHECK(posted[0].what == kind::assigned);
    CHECK(posted[0].assignment.who.generation == 2);
    CHECK(posted[0].assignment.partitions == partitions_of("t", {2}));
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: leave() of a dynamic member sends LeaveGroup with its member id and "
                  "runs done once answered") {
    int done_when_asked = -1;
    handlers[leave_group_key] = [&](const fake_request& r) {
        done_when_asked = leave_done;
        return leave_answer(r);
    };
    start_stable();
    membership->leave("closing", [this] { ++leave_done; });
    CHECK(leave_done == 0);
    REQUIRE(run_until(io, [&] { return leave_done == 1; }));
    CHECK(done_when_asked == 0); // not before the coordinator had the request

    const auto leaves = fake.requests_of(leave_group_key);
    REQUIRE(leaves.size() == 1);
    CHECK(leaves[0].api_version >= 3);
    const auto leave = decoded<protocol::leave_group_request>(leaves[0]);
    CHECK(leave.group_id == "g");
    REQUIRE(leave.members.size() == 1);
    CHECK(leave.members[0].member_id == "m-1");
    if (leaves[0].api_version >= 5) CHECK(leave.members[0].reason == std::optional<std::string>("closing"));

    run_for(100ms); // a heartbeat already on its way may still land
    const auto beats = fake.count(heartbeat_key);
    run_for(300ms);
    CHECK(fake.count(heartbeat_key) == beats); // no heartbeats after leaving
    CHECK(count(kind::rejoin) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: leave() of a dynamic member does not run done while LeaveGroup is "
                  "unanswered") {
    handlers[leave_group_key] = [](const fake_request&) { return fake_reply::hold(); };
    start_stable();
    membership->leave("closing", [this] { ++leave_done; });
    REQUIRE(run_until(io, [&] { return fake.count(leave_group_key) == 1; }));
    run_for(300ms);
    CHECK(leave_done == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: leave() of a static member sends no LeaveGroup and runs done at once") {
    settings.group_instance_id = "inst-1";
    start_stable();
    membership->leave("closing", [this] { ++leave_done; });
    CHECK(leave_done == 1); // inside leave()
    run_for(300ms);
    CHECK(fake.count(leave_group_key) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: without poll() for max.poll.interval.ms the member leaves the group "
                  "and posts poll_exceeded and a rejoin that loses the partitions") {
    settings.max_poll_interval = 300ms;
    start_stable(); // note_poll() is never called
    REQUIRE(run_until(io, [&] { return count(kind::poll_exceeded) == 1; }));
    REQUIRE(count(kind::rejoin) == 1);
    CHECK(first(kind::rejoin).lost);
    CHECK(index_of(kind::poll_exceeded) < index_of(kind::rejoin));

    REQUIRE(run_until(io, [&] { return fake.count(leave_group_key) == 1; }));
    const auto leaves = fake.requests_of(leave_group_key);
    const auto leave = decoded<protocol::leave_group_request>(leaves[0]);
    REQUIRE(leave.members.size() == 1);
    CHECK(leave.members[0].member_id == "m-1");
    const auto joins = fake.requests_of(join_group_key);
    CHECK(decoded<protocol::join_group_request>(joins[0]).rebalance_timeout_ms == 300);

    run_for(100ms); // a heartbeat already on its way may still land
    const auto beats = fake.count(heartbeat_key);
    run_for(300ms);
    CHECK(fake.count(heartbeat_key) == beats);

    // Having left, a dynamic member joins as a new one.
    membership->note_poll(true);
    membership->join({}, -1);
    REQUIRE(run_until(io, [&] { return fake.count(join_group_key) == 2; }));
    const auto again = fake.requests_of(join_group_key);
    CHECK(decoded<protocol::join_group_request>(again[1]).member_id.empty());
    CHECK(count(kind::fail) == 0);
}

TEST_CASE_FIXTURE(membership_fixture,
                  "group_membership: inside poll() the member stays in the group past max.poll.interval.ms") {
    settings.max_poll_interval = 300ms;
    start();
    membership->note_poll(true); // before the first heartbeat: the loop has not run since join()
    REQUIRE(run_until(io, [&] { return count(kind::assigned) == 1; }));
    const auto from = fake.count(heartbeat_key);
    // 16 more heartbeats are at least 15 intervals (750 ms) apart: past max.poll.interval.ms.
    REQUIRE(run_until(io, [&] { return fake.count(heartbeat_key) >= from + 16; }));
    CHECK(fake.count(leave_group_key) == 0);
    CHECK(count(kind::poll_exceeded) == 0);
    CHECK(count(kind::rejoin) == 0);
    for (const auto& r : fake.requests_of(heartbeat_key))
        CHECK(decoded<protocol::heartbeat_request>(r).generation_id == 1);
}
