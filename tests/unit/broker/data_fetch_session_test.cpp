// Incremental fetch sessions (KIP-227): a full fetch opens a session, incremental fetches
// carry only changes and get only the partitions that changed; the session cache's bound.

#include "data_support.hpp"
#include "kafkit/protocol/messages/fetch.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"
#include "state/fetch_session_cache.hpp"

#include <set>

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

namespace {

/// Partition indexes in a response, in order.
std::vector<std::int32_t> partitions_in(const fetch_response& response) {
    std::vector<std::int32_t> out;
    for (const auto& t : response.responses)
        for (const auto& p : t.partitions) out.push_back(p.partition_index);
    return out;
}

fetch_request session_fetch(std::int32_t session_id, std::int32_t epoch) {
    fetch_request request;
    request.max_wait_ms = 0;
    request.min_bytes = 0;
    request.session_id = session_id;
    request.session_epoch = epoch;
    return request;
}

void add_partition(fetch_request& request, const std::string& topic, std::int32_t partition, std::int64_t offset) {
    if (request.topics.empty() || request.topics.back().topic != topic) {
        fetch_request::fetch_topic t;
        t.topic = topic;
        request.topics.push_back(t);
    }
    fetch_request::fetch_partition p;
    p.partition = partition;
    p.fetch_offset = offset;
    p.partition_max_bytes = 1 << 20;
    request.topics.back().partitions.push_back(p);
}

} // namespace

TEST_CASE("fetch session: full, then incremental answers with only the partitions that changed") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "sess", 3);
    REQUIRE(produce(client, "sess", 1, make_batch(numbered(2))).error_code == 0);

    auto full = session_fetch(0, 0);
    for (int p = 0; p < 3; ++p) add_partition(full, "sess", p, 0);
    auto opened = fetch_call(client, full, 12);
    CHECK(opened.body.error_code == 0);
    const std::int32_t session = opened.body.session_id;
    CHECK(session != 0);
    CHECK(partitions_in(opened.body) == std::vector<std::int32_t>{0, 1, 2});
    CHECK(decode_records(opened.body.responses[0].partitions[1].records).size() == 2);

    // Epoch 1: partition 1 moves to offset 2 (it consumed), nothing else changes.
    auto inc = session_fetch(session, 1);
    add_partition(inc, "sess", 1, 2);
    auto quiet = fetch_call(client, inc, 12);
    CHECK(quiet.body.error_code == 0);
    CHECK(quiet.body.session_id == session);
    CHECK(partitions_in(quiet.body).empty());

    // New data in partition 2 only.
    REQUIRE(produce(client, "sess", 2, make_batch(numbered(1, "two"))).error_code == 0);
    auto changed = fetch_call(client, session_fetch(session, 2), 12);
    REQUIRE(partitions_in(changed.body) == std::vector<std::int32_t>{2});
    auto got = decode_records(changed.body.responses[0].partitions[0].records);
    REQUIRE(got.size() == 1);
    CHECK(got[0].value == std::optional<std::string>("two0"));
    CHECK(changed.body.responses[0].partitions[0].high_watermark == 1);

    // The client did not move partition 2's offset: the session still fetches from 0, so
    // the data comes again; after it says offset 1, nothing.
    auto repeat = fetch_call(client, session_fetch(session, 3), 12);
    CHECK(partitions_in(repeat.body) == std::vector<std::int32_t>{2});
    auto moved = session_fetch(session, 4);
    add_partition(moved, "sess", 2, 1);
    CHECK(partitions_in(fetch_call(client, moved, 12).body).empty());
}

