// The consumer with manual assignment against both test clusters: it reads back exactly what
// librdkafka's consumer reads from the same topics (offsets, keys, values, headers,
// timestamps and their type) for every codec, through many small polls and a small
// prefetch bound; seek, positions, pause and resume, watermarks, offsets for times, the
// end-of-partition event, auto.offset.reset=none and wakeup.

#include "producer_test_support.hpp"

#include "kafkit/consumer.hpp"
#include "kafkit/testcontainers/mock_cluster.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <librdkafka/rdkafka.h>

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <thread>

using namespace kafkit::integration;
using namespace std::chrono_literals;
using kafkit::partition_id;
using kafkit::record_offset;
using kafkit::topic_partition;

namespace {

kafkit::config consumer_config(const kafkit::testcontainers::cluster& cluster,
                               std::initializer_list<std::pair<std::string, std::string>> extra = {}) {
    kafkit::config cfg{{"bootstrap.servers", cluster.bootstrap_servers()},
                       {"client.id", "kafkit-consumer-test"},
                       {"auto.offset.reset", "earliest"},
                       {"fetch.max.wait.ms", "50"},
                       {"reconnect.backoff.ms", "10"},
                       {"retry.backoff.ms", "10"},
                       // An answer that never comes costs 8 s, not the default 30, so the
                       // consumer recovers well within the tests' deadlines.
                       {"request.timeout.ms", "8000"}};
    for (const auto& [name, value] : extra) cfg.set(name, value);
    with_test_log(cfg);
    return cfg;
}

/// Writes `samples` to `topic` and waits until all are acknowledged.
void produce(kafkit::testcontainers::cluster& cluster, const std::string& topic,
             const std::vector<sample_record>& samples, const std::string& codec = "none") {
    delivery_log log(samples.size());
    kafkit::producer producer(producer_config(cluster, {{"compression.type", codec}, {"batch.size", "2000"}}));
    std::vector<kafkit::header> headers;
    for (std::size_t i = 0; i < samples.size(); ++i)
        REQUIRE_FALSE(producer.send(view_of(topic, samples[i], headers), log.callback(i)));
    REQUIRE_FALSE(producer.flush(20s));
    for (const auto& o : log.outcomes()) REQUIRE_FALSE(o.error);
}

std::vector<topic_partition> partitions_of(const std::string& topic, std::int32_t count) {
    std::vector<topic_partition> out;
    for (std::int32_t p = 0; p < count; ++p) out.push_back({topic, partition_id(p)});
    return out;
}

read_record as_read(const kafkit::consumer_record& r) {
    auto owned = kafkit::owned_consumer_record::copy_of(r);
    return {r.partition.value(), r.offset.value(),  std::move(owned.key), std::move(owned.value),
            std::move(owned.headers), r.timestamp_ms, r.timestamp_kind == kafkit::timestamp_type::log_append_time};
}

/// Polls until `count` records arrived (or 45 s passed), with records copied out.
std::map<std::string, std::map<std::int32_t, std::vector<read_record>>> consume(kafkit::consumer& consumer,
                                                                                 std::size_t count) {
    std::map<std::string, std::map<std::int32_t, std::vector<read_record>>> out;
    std::size_t got = 0;
    const auto deadline = std::chrono::steady_clock::now() + 45s;
    while (got < count && std::chrono::steady_clock::now() < deadline) {
        auto batch = consumer.poll(100ms);
        REQUIRE_FALSE(batch.error());
        for (const auto& r : batch) {
            out[std::string(r.topic)][r.partition.value()].push_back(as_read(r));
            ++got;
        }
    }
    return out;
}

void check_same(const read_record& ours, const read_record& theirs) {
    CHECK(ours.partition == theirs.partition);
    CHECK(ours.offset == theirs.offset);
    CHECK(ours.key == theirs.key);
    CHECK(ours.value == theirs.value);
    CHECK(ours.headers == theirs.headers);
    CHECK(ours.timestamp_ms == theirs.timestamp_ms);
    CHECK(ours.log_append_time == theirs.log_append_time);
}

} // namespace

