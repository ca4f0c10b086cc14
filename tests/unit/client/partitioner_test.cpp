// The built-in partitioners against known values of the clients they are compatible with:
// - Java: UtilsTest.testMurmur2 (apache/kafka, clients/src/test/.../utils/UtilsTest.java) and
//   the partitions kafka-python checks against the Java client's partitioner
//   (test/test_partitioner.py, test_murmur2_java_compatibility, 1000 partitions).
// - librdkafka: unittest_murmur2 (src/rdmurmur2.c), unittest_fnv1a (src/rdfnv1a.c) and the
//   expected partitions of tests/0048-partitioner.c (CRC32, murmur2, FNV-1a of its keys).

#include "kafkit/partitioner.hpp"
#include "producer/partitioners.hpp"

#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using kafkit::null_key_policy;
using kafkit::partition_id;
using kafkit::partitioner_kind;

namespace {

std::span<const std::uint8_t> bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::int32_t part(kafkit::partitioner& p, std::optional<std::string_view> key, std::int32_t n,
                  std::string_view topic = "t") {
    return p.partition(topic, key, n).value();
}

constexpr std::array all_kinds{partitioner_kind::random,         partitioner_kind::consistent,
                               partitioner_kind::consistent_random, partitioner_kind::murmur2,
                               partitioner_kind::murmur2_random, partitioner_kind::fnv1a,
                               partitioner_kind::fnv1a_random};

// The keys of librdkafka's 0048-partitioner test (after its null key): "" and an unaligned
// "23456" ("123456" + 1), a long one and a short one.
constexpr std::array<std::string_view, 4> rdkafka_keys{
    "", "23456", "this is another string with more length to it perhaps", "hejsan"};

} // namespace

