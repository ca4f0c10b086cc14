// Subscribed consumers with group.protocol=consumer (KIP-848, ConsumerGroupHeartbeat)
// against kafkit-broker, the one test cluster that has it (librdkafka 2.0's mock does not,
// and no Debian package speaks it): members joining and leaving while a producer writes,
// every record processed once with commits in on_revoked; partitions a rebalance does not
// move consumed throughout; a static member's temporary leave; max.poll.interval.ms; and
// the clear error from a broker without the protocol.

#include "consumer_group_support.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <thread>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::topic_partition;

namespace {

constexpr std::int16_t consumer_group_heartbeat_key = 68;

/// kafkit-broker with 3 nodes telling KIP-848 members to heartbeat every 100 ms, so that a
/// reconciliation's steps (revoke, acknowledge, assign) follow each other quickly.
std::unique_ptr<kafkit::testcontainers::cluster> kip848_cluster() {
    kafkit::testcontainers::reference_cluster_options options;
    options.brokers = 3;
    options.extra_args = {"--log-level", "3", "-X", "group.consumer.heartbeat.interval.ms=100"};
    return std::make_unique<kafkit::testcontainers::reference_cluster>(options);
}

/// group_config() for group.protocol=consumer: the broker sets the session and heartbeat.
kafkit::config kip848_config(const kafkit::testcontainers::cluster& cluster, const std::string& group,
                             std::initializer_list<std::pair<std::string, std::string>> extra = {}) {
    auto cfg = group_config(cluster, group, extra);
    cfg.unset("session.timeout.ms").unset("heartbeat.interval.ms").set("group.protocol", "consumer");
    return cfg;
}

std::set<topic_partition> as_set(const std::vector<topic_partition>& partitions) {
    return {partitions.begin(), partitions.end()};
}

} // namespace

TEST_CASE("kip848: members joining and leaving while a producer writes process every record once") {
    auto cluster = kip848_cluster();
    const auto topic = new_topic(*cluster, "kip848-churn", 12);
    const auto group = group_name("kip848-churn");
    ledger book;
    writer w(*cluster, topic);

    member first(kip848_config(*cluster, group), topic, book, "first");
    REQUIRE(eventually([&] { return first.assignment().size() == 12; }, 20s));
    auto second = std::make_unique<member>(kip848_config(*cluster, group), topic, book, "second");
    REQUIRE(eventually(
        [&] {
            return split_among({&first, second.get()}, 12) && second->assignment().size() == 6;
        },
        20s));
    member third(kip848_config(*cluster, group), topic, book, "third");
    REQUIRE(eventually(
        [&] {
            return split_among({&first, second.get(), &third}, 12) && third.assignment().size() == 4;
        },
        20s));
    second->stop(); // leaves with epoch -1: the others get its partitions at once
    REQUIRE(eventually([&] { return split_among({&first, &third}, 12); }, 20s));
    CHECK(first.assignment().size() == 6);
    CHECK(second->failure() == "");

    w.stop();
    const auto written = w.written();
    REQUIRE(w.failed() == 0);
    REQUIRE(written.size() > 100);
    CHECK(eventually([&] { return missing_from(book, written) == 0; }, 20s));
    INFO("missing: " << describe_missing(book, written));
    CHECK(missing_from(book, written) == 0);
    CHECK(book.distinct() == written.size());
    CHECK(book.duplicates() == 0); // every revocation committed what was processed
    CHECK(first.losses() == 0);
    CHECK(third.losses() == 0);
    CHECK(first.failure() == "");
    CHECK(third.failure() == "");
}

TEST_CASE("kip848: partitions a rebalance does not move are consumed throughout; only the moved "
          "ones are revoked") {
    auto cluster = kip848_cluster();
    const auto topic = new_topic(*cluster, "kip848-keep", 12);
    const auto group = group_name("kip848-keep");
    ledger book;
    writer w(*cluster, topic);

    member first(kip848_config(*cluster, group), topic, book, "first");
    REQUIRE(eventually([&] { return first.assignment().size() == 12; }, 20s));
    const auto joined_at = clock_type::now();
    member second(kip848_config(*cluster, group), topic, book, "second");
    REQUIRE(eventually([&] { return split_among({&first, &second}, 12) && second.assignment().size() == 6; }, 20s));
    const auto settled_at = clock_type::now();

    // The first member gave up exactly what the second one has now, and never all it held.
    std::set<topic_partition> revoked;
    for (const auto& r : first.revocations()) revoked.insert(r.begin(), r.end());
    CHECK(revoked == as_set(second.assignment()));
    CHECK_FALSE(first.dropped_all());
    // It consumed the partitions it kept while the rebalance went on.
    const auto during = first.processed_since(joined_at);
    const auto after = first.processed_since(settled_at);
    int kept_consumed = 0;
    for (const auto& tp : first.assignment()) {
        const auto p = tp.partition.value();
        const int in_window = (during.count(p) != 0 ? during.at(p) : 0) - (after.count(p) != 0 ? after.at(p) : 0);
        kept_consumed += in_window > 0 ? 1 : 0;
    }
    CHECK(kept_consumed > 0);

    w.stop();
    const auto written = w.written();
    REQUIRE(w.failed() == 0);
    CHECK(eventually([&] { return missing_from(book, written) == 0; }, 20s));
    CHECK(book.duplicates() == 0);
    CHECK(first.failure() == "");
    CHECK(second.failure() == "");
}