TEST_CASE("consumer: assign and poll read what librdkafka reads, record for record, for every codec") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto samples = sample_records(300, true);
    std::vector<std::string> topics;
    std::vector<topic_partition> all;
    for (const auto* codec : {"none", "gzip", "snappy", "lz4", "zstd"}) {
        topics.push_back(new_topic(*cluster, std::string("fetch-") + codec, 3));
        produce(*cluster, topics.back(), samples, codec);
        for (const auto& tp : partitions_of(topics.back(), 3)) all.push_back(tp);
    }
    const auto theirs = read_topics(cluster->bootstrap_servers(), topics);

    // Small polls and a small prefetch bound: chunks are cut across polls and fetching
    // waits for poll() to hand data back.
    kafkit::consumer consumer(consumer_config(*cluster, {{"max.poll.records", "37"},
                                                         {"queued.max.messages.kbytes", "16"},
                                                         {"max.partition.fetch.bytes", "4096"}}));
    consumer.assign(all);
    const auto ours = consume(consumer, samples.size() * topics.size());
    for (const auto& topic : topics) {
        INFO("topic " << topic);
        const auto& expected = theirs.at(topic);
        for (const auto& [partition, records] : expected.by_partition) {
            INFO("partition " << partition);
            const auto it = ours.count(topic) ? ours.at(topic).find(partition) : decltype(ours.at(topic).end()){};
            REQUIRE(ours.count(topic) == 1);
            REQUIRE(it != ours.at(topic).end());
            REQUIRE(it->second.size() == records.size());
            for (std::size_t i = 0; i < records.size(); ++i) check_same(it->second[i], records[i]);
        }
    }
    // Nothing more comes.
    CHECK(consumer.poll(200ms).empty());
    for (const auto& tp : all) {
        const auto n = static_cast<std::int64_t>(theirs.at(tp.topic).by_partition.at(tp.partition.value()).size());
        CHECK(consumer.position(tp, 5s) == record_offset(n));
        const auto cached = consumer.cached_watermark_offsets(tp);
        REQUIRE(cached.has_value());
        CHECK(cached->high == record_offset(n));
    }
    CHECK_FALSE(consumer.close(5s));
}

