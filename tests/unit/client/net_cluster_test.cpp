// cluster_client against fake_broker on 127.0.0.1: metadata through the bootstrap servers,
// then through the brokers it lists; topics added to the requests; refreshes when the
// answer is incomplete, when asked (coalesced) and on metadata.max.age.ms; failover and
// retry when a bootstrap server refuses; shut-down.

#include "net_test_support.hpp"

#include "config/client_settings.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "net/cluster_client.hpp"
#include "net/request.hpp"
#include "util/logger.hpp"

#include <doctest/doctest.h>

#include <asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using kafkit::errc;
using kafkit::detail::cluster_client;
using kafkit::testing::fake_broker;
using kafkit::testing::fake_reply;
using kafkit::testing::fake_request;
using kafkit::testing::metadata_key;
using kafkit::testing::net_fixture;
using kafkit::testing::run_until;
namespace protocol = kafkit::protocol;
using namespace std::chrono_literals;

namespace {

/// A listener call of cluster_client::on_connection_change.
struct connection_event {
    std::int32_t node = 0;
    bool ready = false;
};

struct cluster_fixture : net_fixture {
    ~cluster_fixture() {
        if (cluster) cluster->shut_down();
    }

    /// Creates the client with its listeners, bootstrapping from `bootstrap`, and starts it.
    cluster_client& start_cluster(std::vector<kafkit::detail::broker_address> bootstrap) {
        settings.bootstrap_servers = std::move(bootstrap);
        cluster = std::make_unique<cluster_client>(io, settings, make_logger());
        cluster->on_metadata([this] { ++metadata_events; });
        cluster->on_connection_change([this](std::int32_t node, bool ready) {
            events.push_back({node, ready});
        });
        cluster->start();
        return *cluster;
    }

    /// As above from one fake, and runs until the first metadata arrived.
    cluster_client& start_with_metadata(const fake_broker& bootstrap) {
        auto& c = start_cluster({bootstrap.address()});
        REQUIRE(run_until(io, [&] { return c.metadata().known(); }));
        return c;
    }

    /// A Metadata request whose error is recorded under `tag`.
    kafkit::detail::outbound_request metadata_request(std::string tag) {
        return kafkit::detail::make_request<protocol::metadata_request,
                                            protocol::metadata_response>(
            protocol::metadata_request{},
            [this, tag = std::move(tag)](std::error_code ec, protocol::metadata_response,
                                         std::int16_t) { outcomes[tag] = ec; });
    }

    std::vector<connection_event> events;
    std::map<std::string, std::error_code> outcomes;
    int metadata_events = 0;
    std::unique_ptr<cluster_client> cluster;
};

/// The topic names a Metadata request asked for (nullopt: all topics).
std::optional<std::vector<std::string>> topics_asked(const fake_request& r) {
    auto request = protocol::decode<protocol::metadata_request>(r.body_view(), r.api_version);
    REQUIRE(request.has_value());
    if (!request->topics) return std::nullopt;
    std::vector<std::string> names;
    for (const auto& t : *request->topics)
        names.push_back(t.name.value_or("<null>"));
    return names;
}

/// Adds `name` with `partitions` partitions led by `leader` to the fake's Metadata answer.
void add_topic(fake_broker& fake, const std::string& name, int partitions, std::int32_t leader) {
    auto& t = fake.metadata().topics.emplace_back();
    t.name = name;
    for (int i = 0; i < partitions; ++i) {
        auto& p = t.partitions.emplace_back();
        p.partition_index = i;
        p.leader_id = leader;
        p.leader_epoch = 1;
    }
}

/// Lists `node` at `where`'s port in `fake`'s Metadata answer.
void add_broker(fake_broker& fake, std::int32_t node, const fake_broker& where) {
    auto& b = fake.metadata().brokers.emplace_back();
    b.node_id = node;
    b.host = "127.0.0.1";
    b.port = where.port();
}

} // namespace

