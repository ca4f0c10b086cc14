// Keyed records land where the Java client's default partitioner puts them, as the reader
// finds them: the partitions come from hashes the Java client and kafka-python computed
// (the vectors of tests/unit/client/partitioner_test.cpp), not from kafkit's own murmur2.

#include "producer_test_support.hpp"

#include "kafkit/partitioner.hpp"

#include <doctest/doctest.h>

#include <map>
#include <span>

using namespace kafkit::integration;
using namespace std::chrono_literals;

namespace {

// 8 divides 1000, so a partition of 1000 taken mod 8 is the partition of 8.
constexpr std::int32_t partitions = 8;

struct key_vector {
    std::string key;
    std::int32_t partition;
};

/// Utils.toPositive(hash) % partitions, as the Java client computes it.
std::int32_t java_partition(std::int32_t murmur2_hash) {
    return static_cast<std::int32_t>((static_cast<std::uint32_t>(murmur2_hash) & 0x7fffffffu) %
                                     static_cast<std::uint32_t>(partitions));
}

std::vector<key_vector> known_keys() {
    return {
        // Apache Kafka's UtilsTest.testMurmur2: Utils.murmur2 of these keys.
        {"21", java_partition(-973932308)},
        {"foobar", java_partition(-790332482)},
        {"a-little-bit-long-string", java_partition(-985981536)},
        {"a-little-bit-longer-string", java_partition(-1486304829)},
        {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", java_partition(-58897971)},
        {"abc", java_partition(479470107)},
        // kafka-python's test_murmur2_java_compatibility: the Java client's partitions of 1000.
        {"", 681 % partitions},
        {"a", 524 % partitions},
        {"ab", 434 % partitions},
        {"abc", 107 % partitions},
        {"123456789", 566 % partitions},
        {std::string("\0 ", 2), 742 % partitions},
    };
}

std::int32_t kafkit_partition(const std::string& key) {
    return kafkit::java_partition_for_key(
               std::span(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()), partitions)
        .value();
}

} // namespace

TEST_CASE(
    "producer partitioner: keyed records land on the partition the Java client gives their key") {
    auto cluster = each_backend();
    INFO("backend: " << cluster->backend());
    auto keys = known_keys();
    for (const auto& k : keys) {
        INFO("key \"" << k.key << "\"");
        CHECK(kafkit_partition(k.key) == k.partition);
    }
    // More keys, placed by kafkit's function, which the known ones pin to Java's.
    for (int i = 0; i < 200; ++i) {
        const auto key = "user-" + std::to_string(i * 7919);
        keys.push_back({key, kafkit_partition(key)});
    }

    // The default (murmur2_random, as Java's) and murmur2 both hash every non-null key.
    std::map<std::string, std::string> topic_of;
    for (const auto* kind : {"murmur2_random", "murmur2"}) {
        const auto topic = new_topic(*cluster, std::string("keys-") + kind, partitions);
        topic_of[kind] = topic;
        const auto count = keys.size() * 2; // every key twice
        delivery_log log(count);
        kafkit::producer producer(producer_config(*cluster, {{"partitioner", kind}}));
        for (std::size_t i = 0; i < count; ++i) {
            const auto value = std::to_string(i % keys.size());
            kafkit::producer_record record;
            record.topic = topic;
            record.key = keys[i % keys.size()].key;
            record.value = value;
            REQUIRE_FALSE(producer.send(record, log.callback(i)));
        }
        REQUIRE_FALSE(producer.flush(10s));
        for (const auto& o : log.outcomes())
            CHECK_FALSE(o.error);
    }

    const auto read = read_topics(cluster->bootstrap_servers(),
                                  {topic_of["murmur2_random"], topic_of["murmur2"]});
    for (const auto& [kind, topic] : topic_of) {
        INFO("partitioner=" << kind);
        const auto& records = read.at(topic);
        CHECK(records.size() == keys.size() * 2);
        std::size_t on_every_partition = 0;
        for (const auto& [partition, list] : records.by_partition) {
            on_every_partition += list.empty() ? 0 : 1;
            for (const auto& r : list) {
                REQUIRE(r.value);
                const auto& k = keys.at(std::stoul(*r.value));
                INFO("key \"" << k.key << "\" at " << partition << "@" << r.offset);
                CHECK(r.key == k.key);
                CHECK(partition == k.partition);
            }
        }
        CHECK(on_every_partition == static_cast<std::size_t>(partitions));
    }
}