TEST_CASE("consumer: seek, seek_to_beginning and seek_to_end, position, pause and resume, watermarks, "
          "offsets for times") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "seek", 1);
    std::vector<sample_record> samples(100);
    const auto base_ms = wall_clock_ms() - 100'000;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        samples[i].value = numbered_value(i);
        samples[i].timestamp_ms = base_ms + static_cast<std::int64_t>(i) * 1000;
    }
    produce(*cluster, topic, samples);
    const topic_partition tp{topic, partition_id(0)};

    kafkit::consumer consumer(consumer_config(*cluster, {{"auto.offset.reset", "latest"}}));
    consumer.assign({tp});
    CHECK(consumer.assignment() == std::vector<topic_partition>{tp});
    // latest: the position is the log end, and nothing is read.
    CHECK(consumer.position(tp, 5s) == record_offset(100));
    CHECK(consumer.poll(200ms).empty());

    const auto marks = consumer.query_watermark_offsets(tp, 5s);
    CHECK(marks.low == record_offset(0));
    CHECK(marks.high == record_offset(100));

    consumer.seek(tp, record_offset(40));
    CHECK(consumer.position(tp, 1s) == record_offset(40));
    auto batch = consumer.poll(5s);
    REQUIRE_FALSE(batch.empty());
    CHECK(batch.records()[0].offset == record_offset(40));
    CHECK(number_of(std::string(*batch.records()[0].value)) == 40);

    consumer.seek_to_beginning({tp});
    batch = consumer.poll(5s);
    REQUIRE_FALSE(batch.empty());
    CHECK(batch.records()[0].offset == record_offset(0));

    consumer.seek_to_end({tp});
    CHECK(consumer.position(tp, 5s) == record_offset(100));

    // Paused: nothing of it is returned; resumed: reading goes on from the position.
    consumer.seek(tp, record_offset(90));
    consumer.pause({tp});
    CHECK(consumer.paused() == std::vector<topic_partition>{tp});
    CHECK(consumer.poll(300ms).empty());
    consumer.resume({tp});
    CHECK(consumer.paused().empty());
    batch = consumer.poll(5s);
    REQUIRE_FALSE(batch.empty());
    CHECK(batch.records()[0].offset == record_offset(90));

    // The first record at or after a time, and none after the last. librdkafka 2.0's mock
    // answers every lookup by time with offset -1 (kcat -Q gets the same from it).
    const auto found = consumer.offsets_for_times({{tp, base_ms + 10'500}}, 5s);
    if (cluster->backend() == "librdkafka-mock") {
        CHECK_FALSE(found.at(tp).has_value());
    } else {
        REQUIRE(found.at(tp).has_value());
        CHECK(found.at(tp)->offset == record_offset(11));
        CHECK(found.at(tp)->timestamp_ms == base_ms + 11'000);
    }
    const auto none = consumer.offsets_for_times({{tp, base_ms + 1'000'000}}, 5s);
    CHECK_FALSE(none.at(tp).has_value());

    // The position is what poll() returns next, not how far fetching has got.
    kafkit::consumer early(consumer_config(*cluster));
    early.assign({tp});
    std::this_thread::sleep_for(300ms); // fetching runs ahead meanwhile
    CHECK(early.position(tp, 5s) == record_offset(0));
    const auto first = early.poll(5s);
    REQUIRE_FALSE(first.empty());
    CHECK(first.records()[0].offset == record_offset(0));
    CHECK(early.position(tp, 1s) == record_offset(first.records().back().offset.value() + 1));

    // Not assigned: refused by name.
    CHECK_THROWS_WITH_AS(consumer.seek({topic, partition_id(7)}, record_offset(0)), doctest::Contains("is not assigned"),
                         kafkit::exception);
}

TEST_CASE("consumer: while the leader moves, positions are validated (OffsetForLeaderEpoch) and nothing is "
          "skipped or read twice") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "leader-moves", 1);
    const topic_partition tp{topic, partition_id(0)};
    std::vector<sample_record> first(300);
    for (std::size_t i = 0; i < first.size(); ++i) first[i].value = numbered_value(i);
    produce(*cluster, topic, first);

    std::atomic<int> validations{0};
    auto cfg = consumer_config(*cluster, {{"max.poll.records", "50"}});
    cfg.set("log_level", "debug");
    cfg.set_log_sink([&validations, wanted = "validating " + topic](kafkit::log_level, std::string_view,
                                                                     std::string_view message) {
        if (message.find(wanted) != std::string_view::npos) ++validations;
    });
    kafkit::consumer consumer(cfg);
    consumer.assign({tp});
    std::vector<std::int64_t> offsets;
    std::map<std::int64_t, std::optional<std::int32_t>> epochs; // per offset read
    auto read_until = [&](std::size_t count) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (offsets.size() < count && std::chrono::steady_clock::now() < deadline) {
            auto batch = consumer.poll(100ms);
            for (const auto& r : batch) {
                CHECK(number_of(std::string(*r.value)) == r.offset.value());
                offsets.push_back(r.offset.value());
                epochs[r.offset.value()] = r.leader_epoch;
            }
        }
    };
    read_until(100);
    // Each move bumps the leader epoch: the consumer validates its position with the new
    // leader before it fetches there, then reads on from where it was (the first 100
    // records are still prefetched from the old leader when the first move comes).
    std::size_t written = first.size();
    for (std::int32_t leader : {2, 3, 1}) {
        cluster->faults().set_partition_leader(topic, 0, leader);
        std::vector<sample_record> more(100);
        for (std::size_t i = 0; i < more.size(); ++i) more[i].value = numbered_value(written + i);
        produce(*cluster, topic, more);
        written += more.size();
        read_until(written); // fetched from the new leader, so every move is seen
    }
    REQUIRE(offsets.size() == written);
    for (std::size_t i = 0; i < offsets.size(); ++i) CHECK(offsets[i] == static_cast<std::int64_t>(i));
    // librdkafka 2.0's mock reports no leader epochs (librdkafka gained KIP-320 in 2.1), so
    // there is nothing to validate against there.
    if (cluster->backend() == "librdkafka-mock") {
        CHECK(validations.load() == 0);
        return;
    }
    CHECK(validations.load() >= 3);

    // A seek that carries the epoch of the record before it (a committed offset does) is
    // validated as well, then read from exactly there.
    REQUIRE(epochs.at(349).has_value());
    const auto before = validations.load();
    consumer.seek(tp, kafkit::offset_and_metadata{record_offset(350), epochs.at(349), ""});
    offsets.clear();
    read_until(written - 350);
    REQUIRE_FALSE(offsets.empty());
    CHECK(offsets.front() == 350);
    CHECK(offsets.size() == written - 350);
    CHECK(validations.load() == before + 1);
}

