// Produce against the embedded broker: the records come back as written, offsets are
// assigned, and bad input is refused per partition as Kafka refuses it.

#include "data_support.hpp"

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

TEST_CASE("produce: records come back with keys, values, headers and timestamps") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "round", 1);
    std::vector<test_record> records{
        {"k1", "hello", 1700000000123, {{"h1", "a"}, {"h2", ""}}},
        {std::nullopt, "no key", 1700000000456, {}},
        {"tomb", std::nullopt, 1700000000789, {{"dup", "1"}, {"dup", "2"}}},
    };
    auto first = produce(client, "round", 0, make_batch(records));
    CHECK(first.error_code == 0);
    CHECK(first.base_offset == 0);
    CHECK(first.log_append_time_ms == -1);
    CHECK(first.log_start_offset == 0);
    auto second = produce(client, "round", 0, make_batch(numbered(2)), 3);
    CHECK(second.error_code == 0);
    CHECK(second.base_offset == 3);

    for (std::int16_t version : {4, 11, 12}) {
        auto got = fetch_records(client, "round", 0, 0, version);
        REQUIRE(got.size() == 5);
        CHECK(got[0].offset == 0);
        CHECK(got[0].key == std::optional<std::string>("k1"));
        CHECK(got[0].value == std::optional<std::string>("hello"));
        CHECK(got[0].timestamp == 1700000000123);
        CHECK(got[0].headers == std::vector<std::pair<std::string, std::string>>{{"h1", "a"}, {"h2", ""}});
        CHECK_FALSE(got[1].key.has_value());
        CHECK(got[1].timestamp == 1700000000456);
        CHECK_FALSE(got[2].value.has_value());
        CHECK(got[2].headers.size() == 2);
        CHECK(got[3].offset == 3);
        CHECK(got[4].value == std::optional<std::string>("v1"));
        CHECK_FALSE(got[4].log_append_time);
    }
}

TEST_CASE("produce: compressed batches are stored and served as sent") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "zipped", 1);
    for (auto codec : {compression_codec::gzip, compression_codec::snappy, compression_codec::lz4, compression_codec::zstd}) {
        record_batch_options options;
        options.codec = codec;
        auto r = produce(client, "zipped", 0, make_batch(numbered(3, std::string(to_string(codec))), options));
        CHECK(r.error_code == 0);
    }
    auto got = fetch_records(client, "zipped", 0, 0);
    REQUIRE(got.size() == 12);
    CHECK(got[0].value == std::optional<std::string>("gzip0"));
    CHECK(got[11].value == std::optional<std::string>("zstd2"));
    CHECK(got[11].offset == 11);

    // zstd needs Produce v7 (KIP-110).
    record_batch_options zstd;
    zstd.codec = compression_codec::zstd;
    auto old = produce(client, "zipped", 0, make_batch(numbered(1), zstd), 6);
    CHECK(old.error_code == code(kafka_errc::unsupported_compression_type));
}

TEST_CASE("produce: acks=0 gets no response, the records are written") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "quiet", 1);
    auto batch = make_batch(numbered(4));
    client.send(produce_one("quiet", 0, batch, 0), 9);
    // The next request's answer is the next frame: nothing came for the acks=0 produce.
    auto got = fetch_records(client, "quiet", 0, 0);
    REQUIRE(got.size() == 4);
    CHECK(got[3].value == std::optional<std::string>("v3"));

    // With acks=0 an error closes the connection (the client learns nothing otherwise).
    client.send(produce_one("missing", 0, batch, 0), 9);
    CHECK(client.wait_closed());
}

