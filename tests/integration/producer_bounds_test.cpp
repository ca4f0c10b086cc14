// The producer's bounds while every broker is down: buffer.memory with max.block.ms,
// resident memory, delivery.timeout.ms, flush and close timeouts, purge; and that what was
// accepted is delivered once the brokers are back.

#include "producer_test_support.hpp"

#include "kafkit/protocol/error.hpp"
#include "kafkit/testcontainers/faults.hpp"

#include <doctest/doctest.h>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::errc;
using kafkit::testcontainers::node_state;
using clock_type = std::chrono::steady_clock;

namespace {

std::chrono::milliseconds since(clock_type::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - start);
}

kafkit::producer_record unkeyed(const std::string& topic, const std::string& value) {
    kafkit::producer_record record;
    record.topic = topic;
    record.value = value;
    return record;
}

/// One run of a test (each backend in turn): the cluster, a topic of three partitions, the
/// log of `records` outcomes, and a producer whose topic metadata is known (one record
/// delivered), so later records go straight into partition batches.
struct bounds_run {
    bounds_run(const std::string& prefix, std::size_t records,
               std::initializer_list<std::pair<std::string, std::string>> extra)
        : cluster(each_backend()), topic(new_topic(*cluster, prefix, 3)), log(records),
          producer(producer_config(*cluster, extra)) {
        auto delivered = producer.send(unkeyed(topic, "warm-up"));
        REQUIRE(delivered.wait_for(10s) == std::future_status::ready);
        REQUIRE(delivered.get().offset.value() == 0);
        // The future is ready a moment before the record stops counting as outstanding.
        REQUIRE_FALSE(producer.flush(10s));
    }

    void set_all_nodes(node_state state) {
        for (const auto& n : cluster->nodes())
            cluster->faults().set_node_state(n.id, state);
    }

    /// Sends numbered records [from, to) with their callbacks in `log`; all must be accepted.
    void send_numbered(std::size_t from, std::size_t to) {
        for (auto n = from; n < to; ++n)
            REQUIRE_FALSE(producer.send(unkeyed(topic, numbered_value(n)), log.callback(n)));
    }

    /// How many copies of each numbered record the topic holds.
    std::vector<int> copies_read() {
        std::vector<int> copies(log.outcomes().size(), 0);
        for (const auto& [p, records] :
             read_topic(cluster->bootstrap_servers(), topic).by_partition)
            for (const auto& r : records)
                if (auto n = number_of(r.value)) ++copies.at(*n);
        return copies;
    }

    std::unique_ptr<kafkit::testcontainers::cluster> cluster;
    std::string topic;
    delivery_log log; // before the producer, which may still call back while it closes
    kafkit::producer producer;
};

} // namespace

TEST_CASE("producer bounds: with every broker down, buffer.memory holds, send waits max.block.ms "
          "then fails with queue_full, and what was accepted is delivered once they are back") {
    constexpr std::int64_t buffer_memory = 1 << 20;
    constexpr std::size_t most = 4096; // far more records than fit
    bounds_run run("bounded", most,
                   {{"buffer.memory", std::to_string(buffer_memory)},
                    {"max.block.ms", "300"},
                    {"linger.ms", "1"}});
    INFO("backend: " << run.cluster->backend());
    run.set_all_nodes(node_state::down);

    // Fill the buffer: every send is accepted at once until buffer.memory is used up.
    std::size_t accepted = 0;
    std::error_code refused;
    std::chrono::milliseconds blocked{};
    std::string value;
    for (; accepted < most; ++accepted) {
        value = numbered_value(accepted, 1000);
        const auto start = clock_type::now();
        refused = run.producer.send(unkeyed(run.topic, value), run.log.callback(accepted));
        blocked = since(start);
        if (refused) break;
    }
    CHECK(refused == errc::queue_full);
    CHECK(blocked >= 290ms); // it waited max.block.ms for room...
    CHECK(blocked < 2000ms); // ...and not much longer
    const auto per_record = static_cast<std::int64_t>(value.size());
    CHECK(static_cast<std::int64_t>(accepted) * per_record <= buffer_memory);
    CHECK(static_cast<std::int64_t>(accepted + 2) * (per_record + 64) > buffer_memory); // full
    CHECK(run.log.completed() == 0);
    CHECK(run.producer.in_flight_count() == accepted);

    // The brokers come back: every accepted record is delivered, once, and nothing else.
    run.set_all_nodes(node_state::up);
    CHECK_FALSE(run.producer.flush(30s));
    const auto outcomes = run.log.outcomes();
    const auto copies = run.copies_read();
    for (std::size_t n = 0; n < most; ++n) {
        INFO("record " << n << ": " << outcomes[n].error.message());
        CHECK(outcomes[n].calls == (n < accepted ? 1 : 0));
        CHECK_FALSE(outcomes[n].error);
        CHECK(copies[n] == (n < accepted ? 1 : 0));
    }
}