TEST_CASE("consumer: with client.rack, the replica the leader prefers (KIP-392) is fetched from, record for record") {
    // librdkafka's mock names a follower as the preferred read replica; kafkit-broker keeps
    // no replicas.
    auto cluster = start_cluster(backend::librdkafka_mock, 3);
    auto& mock = dynamic_cast<kafkit::testcontainers::mock_cluster&>(*cluster);
    const auto topic = new_topic(*cluster, "follower", 1);
    cluster->faults().set_partition_leader(topic, 0, 1);
    mock.set_partition_follower(topic, 0, 3);
    std::vector<sample_record> samples(200);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i].value = numbered_value(i);
    produce(*cluster, topic, samples);

    std::atomic<int> from_follower{0};
    auto cfg = consumer_config(*cluster, {{"client.rack", "rack-3"}});
    cfg.set("log_level", "debug");
    cfg.set_log_sink([&from_follower](kafkit::log_level, std::string_view, std::string_view message) {
        if (message.find("from replica 3, as its leader prefers") != std::string_view::npos) ++from_follower;
    });
    kafkit::consumer consumer(cfg);
    consumer.assign({{topic, partition_id(0)}});
    const auto got = consume(consumer, samples.size());
    const auto& records = got.at(topic).at(0);
    REQUIRE(records.size() == samples.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        CHECK(records[i].offset == static_cast<std::int64_t>(i));
        CHECK(records[i].value == samples[i].value);
    }
    CHECK(from_follower.load() >= 1);
}

namespace {

/// Each partition's leader and replicas as librdkafka's metadata call reports them.
std::map<std::int32_t, std::pair<std::int32_t, std::vector<std::int32_t>>> rdkafka_partitions(
    const kafkit::testcontainers::cluster& cluster, const std::string& topic) {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    REQUIRE(rd_kafka_conf_set(conf, "bootstrap.servers", cluster.bootstrap_servers().c_str(), err, sizeof err) ==
            RD_KAFKA_CONF_OK);
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    REQUIRE(rk != nullptr);
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* md = nullptr;
    REQUIRE(rd_kafka_metadata(rk, 0, rkt, &md, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
    std::map<std::int32_t, std::pair<std::int32_t, std::vector<std::int32_t>>> out;
    for (int t = 0; t < md->topic_cnt; ++t) {
        if (topic != md->topics[t].topic) continue;
        for (int p = 0; p < md->topics[t].partition_cnt; ++p) {
            const auto& part = md->topics[t].partitions[p];
            out[part.id] = {part.leader, std::vector<std::int32_t>(part.replicas, part.replicas + part.replica_cnt)};
        }
    }
    rd_kafka_metadata_destroy(md);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return out;
}

} // namespace

TEST_CASE("consumer: partitions_for and list_topics report what librdkafka's metadata reports") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "metadata", 3);
    cluster->faults().set_partition_leader(topic, 1, 2);
    kafkit::consumer consumer(consumer_config(*cluster, {{"allow.auto.create.topics", "false"}}));
    const auto partitions = consumer.partitions_for(topic, 10s);
    const auto theirs = rdkafka_partitions(*cluster, topic);
    REQUIRE(partitions.size() == 3);
    REQUIRE(theirs.size() == 3);
    for (std::size_t i = 0; i < partitions.size(); ++i) {
        const auto& p = partitions[i];
        CAPTURE(i);
        CHECK(p.partition == topic_partition{topic, partition_id(static_cast<std::int32_t>(i))});
        REQUIRE(p.leader.has_value());
        CHECK(p.leader->value() == theirs.at(static_cast<std::int32_t>(i)).first);
        std::vector<std::int32_t> replicas;
        for (const auto r : p.replicas) replicas.push_back(r.value());
        CHECK(replicas == theirs.at(static_cast<std::int32_t>(i)).second);
        CHECK_FALSE(p.in_sync_replicas.empty());
    }
    CHECK(partitions[1].leader->value() == 2);