TEST_CASE("produce: several partitions and topics in one request") {
    broker::broker_config config;
    config.num_partitions = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    create_topic(client, "multi", 3);
    create_topic(client, "other", 1);
    std::vector<std::vector<std::uint8_t>> batches;
    for (int p = 0; p < 3; ++p) batches.push_back(make_batch(numbered(p + 1, "p" + std::to_string(p) + "-")));
    auto other = make_batch(numbered(2, "o"));
    for (int round = 0; round < 2; ++round) {
        produce_request request;
        request.acks = 1;
        request.timeout_ms = 1000;
        produce_request::topic_produce_data t;
        t.name = "multi";
        for (int p = 0; p < 3; ++p) {
            produce_request::partition_produce_data d;
            d.index = p;
            d.records = bytes_view(batches[static_cast<std::size_t>(p)].data(), batches[static_cast<std::size_t>(p)].size());
            t.partition_data.push_back(d);
        }
        produce_request::topic_produce_data o;
        o.name = "other";
        produce_request::partition_produce_data d;
        d.index = 0;
        d.records = bytes_view(other.data(), other.size());
        o.partition_data.push_back(d);
        request.topic_data = {t, o};
        auto response = client.call<produce_response>(request, 8);
        REQUIRE(response.responses.size() == 2);
        CHECK(response.responses[0].name == "multi");
        REQUIRE(response.responses[0].partition_responses.size() == 3);
        for (int p = 0; p < 3; ++p) {
            const auto& r = response.responses[0].partition_responses[static_cast<std::size_t>(p)];
            CHECK(r.index == p);
            CHECK(r.error_code == 0);
            CHECK(r.base_offset == round * (p + 1));
        }
        CHECK(response.responses[1].partition_responses[0].base_offset == round * 2);
    }
    auto p2 = fetch_records(client, "multi", 2, 0);
    REQUIRE(p2.size() == 6);
    CHECK(p2[5].value == std::optional<std::string>("p2-2"));
    CHECK(p2[5].offset == 5);
}

TEST_CASE("produce: a partition led by another node is NOT_LEADER_OR_FOLLOWER with its leader (KIP-951)") {
    broker::broker_config config;
    config.brokers = 3;
    embedded_broker broker(config);
    broker_test_client client(broker.port(0));
    create_topic(client, "spread", 3);
    const auto leader_of = leaders(client, "spread");
    // A partition node 1 (port 0) does not lead.
    std::int32_t elsewhere = -1;
    for (const auto& [p, leader] : leader_of)
        if (leader != 1) elsewhere = p;
    REQUIRE(elsewhere >= 0);
    const std::int32_t leader = leader_of.at(elsewhere);
    auto response = client.call<produce_response>(produce_one("spread", elsewhere, make_batch(numbered(1))), 11);
    const auto& r = response.responses.at(0).partition_responses.at(0);
    CHECK(r.error_code == code(kafka_errc::not_leader_or_follower));
    CHECK(r.base_offset == -1);
    CHECK(r.current_leader.leader_id == leader);
    CHECK(r.current_leader.leader_epoch == 0);
    REQUIRE(response.node_endpoints.size() == 1);
    CHECK(response.node_endpoints[0].node_id == leader);
    CHECK(response.node_endpoints[0].port == broker.port(static_cast<std::size_t>(leader - 1)));

    // Before v10 there is no leader hint.
    auto old = client.call<produce_response>(produce_one("spread", elsewhere, make_batch(numbered(1))), 9);
    CHECK(old.responses.at(0).partition_responses.at(0).error_code == code(kafka_errc::not_leader_or_follower));
    CHECK(old.node_endpoints.empty());

    // The leader takes it.
    broker_test_client at_leader(broker.port(static_cast<std::size_t>(leader - 1)));
    CHECK(produce(at_leader, "spread", elsewhere, make_batch(numbered(1))).error_code == 0);
}

TEST_CASE("produce: unknown topics and partitions, transactional ids, bad acks") {
    broker::broker_config config;
    config.auto_create_topics = true;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    create_topic(client, "known", 1);
    auto batch = make_batch(numbered(1));
    // Produce never creates topics (Kafka 3.x: only Metadata does).
    CHECK(produce(client, "nowhere", 0, batch).error_code == code(kafka_errc::unknown_topic_or_partition));
    CHECK(produce(client, "known", 5, batch).error_code == code(kafka_errc::unknown_topic_or_partition));
    metadata_request lookup;
    metadata_request::metadata_request_topic wanted;
    wanted.name = std::string("nowhere");
    lookup.topics = std::vector{wanted};
    lookup.allow_auto_topic_creation = false;
    auto metadata = client.call<metadata_response>(lookup, 12);
    CHECK(metadata.topics.at(0).error_code == code(kafka_errc::unknown_topic_or_partition));

    auto transactional = produce_one("known", 0, batch);
    transactional.transactional_id = "tx-1";
    auto tx = client.call<produce_response>(transactional, 11);
    CHECK(tx.responses[0].partition_responses[0].error_code == code(kafka_errc::transactional_id_authorization_failed));
    record_batch_options txn_batch = idempotent(5000, 0, 0);
    txn_batch.transactional = true;
    CHECK(produce(client, "known", 0, make_batch(numbered(1), txn_batch)).error_code ==
          code(kafka_errc::transactional_id_authorization_failed));

    auto bad_acks = produce_one("known", 0, batch, 2);
    auto acks = client.call<produce_response>(bad_acks, 11);
    CHECK(acks.responses[0].partition_responses[0].error_code == code(kafka_errc::invalid_required_acks));
    CHECK(fetch_records(client, "known", 0, 0).empty());
}