TEST_CASE_FIXTURE(
    cluster_fixture,
    "cluster_client: start() fetches metadata through a bootstrap server, then leaves it for the brokers listed") {
    auto& bootstrap = add_fake();
    auto& node2 = add_fake();
    add_broker(bootstrap, 2, node2);
    auto& c = start_cluster({bootstrap.address()});
    CHECK_FALSE(c.metadata().known());
    REQUIRE(run_until(io, [&] { return c.metadata().known(); }));
    CHECK(metadata_events == 1);
    CHECK(c.metadata().cluster_id() == "fake-cluster");
    CHECK(c.metadata().controller() == 1);
    REQUIRE(c.metadata().brokers().size() == 2);
    CHECK(c.metadata().broker(2)->port == node2.port());
    // The first request asks for no topics (an empty list, not null: that would be all).
    REQUIRE(bootstrap.count(metadata_key) == 1);
    CHECK(topics_asked(bootstrap.requests_of(metadata_key)[0]) == std::vector<std::string>{});
    // The bootstrap connection is closed once brokers are known; its events carry id -1.
    REQUIRE(run_until(io, [&] { return bootstrap.sessions_ended() == 1; }));
    REQUIRE_FALSE(events.empty());
    CHECK(events[0].node == -1);
    CHECK(events[0].ready);

    auto conn = c.connection(2);
    REQUIRE(conn != nullptr);
    CHECK(conn->node_id() == 2);
    CHECK(conn->address().port == node2.port());
    CHECK(c.connection(2) == conn); // one connection per broker
    CHECK(c.connection(99) == nullptr);
    CHECK(c.connections().size() == 1);
    conn->connect();
    REQUIRE(run_until(io, [&] { return conn->is_ready(); }));
    CHECK(events.back().node == 2);
    CHECK(events.back().ready);
}

TEST_CASE_FIXTURE(
    cluster_fixture,
    "cluster_client: add_topics asks for the topics' metadata and the cache gets their partitions") {
    auto& fake = add_fake();
    add_topic(fake, "orders", 3, 1);
    auto& c = start_with_metadata(fake);

    c.add_topics({"orders", "audit"});
    REQUIRE(run_until(io, [&] { return c.metadata().updates() == 2; }));
    const auto requests = fake.requests_of(metadata_key);
    REQUIRE(requests.size() >= 2);
    CHECK(topics_asked(requests[1]) == std::vector<std::string>{"audit", "orders"});
    const auto* orders = c.metadata().topic("orders");
    REQUIRE(orders != nullptr);
    REQUIRE(orders->partitions.size() == 3);
    CHECK(orders->partitions[2].leader == 1);
    CHECK(metadata_events == 2);
}

TEST_CASE_FIXTURE(
    cluster_fixture,
    "cluster_client: a partition without a leader makes it ask again until one is known") {
    auto& fake = add_fake();
    add_topic(fake, "orders", 2, 1);
    fake.metadata().topics[0].partitions[1].leader_id = -1;
    fake.metadata().topics[0].partitions[1].error_code =
        static_cast<std::int16_t>(kafkit::kafka_errc::leader_not_available);
    int answered = 0;
    fake.set_policy([&fake, &answered](const fake_request& r) {
        // From the third Metadata request on, partition 1 has its leader.
        if (r.api_key == metadata_key && ++answered == 3) {
            auto& p = fake.metadata().topics[0].partitions[1];
            p.leader_id = 1;
            p.error_code = 0;
        }
        return fake_reply::answer();
    });
    auto& c = start_cluster({fake.address()});
    c.add_topics({"orders"}); // while the first request is in flight: asked for next
    REQUIRE(run_until(io, [&] {
        const auto* t = c.metadata().topic("orders");
        return t != nullptr && t->partitions.size() == 2 && t->partitions[1].leader == 1;
    }));
    // The first (no topics) answer already lists the leaderless partition, then two more.
    const auto requests = fake.requests_of(metadata_key);
    REQUIRE(requests.size() == 3);
    CHECK(topics_asked(requests[0]) == std::vector<std::string>{});
    CHECK(topics_asked(requests[1]) == std::vector<std::string>{"orders"});
    CHECK(topics_asked(requests[2]) == std::vector<std::string>{"orders"});
    CHECK(c.metadata().topic("orders")->partitions[0].leader == 1);
}

TEST_CASE_FIXTURE(
    cluster_fixture,
    "cluster_client: a metadata request that fails is retried after a backoff until a broker answers") {
    auto& fake = add_fake(fake_broker::start_mode::bound_only);
    auto& c = start_cluster({fake.address()});
    REQUIRE(run_until(io, [&] { return logged("metadata request failed"); }));
    CHECK_FALSE(c.metadata().known());
    REQUIRE_FALSE(events.empty());
    CHECK(events[0].node == -1);
    CHECK_FALSE(events[0].ready);

    fake.listen();
    REQUIRE(run_until(io, [&] { return c.metadata().known(); }));
    CHECK(fake.count(metadata_key) == 1);
    CHECK(metadata_events == 1);
}