    const auto topics = consumer.list_topics(10s);
    REQUIRE(topics.count(topic) == 1);
    CHECK(topics.at(topic).size() == 3);
    // librdkafka 2.0's mock creates every topic a Metadata request names, whatever
    // AllowAutoTopicCreation says; Kafka and kafkit-broker do not.
    if (cluster->backend() == "librdkafka-mock") return;
    CHECK(consumer.partitions_for("no-such-topic-" + topic, 10s).empty());
    CHECK(consumer.list_topics(10s).count("no-such-topic-" + topic) == 0);
}

TEST_CASE("consumer: enable.partition.eof, auto.offset.reset=none, and wakeup") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "eof", 1);
    std::vector<sample_record> samples(10);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i].value = numbered_value(i);
    produce(*cluster, topic, samples);
    const topic_partition tp{topic, partition_id(0)};

    {
        kafkit::consumer consumer(consumer_config(*cluster, {{"enable.partition.eof", "true"}}));
        consumer.assign({tp});
        std::size_t read = 0;
        bool eof = false;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!eof && std::chrono::steady_clock::now() < deadline) {
            auto batch = consumer.poll(200ms);
            read += batch.size();
            for (const auto& e : batch.events()) {
                if (e.what != kafkit::consumer_event::kind::partition_eof) continue;
                eof = true;
                CHECK(e.partition == tp);
                CHECK(e.offset == record_offset(10));
            }
        }
        CHECK(eof);
        CHECK(read == 10);

        // A seek to where the partition already is, at its end: a fetch session's answer
        // leaves the unchanged partition out, and the end is still reported again.
        consumer.seek(tp, record_offset(10));
        eof = false;
        const auto again = std::chrono::steady_clock::now() + 10s;
        while (!eof && std::chrono::steady_clock::now() < again) {
            auto batch = consumer.poll(200ms);
            CHECK(batch.empty());
            for (const auto& e : batch.events())
                if (e.what == kafkit::consumer_event::kind::partition_eof) eof = e.offset == record_offset(10);
        }
        CHECK(eof);
    }
    {
        // No committed offset and no reset allowed: the partition's error is reported.
        kafkit::consumer consumer(consumer_config(*cluster, {{"auto.offset.reset", "none"}}));
        consumer.assign({tp});
        std::error_code reported;
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (!reported && std::chrono::steady_clock::now() < deadline) reported = consumer.poll(200ms).error();
        CHECK(reported == kafkit::errc::no_offset);
        CHECK_THROWS_AS((void)consumer.position(tp, 1s), kafkit::exception);
    }
    {
        // wakeup() from another thread ends a long poll at once.
        kafkit::consumer consumer(consumer_config(*cluster, {{"auto.offset.reset", "latest"}}));
        consumer.assign({tp});
        std::thread waker([&] {
            std::this_thread::sleep_for(200ms);
            consumer.wakeup();
        });
        const auto started = std::chrono::steady_clock::now();
        auto batch = consumer.poll(30s);
        waker.join();
        CHECK(batch.empty());
        CHECK(std::chrono::steady_clock::now() - started < 20s); // not the whole 30 s
    }
}