TEST_CASE("murmur2: matches the Java client's UtilsTest vectors") {
    CHECK(kafkit::murmur2(bytes("21")) == -973932308);
    CHECK(kafkit::murmur2(bytes("foobar")) == -790332482);
    CHECK(kafkit::murmur2(bytes("a-little-bit-long-string")) == -985981536);
    CHECK(kafkit::murmur2(bytes("a-little-bit-longer-string")) == -1486304829);
    CHECK(kafkit::murmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")) == -58897971);
    const std::array<std::uint8_t, 3> abc{'a', 'b', 'c'};
    CHECK(kafkit::murmur2(abc) == 479470107);
}

TEST_CASE("java_partition_for_key: the Java client's partitions of 1000, as kafka-python checks") {
    CHECK(kafkit::java_partition_for_key(bytes(""), 1000).value() == 681);
    CHECK(kafkit::java_partition_for_key(bytes("a"), 1000).value() == 524);
    CHECK(kafkit::java_partition_for_key(bytes("ab"), 1000).value() == 434);
    CHECK(kafkit::java_partition_for_key(bytes("abc"), 1000).value() == 107);
    CHECK(kafkit::java_partition_for_key(bytes("123456789"), 1000).value() == 566);
    CHECK(kafkit::java_partition_for_key(bytes(std::string_view("\0 ", 2)), 1000).value() == 742);
}

TEST_CASE("java_partition_for_key: clears the sign bit instead of taking the absolute value") {
    // murmur2("21") is negative: toPositive keeps the low 31 bits.
    const std::uint32_t positive = static_cast<std::uint32_t>(-973932308) & 0x7fffffffu;
    CHECK(positive == 1173551340u);
    for (std::int32_t n : {1, 2, 3, 7, 17, 1000, 65535}) {
        CHECK(kafkit::java_partition_for_key(bytes("21"), n).value() ==
              static_cast<std::int32_t>(positive % static_cast<std::uint32_t>(n)));
    }
}

TEST_CASE("murmur2 and librdkafka_fnv1a: match librdkafka's unit tests at every alignment") {
    // unittest_murmur2 and unittest_fnv1a hash the same keys; the FNV-1a values are after
    // librdkafka's absolute value.
    struct hash_case {
        std::string_view key;
        std::uint32_t murmur2;
        std::uint32_t fnv1a;
    };
    const std::string_view unaligned = "PreAmbleWillBeRemoved,ThePrePartThatIs";
    const std::array<hash_case, 11> cases{{
        {"kafka", 0xd067cf64u, 0x0d33c4e1u},
        {"giberish123456789", 0x8f552b0cu, 0x77a58295u},
        {"1234", 0x9fc97b14u, 0x023bdd03u},
        {"234", 0xe7c009cau, 0x2dea3cd2u},
        {"34", 0x873930dau, 0x740fa83eu},
        {"4", 0x5a4b5ca1u, 0x310ca263u},
        {unaligned, 0x78424f1cu, 0x65cbd69cu},
        {unaligned.substr(1), 0x4a62b377u, 0x6e49c79au},
        {unaligned.substr(2), 0xe0e4e09eu, 0x69eed356u},
        {unaligned.substr(3), 0x62b8b43fu, 0x6abcc023u},
        {"", 0x106e08d9u, 0x7ee3623bu},
    }};
    for (const auto& c : cases) {
        CAPTURE(c.key);
        CHECK(static_cast<std::uint32_t>(kafkit::murmur2(bytes(c.key))) == c.murmur2);
        CHECK(kafkit::detail::librdkafka_fnv1a(bytes(c.key)) == c.fnv1a);
    }
}

TEST_CASE("partitioners: keyed records land where librdkafka's 0048-partitioner expects") {
    // Hashes from that test: CRC32, murmur2 (sign bit cleared) and FNV-1a of rdkafka_keys.
    const std::array<std::uint32_t, 4> crc{0x0u, 0xb1b451d7u, 0xb0150df7u, 0xd077037eu};
    const std::array<std::uint32_t, 4> mm2{0x106e08d9u, 0x058d780fu, 0x4f7703dau, 0x5ec19395u};
    const std::array<std::uint32_t, 4> fnv{0x7ee3623bu, 0x27e6f469u, 0x155e3e5fu, 0x17b1e27au};
    for (std::int32_t n : {7, 17}) {
        CAPTURE(n);
        const auto un = static_cast<std::uint32_t>(n);
        auto consistent = kafkit::make_partitioner(partitioner_kind::consistent);
        auto consistent_random = kafkit::make_partitioner(partitioner_kind::consistent_random);
        auto murmur2 = kafkit::make_partitioner(partitioner_kind::murmur2);
        auto murmur2_random = kafkit::make_partitioner(partitioner_kind::murmur2_random);
        auto fnv1a = kafkit::make_partitioner(partitioner_kind::fnv1a);
        auto fnv1a_random = kafkit::make_partitioner(partitioner_kind::fnv1a_random);
        for (std::size_t i = 0; i < rdkafka_keys.size(); ++i) {
            const auto key = rdkafka_keys[i];
            CAPTURE(key);
            CHECK(part(*consistent, key, n) == static_cast<std::int32_t>(crc[i] % un));
            CHECK(part(*murmur2, key, n) == static_cast<std::int32_t>(mm2[i] % un));
            CHECK(part(*murmur2_random, key, n) == static_cast<std::int32_t>(mm2[i] % un));
            CHECK(part(*fnv1a, key, n) == static_cast<std::int32_t>(fnv[i] % un));
            CHECK(part(*fnv1a_random, key, n) == static_cast<std::int32_t>(fnv[i] % un));
            if (!key.empty()) // consistent_random sends an empty key the null-key way
                CHECK(part(*consistent_random, key, n) == static_cast<std::int32_t>(crc[i] % un));
        }
        // A null key hashes as an empty one in the kinds without `_random`.
        CHECK(part(*consistent, std::nullopt, n) == 0);
        CHECK(part(*murmur2, std::nullopt, n) == static_cast<std::int32_t>(0x106e08d9u % un));
        CHECK(part(*fnv1a, std::nullopt, n) == static_cast<std::int32_t>(0x7ee3623bu % un));
    }
}

TEST_CASE("partitioners: the murmur2 kinds give keys the Java client's partition") {
    std::mt19937 rng(480);
    auto murmur2 = kafkit::make_partitioner(partitioner_kind::murmur2);
    auto murmur2_random = kafkit::make_partitioner(partitioner_kind::murmur2_random);
    for (int i = 0; i < 500; ++i) {
        std::string key(rng() % 40, '\0');
        for (auto& c : key) c = static_cast<char>(rng());
        const auto n = static_cast<std::int32_t>(1 + rng() % 100);
        const auto expected = kafkit::java_partition_for_key(bytes(key), n).value();
        CHECK(part(*murmur2, key, n) == expected);
        CHECK(part(*murmur2_random, key, n) == expected);
    }
}

TEST_CASE("partitioners: every kind answers within [0, partition_count)") {
    std::mt19937 rng(7);
    for (auto kind : all_kinds) {
        for (auto policy : {null_key_policy::sticky, null_key_policy::per_record}) {
            auto p = kafkit::make_partitioner(kind, policy);
            for (int i = 0; i < 400; ++i) {
                const auto n = static_cast<std::int32_t>(1 + rng() % 64);
                std::string key(rng() % 16, 'x');
                for (auto& c : key) c = static_cast<char>(rng());
                const std::optional<std::string_view> k =
                    i % 3 == 0 ? std::nullopt : std::optional<std::string_view>(key);
                const auto got = part(*p, k, n, i % 2 ? "a" : "b");
                CHECK(got >= 0);
                CHECK(got < n);
                if (i % 5 == 0) p->on_new_batch("a", partition_id{got}, n);
            }
        }
    }
}

TEST_CASE("partitioners: a single partition is always partition 0") {
    for (auto kind : all_kinds) {
        auto p = kafkit::make_partitioner(kind);
        for (int i = 0; i < 20; ++i) {
            CHECK(part(*p, std::nullopt, 1) == 0);
            CHECK(part(*p, "key", 1) == 0);
            p->on_new_batch("t", partition_id{0}, 1);
        }
    }
}

TEST_CASE("sticky null keys: a topic keeps its partition until its batch is sealed (KIP-480)") {
    for (auto kind : {partitioner_kind::random, partitioner_kind::consistent_random,
                      partitioner_kind::murmur2_random, partitioner_kind::fnv1a_random}) {
        auto p = kafkit::make_partitioner(kind, null_key_policy::sticky);
        std::int32_t current = part(*p, std::nullopt, 5);
        for (int batch = 0; batch < 50; ++batch) {
            for (int i = 0; i < 20; ++i) CHECK(part(*p, std::nullopt, 5) == current);
            p->on_new_batch("t", partition_id{current}, 5);
            const std::int32_t next = part(*p, std::nullopt, 5);
            CHECK(next != current);
            current = next;
        }
    }
}

TEST_CASE("sticky null keys: consistent_random sticks an empty key too, murmur2_random hashes it") {
    auto consistent_random = kafkit::make_partitioner(partitioner_kind::consistent_random);
    const std::int32_t sticky = part(*consistent_random, std::nullopt, 9);
    CHECK(part(*consistent_random, "", 9) == sticky);
    consistent_random->on_new_batch("t", partition_id{sticky}, 9);
    CHECK(part(*consistent_random, "", 9) != sticky);

    auto murmur2_random = kafkit::make_partitioner(partitioner_kind::murmur2_random);
    for (int i = 0; i < 10; ++i) {
        CHECK(part(*murmur2_random, "", 9) == static_cast<std::int32_t>(0x106e08d9u % 9));
        murmur2_random->on_new_batch("t", partition_id{part(*murmur2_random, std::nullopt, 9)}, 9);
    }
}

TEST_CASE("sticky null keys: topics stick independently") {
    auto p = kafkit::make_partitioner(partitioner_kind::murmur2_random);
    std::int32_t a = part(*p, std::nullopt, 6, "a");
    const std::int32_t b = part(*p, std::nullopt, 6, "b");
    for (int i = 0; i < 30; ++i) {
        p->on_new_batch("a", partition_id{a}, 6);
        const std::int32_t moved = part(*p, std::nullopt, 6, "a");
        CHECK(moved != a);
        a = moved;
        CHECK(part(*p, std::nullopt, 6, "b") == b);
    }
}

TEST_CASE("sticky null keys: a seal of a partition the topic already left changes nothing") {
    auto p = kafkit::make_partitioner(partitioner_kind::murmur2_random);
    const std::int32_t current = part(*p, std::nullopt, 4);
    // Another sender's batch on another partition was sealed: the topic stays put.
    for (std::int32_t other = 0; other < 4; ++other) {
        if (other == current) continue;
        p->on_new_batch("t", partition_id{other}, 4);
        CHECK(part(*p, std::nullopt, 4) == current);
    }
}

TEST_CASE("sticky null keys: with two partitions a seal alternates between them") {
    auto p = kafkit::make_partitioner(partitioner_kind::fnv1a_random);
    std::int32_t current = part(*p, std::nullopt, 2);
    for (int i = 0; i < 10; ++i) {
        p->on_new_batch("t", partition_id{current}, 2);
        const std::int32_t next = part(*p, std::nullopt, 2);
        CHECK(next == 1 - current);
        current = next;
    }
}

TEST_CASE("sticky null keys: the hashing kinds ignore seals") {
    for (auto kind : {partitioner_kind::consistent, partitioner_kind::murmur2, partitioner_kind::fnv1a}) {
        auto p = kafkit::make_partitioner(kind, null_key_policy::sticky);
        const std::int32_t fixed = part(*p, std::nullopt, 11);
        for (int i = 0; i < 10; ++i) {
            p->on_new_batch("t", partition_id{fixed}, 11);
            CHECK(part(*p, std::nullopt, 11) == fixed);
        }
    }
}

TEST_CASE("per-record null keys: records spread over every partition, seals do not matter") {
    for (auto kind : {partitioner_kind::random, partitioner_kind::murmur2_random}) {
        auto p = kafkit::make_partitioner(kind, null_key_policy::per_record);
        std::set<std::int32_t> seen;
        // 2,000 draws over 4 partitions: missing one has probability below 4 * 0.75^2000.
        for (int i = 0; i < 2000; ++i) seen.insert(part(*p, std::nullopt, 4));
        CHECK(seen == std::set<std::int32_t>{0, 1, 2, 3});
    }
}

TEST_CASE("random: keyed records also spread over every partition") {
    auto p = kafkit::make_partitioner(partitioner_kind::random);
    std::set<std::int32_t> seen;
    for (int i = 0; i < 2000; ++i) seen.insert(part(*p, "same key", 4));
    CHECK(seen == std::set<std::int32_t>{0, 1, 2, 3});
}

TEST_CASE("random_partition_except: never the excluded partition, every other one") {
    for (std::int32_t excluded = 0; excluded < 5; ++excluded) {
        std::set<std::int32_t> seen;
        for (int i = 0; i < 2000; ++i) seen.insert(kafkit::detail::random_partition_except(excluded, 5));
        std::set<std::int32_t> others{0, 1, 2, 3, 4};
        others.erase(excluded);
        CHECK(seen == others);
    }
    CHECK(kafkit::detail::random_partition_except(0, 1) == 0);
}

TEST_CASE("sticky null keys: concurrent senders and seals stay in range") {
    auto p = kafkit::make_partitioner(partitioner_kind::murmur2_random);
    std::atomic<int> out_of_range{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&p, &out_of_range, t] {
            const std::string topic = t % 2 ? "odd" : "even";
            for (int i = 0; i < 5000; ++i) {
                const auto got = p->partition(topic, std::nullopt, 8).value();
                if (got < 0 || got >= 8) ++out_of_range;
                if (i % 50 == 0) p->on_new_batch(topic, partition_id{got}, 8);
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(out_of_range.load() == 0);
}