TEST_CASE("producer bounds: with max.block.ms=0 a full buffer refuses records at once, and "
          "resident memory stays bounded") {
    bounds_run run("no-wait", 0, {{"buffer.memory", "65536"}, {"max.block.ms", "0"}});
    INFO("backend: " << run.cluster->backend());
    run.set_all_nodes(node_state::down);
    const auto value = std::string(1000, 'v');
    const auto rss_before = resident_kib();
    std::size_t accepted = 0;
    std::error_code refused;
    while (!(refused = run.producer.send(unkeyed(run.topic, value), {})) && accepted < 1000)
        ++accepted;
    CHECK(refused == errc::queue_full);
    CHECK(accepted > 0);
    CHECK(accepted < 66);
    const auto start = clock_type::now();
    CHECK(run.producer.send(unkeyed(run.topic, value), {}) == errc::queue_full);
    CHECK(since(start) < 50ms);
    CHECK(run.producer.in_flight_count() == accepted);

    // 100,000 refused records (100 MB) leave no trace in resident memory.
    std::size_t refusals = 0;
    for (int i = 0; i < 100'000; ++i)
        refusals += run.producer.send(unkeyed(run.topic, value), {}) == errc::queue_full;
    CHECK(refusals == 100'000);
    const auto rss_after = resident_kib();
    INFO("VmRSS " << rss_before << " KiB before, " << rss_after << " KiB after");
    CHECK(rss_after - rss_before < 8 * 1024);
    CHECK(run.producer.in_flight_count() == accepted);
    run.set_all_nodes(node_state::up);
    CHECK_FALSE(run.producer.flush(30s));
    CHECK(run.producer.in_flight_count() == 0);
}

TEST_CASE("producer timeouts: records to a down cluster fail with timed_out after "
          "delivery.timeout.ms; flush(timeout) returns timed_out and keeps them") {
    constexpr std::size_t count = 50;
    bounds_run run(
        "timeouts", count,
        {{"delivery.timeout.ms", "1500"}, {"request.timeout.ms", "1000"}, {"linger.ms", "5"}});
    INFO("backend: " << run.cluster->backend());
    run.set_all_nodes(node_state::down);
    const auto start = clock_type::now();
    run.send_numbered(0, count);

    // flush gives up at its own timeout and leaves the records queued.
    const auto flush_start = clock_type::now();
    CHECK(run.producer.flush(200ms) == errc::timed_out);
    CHECK(since(flush_start) >= 190ms);
    CHECK(since(flush_start) < 1000ms);
    CHECK(run.producer.in_flight_count() == count);
    CHECK(run.log.completed() == 0);

    // delivery.timeout.ms fails each of them, once, with timed_out, within a bound.
    REQUIRE(run.log.wait_all(5s));
    const auto elapsed = since(start);
    CHECK(elapsed >= 1400ms);
    CHECK(elapsed < 4000ms);
    for (const auto& o : run.log.outcomes()) {
        CHECK(o.calls == 1);
        CHECK(o.error == errc::timed_out);
    }
    CHECK_FALSE(run.producer.flush(1s)); // callbacks run a moment before the count drops
    CHECK(run.producer.in_flight_count() == 0);
    run.set_all_nodes(node_state::up);
}

TEST_CASE("producer timeouts: close(timeout) fails what is left with closed") {
    constexpr std::size_t count = 30;
    bounds_run run("closing", count, {});
    INFO("backend: " << run.cluster->backend());
    run.set_all_nodes(node_state::down);
    run.send_numbered(0, count);
    const auto start = clock_type::now();
    CHECK(run.producer.close(300ms) == errc::timed_out);
    CHECK(since(start) < 3000ms);
    CHECK(run.log.completed() == count); // close() returns after every outcome
    for (const auto& o : run.log.outcomes()) {
        CHECK(o.calls == 1);
        CHECK(o.error == errc::closed);
    }
    CHECK(run.producer.send(unkeyed(run.topic, "late"), {}) == errc::closed);
    run.set_all_nodes(node_state::up);
}

TEST_CASE("producer timeouts: purge fails queued records with purged, and later ones are "
          "delivered") {
    constexpr std::size_t count = 40;
    bounds_run run("purged", 2 * count, {});
    INFO("backend: " << run.cluster->backend());
    run.set_all_nodes(node_state::down);
    run.send_numbered(0, count);
    run.producer.purge(kafkit::purge_scope::queued);
    CHECK(run.log.completed() == count); // purge() returns after their outcomes
    CHECK(run.producer.in_flight_count() == 0);

    run.set_all_nodes(node_state::up);
    run.send_numbered(count, 2 * count);
    CHECK_FALSE(run.producer.flush(30s));
    const auto outcomes = run.log.outcomes();
    const auto copies = run.copies_read();
    for (std::size_t n = 0; n < outcomes.size(); ++n) {
        INFO("record " << n);
        CHECK(outcomes[n].calls == 1);
        if (n < count)
            CHECK(outcomes[n].error == errc::purged);
        else
            CHECK_FALSE(outcomes[n].error);
        CHECK(copies[n] == (n < count ? 0 : 1)); // never sent, so never written
    }
}

TEST_CASE("producer timeouts: purge of records in flight fails them with purged at once") {
    constexpr std::size_t count = 40;
    bounds_run run("purged-in-flight", 2 * count, {{"linger.ms", "0"}});
    INFO("backend: " << run.cluster->backend());

    // Answers held back for two seconds: the records are sent and wait for them.
    run.cluster->faults().set_response_delay(-1, -1, 2000ms);
    run.send_numbered(0, count);
    CHECK(run.producer.flush(300ms) == errc::timed_out);
    const auto start = clock_type::now();
    run.producer.purge(kafkit::purge_scope::queued_and_in_flight);
    CHECK(since(start) < 1000ms); // not after the held answers
    const auto purged = run.log.outcomes();
    for (std::size_t n = 0; n < count; ++n) {
        CHECK(purged[n].calls == 1);
        CHECK(purged[n].error == errc::purged);
    }
    run.cluster->faults().set_response_delay(-1, -1, 0ms);

    // The producer goes on: later records are delivered, once each. The purged ones were
    // sent, so the brokers may have written them; the later ones must all be there, once.
    run.send_numbered(count, 2 * count);
    CHECK_FALSE(run.producer.flush(30s));
    const auto outcomes = run.log.outcomes();
    const auto copies = run.copies_read();
    for (std::size_t n = count; n < 2 * count; ++n) {
        INFO("record " << n << ": " << outcomes[n].error.message());
        CHECK(outcomes[n].calls == 1);
        CHECK_FALSE(outcomes[n].error);
        CHECK(copies[n] == 1);
    }
}
