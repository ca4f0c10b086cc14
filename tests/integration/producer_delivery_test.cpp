// The producer against both test clusters, read back with librdkafka's consumer: every
// record acknowledged exactly once, where the reader finds it, with its key, value,
// headers and timestamp intact, in send order per partition, for every compression.type
// and acks setting.

#include "producer_test_support.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace kafkit::integration;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t records_per_run = 240;
constexpr std::int32_t partitions = 3;

struct run {
    std::string codec;
    std::string acks;
    std::string topic;
    std::vector<sample_record> sent;
    std::vector<delivery_outcome> outcomes;
    std::int64_t from_ms = 0;
    std::int64_t to_ms = 0;
};

/// Sends `run.sent` with one producer and waits for every outcome.
void produce(kafkit::testcontainers::cluster& cluster, run& r) {
    // Idempotence needs acks=all: with acks 0 and 1 it must be off, or the config is refused.
    auto cfg = producer_config(
        cluster, {{"compression.type", r.codec}, {"acks", r.acks}, {"batch.size", "4096"}});
    if (r.acks != "all") cfg.set("enable.idempotence", "false");
    delivery_log log(r.sent.size());
    {
        kafkit::producer producer(cfg);
        std::vector<kafkit::header> headers;
        r.from_ms = wall_clock_ms();
        for (std::size_t i = 0; i < r.sent.size(); ++i)
            REQUIRE_FALSE(producer.send(view_of(r.topic, r.sent[i], headers), log.callback(i)));
        CHECK_FALSE(producer.flush(20s));
        r.to_ms = wall_clock_ms();
        CHECK(log.wait_all(1s));
        // The statistics count what was delivered, per partition and in all.
        const auto stats = producer.stats();
        CHECK(stats.records_delivered == static_cast<std::int64_t>(r.sent.size()));
        CHECK(stats.records_failed == 0);
        CHECK(stats.records_queued == 0);
        std::int64_t sent_per_partition = 0;
        for (const auto& p : stats.partitions)
            if (p.topic == r.topic) sent_per_partition += p.records_sent;
        CHECK(sent_per_partition == static_cast<std::int64_t>(r.sent.size()));
        if (r.acks == "all") CHECK(stats.producer_id >= 0); // idempotent
        else CHECK(stats.producer_id == -1);
        CHECK_FALSE(producer.close(5s));
    }
    r.outcomes = log.outcomes();
}

/// What the callback must say about `sent`, which the reader found as `read`.
void check_outcome(const run& r, const delivery_outcome& o, const sample_record& sent,
                   const read_record& read, bool mock) {
    CHECK(o.key_size == (sent.key ? static_cast<std::int32_t>(sent.key->size()) : -1));
    CHECK(o.value_size == (sent.value ? static_cast<std::int32_t>(sent.value->size()) : -1));
    if (r.acks == "0") {
        CHECK(o.offset == -1); // no answer, so no offset
        CHECK(o.timestamp_ms == read.timestamp_ms);
    } else {
        CHECK(o.offset == read.offset);
        // librdkafka's mock answers every Produce with LogAppendTime 1234, even for
        // CreateTime topics; the callback reports the broker's LogAppendTime when it gives
        // one, as the Java client does.
        CHECK(o.timestamp_ms == (mock ? 1234 : read.timestamp_ms));
    }
}

void check_run(const run& r, const topic_records& read, bool mock) {
    INFO("compression.type=" << r.codec << " acks=" << r.acks);
    // Every record has exactly one outcome, a success, on a partition of the topic.
    std::map<std::int32_t, std::vector<std::size_t>> sent_to;
    for (std::size_t i = 0; i < r.outcomes.size(); ++i) {
        const auto& o = r.outcomes[i];
        INFO("record " << i << ": " << o.error.message());
        REQUIRE(o.calls == 1);
        REQUIRE_FALSE(o.error);
        REQUIRE(o.partition >= 0);
        REQUIRE(o.partition < partitions);
        sent_to[o.partition].push_back(i);
    }
    // The keys spread over every partition.
    CHECK(sent_to.size() == static_cast<std::size_t>(partitions));
    CHECK(read.size() == r.sent.size());
    // Each partition holds its records in send order, at offsets 0, 1, 2, ...
    for (const auto& [partition, indices] : sent_to) {
        const auto& log = read.partition(partition);
        REQUIRE(log.size() == indices.size());
        for (std::size_t pos = 0; pos < indices.size(); ++pos) {
            const auto i = indices[pos];
            INFO("record " << i << " at " << partition << "@" << pos);
            CHECK(log[pos].offset == static_cast<std::int64_t>(pos));
            CHECK(difference(r.sent[i], log[pos], r.from_ms, r.to_ms) == "");
            check_outcome(r, r.outcomes[i], r.sent[i], log[pos], mock);
        }
    }
}

} // namespace

TEST_CASE("producer: every record acknowledged once, intact and in order, for each "
          "compression.type and acks") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    const bool mock = cluster->backend() == "librdkafka-mock";
    const auto samples = sample_records(records_per_run, true);
    std::vector<run> runs;
    for (const auto* codec : {"none", "gzip", "snappy", "lz4", "zstd"}) {
        for (const auto* acks : {"0", "1", "all"}) {
            run r;
            r.codec = codec;
            r.acks = acks;
            r.topic = new_topic(*cluster, "delivery-" + r.codec + "-acks" + r.acks, partitions);
            r.sent = samples;
            produce(*cluster, r);
            if (r.acks == "0") // nothing says when the broker has the records: wait for them
                CHECK(wait_for_records(cluster->bootstrap_servers(), r.topic, records_per_run) ==
                      static_cast<std::int64_t>(records_per_run));
            runs.push_back(std::move(r));
        }
    }
    std::vector<std::string> topics;
    for (const auto& r : runs)
        topics.push_back(r.topic);
    const auto read = read_topics(cluster->bootstrap_servers(), topics);
    for (const auto& r : runs)
        check_run(r, read.at(r.topic), mock);
}