TEST_CASE("fetch session: forgotten topics leave the session, added partitions join it") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "forget", 2);
    auto full = session_fetch(0, 0);
    add_partition(full, "forget", 0, 0);
    auto opened = fetch_call(client, full, 12);
    const auto session = opened.body.session_id;
    REQUIRE(session != 0);

    // Add partition 1 (new to the session: always sent the first time).
    auto add = session_fetch(session, 1);
    add_partition(add, "forget", 1, 0);
    CHECK(partitions_in(fetch_call(client, add, 12).body) == std::vector<std::int32_t>{1});

    // Forget partition 0: its new data is no longer reported.
    auto forget = session_fetch(session, 2);
    fetch_request::forgotten_topic f;
    f.topic = "forget";
    f.partitions = {0};
    forget.forgotten_topics_data.push_back(f);
    CHECK(partitions_in(fetch_call(client, forget, 12).body).empty());
    REQUIRE(produce(client, "forget", 0, make_batch(numbered(1))).error_code == 0);
    REQUIRE(produce(client, "forget", 1, make_batch(numbered(1))).error_code == 0);
    CHECK(partitions_in(fetch_call(client, session_fetch(session, 3), 12).body) == std::vector<std::int32_t>{1});

    // Forgetting the last partition ends the session.
    auto last = session_fetch(session, 4);
    f.partitions = {1};
    last.forgotten_topics_data = {f};
    auto ended = fetch_call(client, last, 12);
    CHECK(ended.body.session_id == 0);
    CHECK(fetch_call(client, session_fetch(session, 5), 12).body.error_code ==
          code(kafka_errc::fetch_session_id_not_found));
}

TEST_CASE("fetch session: bad epochs, unknown ids, closing, and topic ids (v13)") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    const auto id = create_topic(client, "epochs", 1);
    auto full = session_fetch(0, 0);
    add_partition(full, "epochs", 0, 0);
    const auto session = fetch_call(client, full, 12).body.session_id;
    REQUIRE(session != 0);

    auto wrong = fetch_call(client, session_fetch(session, 7), 12);
    CHECK(wrong.body.error_code == code(kafka_errc::invalid_fetch_session_epoch));
    CHECK(wrong.body.session_id == 0);
    CHECK(wrong.body.responses.empty());
    CHECK(fetch_call(client, session_fetch(session + 1, 1), 12).body.error_code ==
          code(kafka_errc::fetch_session_id_not_found));
    // The session survives a bad request: epoch 1 is still expected.
    CHECK(fetch_call(client, session_fetch(session, 1), 12).body.error_code == 0);
    // A session opened with names cannot continue with ids.
    CHECK(fetch_call(client, session_fetch(session, 2), 13).body.error_code ==
          code(kafka_errc::fetch_session_topic_id_error));

    // Epoch -1 closes it and answers sessionless.
    auto close = session_fetch(session, -1);
    add_partition(close, "epochs", 0, 0);
    auto closed = fetch_call(client, close, 12);
    CHECK(closed.body.session_id == 0);
    CHECK(partitions_in(closed.body) == std::vector<std::int32_t>{0});
    CHECK(fetch_call(client, session_fetch(session, 2), 12).body.error_code ==
          code(kafka_errc::fetch_session_id_not_found));

    // v13: sessions keyed by topic id.
    auto by_id = session_fetch(0, 0);
    add_partition(by_id, "", 0, 0);
    by_id.topics[0].topic_id = id;
    auto opened = fetch_call(client, by_id, 13);
    REQUIRE(opened.body.session_id != 0);
    CHECK(opened.body.responses.at(0).topic_id == id);
    REQUIRE(produce(client, "epochs", 0, make_batch(numbered(1))).error_code == 0);
    auto inc = fetch_call(client, session_fetch(opened.body.session_id, 1), 13);
    REQUIRE(inc.body.responses.size() == 1);
    CHECK(inc.body.responses[0].topic_id == id);
    CHECK(decode_records(inc.body.responses[0].partitions.at(0).records).size() == 1);
}