TEST_CASE_FIXTURE(cluster_fixture,
                  "cluster_client: a refused bootstrap server is skipped for the next one") {
    auto& refused = add_fake(fake_broker::start_mode::bound_only);
    auto& working = add_fake();
    auto& c = start_cluster({refused.address(), working.address()});
    REQUIRE(run_until(io, [&] { return c.metadata().known(); }));
    CHECK(working.count(metadata_key) == 1);
    CHECK(refused.sessions_accepted() == 0);
    CHECK(std::any_of(events.begin(), events.end(),
                      [](const connection_event& e) { return e.node == -1 && !e.ready; }));
    CHECK(std::any_of(events.begin(), events.end(),
                      [](const connection_event& e) { return e.node == -2 && e.ready; }));
}

TEST_CASE_FIXTURE(
    cluster_fixture,
    "cluster_client: updates asked for while a request is in flight are coalesced into one") {
    auto& fake = add_fake();
    fake.hold(metadata_key);
    auto& c = start_cluster({fake.address()});
    REQUIRE(run_until(io, [&] { return fake.held() == 1; }));
    c.request_metadata_update();
    c.request_metadata_update();
    c.request_metadata_update();
    fake.stop_holding(metadata_key);
    fake.answer_held();
    REQUIRE(run_until(io, [&] { return c.metadata().updates() == 2; }));
    CHECK(fake.count(metadata_key) == 2);
}

TEST_CASE_FIXTURE(cluster_fixture,
                  "cluster_client: metadata.max.age.ms refreshes the metadata periodically") {
    settings.metadata_max_age = 50ms;
    auto& fake = add_fake();
    auto& c = start_cluster({fake.address()});
    REQUIRE(run_until(io, [&] { return c.metadata().updates() >= 3; }));
    CHECK(fake.count(metadata_key) >= 3);
    CHECK(metadata_events >= 3);
}

TEST_CASE_FIXTURE(
    cluster_fixture,
    "cluster_client: send_to_any prefers the ready broker with the fewest requests waiting") {
    auto& node1 = add_fake();
    auto& node2 = add_fake();
    add_broker(node1, 2, node2);
    auto& c = start_with_metadata(node1);
    REQUIRE(c.metadata().brokers().size() == 2);
    auto one = c.connection(1);
    auto two = c.connection(2);
    one->connect();
    two->connect();
    REQUIRE(run_until(io, [&] { return one->is_ready() && two->is_ready(); }));

    // Node 1 now holds its Metadata requests: with one waiting there, node 2 is less loaded.
    node1.hold(metadata_key);
    one->send(metadata_request("parked"));
    REQUIRE(run_until(io, [&] { return node1.held() == 1; }));
    const auto before = node2.count(metadata_key);
    c.send_to_any(metadata_request("any"));
    REQUIRE(run_until(io, [&] { return outcomes.count("any") == 1; }));
    CHECK_FALSE(outcomes["any"]);
    CHECK(node2.count(metadata_key) == before + 1);
    CHECK(node1.held() == 1);
}

TEST_CASE_FIXTURE(cluster_fixture,
                  "cluster_client: shut_down fails requests with closed and refuses new ones") {
    auto& fake = add_fake();
    add_broker(fake, 2, fake);
    auto& c = start_with_metadata(fake);
    auto conn = c.connection(1);
    fake.hold(metadata_key);
    conn->send(metadata_request("in-flight"));
    REQUIRE(run_until(io, [&] { return fake.held() == 1; }));

    c.shut_down();
    CHECK(outcomes["in-flight"] == errc::closed);
    c.send_to_any(metadata_request("late"));
    REQUIRE(outcomes.count("late") == 1); // at once
    CHECK(outcomes["late"] == errc::closed);
    CHECK(conn->current_state() == kafkit::detail::broker_connection::state::shut_down);
    CHECK(c.metadata().broker(2) != nullptr);
    CHECK(c.connection(2) == nullptr); // known, but no new connections any more
}