TEST_CASE("produce: a corrupted batch is refused with CORRUPT_MESSAGE and not written") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "crc", 1);
    auto batch = make_batch(numbered(3));
    batch.back() ^= 0x5a; // a value byte: the CRC no longer matches
    auto r = produce(client, "crc", 0, batch);
    CHECK(r.error_code == code(kafka_errc::corrupt_message));
    REQUIRE(r.error_message);
    CHECK(r.error_message->find("Record is corrupt") != std::string::npos);
    CHECK(r.base_offset == -1);
    CHECK(produce(client, "crc", 0, make_batch(numbered(1))).base_offset == 0);
}

TEST_CASE("produce: batch shape rules of Produce v3+") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "shape", 1);
    auto one = make_batch(numbered(2));
    auto two = one;
    two.insert(two.end(), one.begin(), one.end());
    auto r = produce(client, "shape", 0, two);
    CHECK(r.error_code == code(kafka_errc::invalid_record));
    REQUIRE(r.error_message);
    CHECK(r.error_message->find("exactly one record batch") != std::string::npos);

    record_batch_options offset_five;
    offset_five.base_offset = 5;
    CHECK(produce(client, "shape", 0, make_batch(numbered(1), offset_five)).error_code == code(kafka_errc::invalid_record));

    record_batch_options wrong_delta;
    wrong_delta.last_offset_delta = 7; // claims 8 records, holds 2
    CHECK(produce(client, "shape", 0, make_batch(numbered(2), wrong_delta)).error_code == code(kafka_errc::invalid_record));

    auto empty = std::vector<std::uint8_t>{};
    CHECK(produce(client, "shape", 0, empty).error_code == code(kafka_errc::invalid_record));
    CHECK(fetch_records(client, "shape", 0, 0).empty());
}

TEST_CASE("produce: a batch over max.message.bytes is MESSAGE_TOO_LARGE") {
    broker::broker_config config;
    config.message_max_bytes = 300;
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    create_topic(client, "small", 1);
    create_topic(client, "roomy", 1, {{"max.message.bytes", "100000"}});
    std::vector<test_record> big{{"k", std::string(400, 'x'), 1, {}}};
    auto r = produce(client, "small", 0, make_batch(big));
    CHECK(r.error_code == code(kafka_errc::message_too_large));
    CHECK(produce(client, "small", 0, make_batch(numbered(1))).error_code == 0);
    // The topic's override wins over the broker default.
    CHECK(produce(client, "roomy", 0, make_batch(big)).error_code == 0);
}

TEST_CASE("produce: LogAppendTime topics stamp the append time on the batch") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "stamped", 1, {{"message.timestamp.type", "LogAppendTime"}});
    const auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    auto r = produce(client, "stamped", 0, make_batch(numbered(3, "v", 1000)));
    REQUIRE(r.error_code == 0);
    CHECK(r.log_append_time_ms >= before);
    auto got = fetch_records(client, "stamped", 0, 0); // decoding checks the patched CRC
    REQUIRE(got.size() == 3);
    for (const auto& rec : got) {
        CHECK(rec.log_append_time);
        CHECK(rec.timestamp == r.log_append_time_ms);
    }
}

TEST_CASE("produce: keys are required on compacted topics") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "compacted", 1, {{"cleanup.policy", "compact"}});
    std::vector<test_record> records{{"a", "1", 1, {}}, {std::nullopt, "2", 2, {}}};
    auto r = produce(client, "compacted", 0, make_batch(records));
    CHECK(r.error_code == code(kafka_errc::invalid_record));
    REQUIRE(r.record_errors.size() == 1);
    CHECK(r.record_errors[0].batch_index == 1);
}