TEST_CASE("fetch session: an incremental long poll is woken by data on a session partition") {
    embedded_broker broker;
    broker_test_client consumer(broker.port());
    broker_test_client producer(broker.port());
    create_topic(producer, "inc-poll", 2);
    auto full = session_fetch(0, 0);
    add_partition(full, "inc-poll", 0, 0);
    add_partition(full, "inc-poll", 1, 0);
    const auto session = fetch_call(consumer, full, 12).body.session_id;
    REQUIRE(session != 0);
    auto wait = session_fetch(session, 1);
    wait.max_wait_ms = 30000;
    wait.min_bytes = 1;
    const auto id = consumer.send(wait, 12);
    REQUIRE(produce(producer, "inc-poll", 1, make_batch(numbered(1))).error_code == 0);
    auto response = receive_fetch(consumer, id, 12);
    CHECK(partitions_in(response.body) == std::vector<std::int32_t>{1});
}

namespace {

/// A scheduler that runs nothing: the session cache never schedules.
class idle_scheduler final : public broker::scheduler {
public:
    broker::timer_handle after(std::chrono::milliseconds, std::function<void()>) override { return {}; }
    void post(std::function<void()>) override {}
};

fetch_request full_fetch_of(int partitions) {
    auto request = session_fetch(0, 0);
    for (int p = 0; p < partitions; ++p) add_partition(request, "t", p, 0);
    return request;
}

std::int32_t open_session(broker::fetch_session_cache& cache, int partitions, std::int64_t now) {
    auto context = cache.new_context(full_fetch_of(partitions), 12, 1, now);
    REQUIRE(context.type == broker::fetch_context::kind::full);
    return cache.create_session(context, std::vector<broker::fetch_outcome>(context.targets.size()), 1, false, now);
}

} // namespace

TEST_CASE("fetch session cache: bounded per node, evicting stale or smaller sessions as Kafka does") {
    idle_scheduler timers;
    broker::broker_config config;
    broker::broker_state state(config, timers, {broker::broker_node{1, "127.0.0.1", 9092, std::nullopt, true}});
    broker::fetch_session_cache cache(state);
    cache.set_slots(2);
    const std::int64_t t0 = 1000000;
    const auto a = open_session(cache, 3, t0);
    const auto b = open_session(cache, 3, t0);
    CHECK(a != 0);
    CHECK(b != 0);
    CHECK(cache.sessions(1) == 2);
    // Full, all young: no room for another consumer session.
    CHECK(open_session(cache, 5, t0 + 10) == 0);
    CHECK(cache.sessions(1) == 2);
    // Once a session has not been used for longer than the eviction time, it goes.
    auto use_b = cache.new_context(session_fetch(b, 1), 12, 1, t0 + broker::fetch_session_cache::eviction_ms);
    CHECK(use_b.type == broker::fetch_context::kind::incremental);
    const auto c = open_session(cache, 1, t0 + broker::fetch_session_cache::eviction_ms + 10);
    CHECK(c != 0);
    auto use_a = cache.new_context(session_fetch(a, 1), 12, 1, t0 + broker::fetch_session_cache::eviction_ms + 20);
    CHECK(use_a.error == kafka_errc::fetch_session_id_not_found);
    // Old enough but recently used: a bigger new session evicts the smallest one (c).
    const std::int64_t later = t0 + 3 * broker::fetch_session_cache::eviction_ms;
    (void)cache.new_context(session_fetch(b, 2), 12, 1, later);
    (void)cache.new_context(session_fetch(c, 1), 12, 1, later);
    const auto d = open_session(cache, 2, later + 1);
    CHECK(d != 0);
    CHECK(cache.new_context(session_fetch(c, 2), 12, 1, later + 2).error == kafka_errc::fetch_session_id_not_found);
    CHECK(cache.new_context(session_fetch(b, 3), 12, 1, later + 2).type == broker::fetch_context::kind::incremental);
    // Other nodes have their own slots.
    auto elsewhere = cache.new_context(full_fetch_of(1), 12, 2, later);
    CHECK(cache.create_session(elsewhere, {broker::fetch_outcome{}}, 2, false, later) != 0);
}