namespace {

/// librdkafka's consumer of `group`: commits `offset` for topic-0 (when >= 0), then returns
/// what it reads back as committed for it (-1001 when nothing is).
std::int64_t rdkafka_commit_and_read(const std::string& bootstrap, const std::string& group, const std::string& topic,
                                     std::int64_t offset) {
    char err[512];
    auto* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", bootstrap.c_str(), err, sizeof err);
    rd_kafka_conf_set(conf, "group.id", group.c_str(), err, sizeof err);
    auto* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    REQUIRE(rk != nullptr);
    auto* parts = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(parts, topic.c_str(), 0)->offset = offset;
    if (offset >= 0) CHECK(rd_kafka_commit(rk, parts, 0) == RD_KAFKA_RESP_ERR_NO_ERROR);
    CHECK(rd_kafka_committed(rk, parts, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR);
    const auto found = parts->elems[0].offset;
    rd_kafka_topic_partition_list_destroy(parts);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return found;
}

} // namespace

TEST_CASE("consumer: with a group.id, commits are stored, read back by librdkafka and the reverse, and "
          "a new consumer starts from the committed offset") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const auto topic = new_topic(*cluster, "commit", 1);
    std::vector<sample_record> samples(50);
    for (std::size_t i = 0; i < samples.size(); ++i) samples[i].value = numbered_value(i);
    produce(*cluster, topic, samples);
    const topic_partition tp{topic, partition_id(0)};
    const std::string group = "commit-group-" + topic;
    {
        kafkit::consumer consumer(consumer_config(*cluster, {{"group.id", group}, {"enable.auto.commit", "false"},
                                                             {"max.poll.records", "20"}}));
        consumer.assign({tp});
        CHECK_FALSE(consumer.committed({tp}, 10s).at(tp).has_value()); // nothing yet
        auto batch = consumer.poll(5s);
        REQUIRE_FALSE(batch.empty());
        const auto next = record_offset(batch.records().back().offset.value() + 1);
        CHECK_FALSE(consumer.commit_sync(10s)); // the position
        const auto committed = consumer.committed({tp}, 10s).at(tp);
        REQUIRE(committed.has_value());
        CHECK(committed->offset == next);
        // Given offsets, with metadata, asynchronously; the callback runs in a later poll.
        std::error_code async_result = make_error_code(kafkit::errc::timed_out);
        consumer.commit_async({{tp, kafkit::offset_and_metadata{record_offset(25), std::nullopt, "note"}}},
                              [&](std::error_code ec, const auto& offsets) {
                                  async_result = ec;
                                  CHECK(offsets.at(tp).offset == record_offset(25));
                              });
        const auto deadline = std::chrono::steady_clock::now() + 10s;
        while (async_result == kafkit::errc::timed_out && std::chrono::steady_clock::now() < deadline)
            (void)consumer.poll(50ms);
        CHECK_FALSE(async_result);
        const auto with_note = consumer.committed({tp}, 10s).at(tp);
        REQUIRE(with_note.has_value());
        CHECK(with_note->offset == record_offset(25));
        CHECK(with_note->metadata == "note");
    }
    // librdkafka sees kafkit's commit, and kafkit sees librdkafka's.
    CHECK(rdkafka_commit_and_read(cluster->bootstrap_servers(), group, topic, -1) == 25);
    CHECK(rdkafka_commit_and_read(cluster->bootstrap_servers(), group, topic, 33) == 33);
    {
        kafkit::consumer consumer(consumer_config(*cluster, {{"group.id", group}, {"enable.auto.commit", "false"}}));
        consumer.assign({tp});
        CHECK(consumer.position(tp, 10s) == record_offset(33)); // the committed offset, not the log start
        auto batch = consumer.poll(5s);
        REQUIRE_FALSE(batch.empty());
        CHECK(batch.records()[0].offset == record_offset(33));
    }
    // Without a group.id there is nothing to commit to.
    kafkit::consumer loner(consumer_config(*cluster));
    loner.assign({tp});
    CHECK(loner.commit_sync(1s) == kafkit::kafka_errc::invalid_group_id);
}