TEST_CASE("kip848: a static member that closes keeps its partitions until it is back; nobody else "
          "is revoked") {
    auto cluster = kip848_cluster();
    const auto topic = new_topic(*cluster, "kip848-static", 4);
    const auto group = group_name("kip848-static");
    ledger book;
    const auto cfg = [&](const char* instance) {
        return kip848_config(*cluster, group, {{"group.instance.id", instance}});
    };
    member a(cfg("a"), topic, book, "a");
    REQUIRE(eventually([&] { return a.assignment().size() == 4; }, 20s));
    auto b = std::make_unique<member>(cfg("b"), topic, book, "b");
    REQUIRE(eventually([&] { return split_among({&a, b.get()}, 4) && b->assignment().size() == 2; }, 20s));
    const auto held_by_b = b->assignment();
    const auto revocations_of_a = a.revocations().size();
    b->stop(); // epoch -2: the coordinator keeps b's partitions for it
    CHECK(b->failure() == "");
    b.reset();
    member back(cfg("b"), topic, book, "b again");
    REQUIRE(eventually([&] { return back.assignment() == held_by_b; }, 20s));
    CHECK(a.assignment().size() == 2);
    CHECK(a.revocations().size() == revocations_of_a);
    CHECK(a.failure() == "");
    CHECK(back.failure() == "");
}

TEST_CASE("kip848: a member that does not poll within max.poll.interval.ms leaves, is told, and "
          "rejoins") {
    auto cluster = kip848_cluster();
    const auto topic = new_topic(*cluster, "kip848-slow", 4);
    kafkit::consumer slow(kip848_config(*cluster, group_name("kip848-slow"), {{"max.poll.interval.ms", "1000"}}));
    std::vector<topic_partition> lost;
    kafkit::rebalance_listener listener;
    listener.on_lost = [&](const std::vector<topic_partition>& p) { lost = p; };
    slow.subscribe({topic}, listener);
    const auto polled_into_all = [&] {
        (void)slow.poll(50ms);
        return slow.assignment().size() == 4;
    };
    REQUIRE(eventually(polled_into_all, 20s));
    std::this_thread::sleep_for(1500ms); // "processing" for longer than max.poll.interval.ms
    auto batch = slow.poll(100ms);
    bool told = false;
    for (const auto& e : batch.events()) told = told || e.error == kafkit::errc::max_poll_exceeded;
    CHECK(told);
    CHECK(lost.size() == 4);
    CHECK(eventually(polled_into_all, 20s)); // joined again
}

TEST_CASE("kip848: against a broker without the protocol, poll() throws an error that names "
          "group.protocol") {
    std::unique_ptr<kafkit::testcontainers::cluster> cluster;
    std::error_code expected;
    SUBCASE("librdkafka's mock: no ConsumerGroupHeartbeat at all") {
        cluster = start_cluster(backend::librdkafka_mock, 1);
        expected = kafkit::errc::unsupported_version;
    }
    SUBCASE("kafkit-broker answering UNSUPPORTED_VERSION") {
        cluster = start_cluster(backend::kafkit_broker, 1);
        cluster->faults().push_request_errors(consumer_group_heartbeat_key,
                                              {static_cast<std::int16_t>(kafkit::kafka_errc::unsupported_version)}, -1);
        expected = kafkit::kafka_errc::unsupported_version;
    }
    const auto topic = new_topic(*cluster, "kip848-none", 1);
    kafkit::consumer consumer(kip848_config(*cluster, group_name("kip848-none")));
    consumer.subscribe({topic});
    std::optional<kafkit::exception> thrown;
    REQUIRE(eventually(
        [&] {
            try {
                (void)consumer.poll(50ms);
            } catch (const kafkit::exception& e) {
                thrown = e;
            }
            return thrown.has_value();
        },
        20s));
    CHECK(thrown->code() == expected);
    CHECK(std::string(thrown->what()).find("group.protocol=classic") != std::string::npos);
    // Then and on every later call.
    CHECK_THROWS_AS((void)consumer.poll(10ms), kafkit::exception);
    CHECK(consumer.assignment().empty());
}
