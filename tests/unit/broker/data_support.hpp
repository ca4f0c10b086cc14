#pragma once
// Helpers of the data-path tests (produce, fetch, offsets): record batches built with the
// codec's builder, topics created through CreateTopics, and one-partition Produce/Fetch
// calls through the blocking test client.

#include "broker_test_client.hpp"
#include "embedded_broker.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/create_topics.hpp"
#include "kafkit/protocol/messages/fetch.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::testing::data {

using namespace kafkit::protocol;

/// One record to write: key, value, headers, timestamp.
struct test_record {
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::int64_t timestamp = 1700000000000;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// A v2 batch of `records` (base offset 0, as producers write it).
inline std::vector<std::uint8_t> make_batch(const std::vector<test_record>& records, record_batch_options options = {}) {
    record_batch_builder builder(options);
    for (const auto& r : records) {
        std::vector<record_header> headers;
        for (const auto& [k, v] : r.headers) headers.push_back({k, bytes_view::of(v)});
        auto view = [](const std::optional<std::string>& s) -> std::optional<bytes_view> {
            if (!s) return std::nullopt;
            return bytes_view::of(*s);
        };
        builder.append(r.timestamp, view(r.key), view(r.value), headers);
    }
    std::vector<std::uint8_t> out;
    REQUIRE(builder.finish(out));
    return out;
}

/// `n` records with values "<prefix>0", "<prefix>1", ...
inline std::vector<test_record> numbered(int n, const std::string& prefix = "v", std::int64_t timestamp = 1700000000000) {
    std::vector<test_record> out;
    for (int i = 0; i < n; ++i) {
        // Appending (not "k" + ...) keeps g++ 12's -Wrestrict false positive away.
        std::string key("k");
        key.append(std::to_string(i));
        std::string value(prefix);
        value.append(std::to_string(i));
        out.push_back({key, value, timestamp + i, {}});
    }
    return out;
}

/// Options of an idempotent batch.
inline record_batch_options idempotent(std::int64_t producer_id, std::int16_t epoch, std::int32_t sequence) {
    record_batch_options o;
    o.producer_id = producer_id;
    o.producer_epoch = epoch;
    o.base_sequence = sequence;
    return o;
}

/// Creates a topic with CreateTopics v7 and returns its id.
inline uuid create_topic(broker_test_client& client, const std::string& name, std::int32_t partitions,
                         std::map<std::string, std::string> configs = {}) {
    create_topics_request request;
    create_topics_request::creatable_topic t;
    t.name = name;
    t.num_partitions = partitions;
    t.replication_factor = 1;
    for (const auto& [k, v] : configs) {
        create_topics_request::creatable_topic_config c;
        c.name = k;
        c.value = v;
        t.configs.push_back(c);
    }
    request.topics.push_back(t);
    auto response = client.call<create_topics_response>(request, 7);
    REQUIRE(response.topics.size() == 1);
    REQUIRE(response.topics[0].error_code == 0);
    return response.topics[0].topic_id;
}

/// Partition index -> leader node id of `topic`, from Metadata v12.
inline std::map<std::int32_t, std::int32_t> leaders(broker_test_client& client, const std::string& topic) {
    metadata_request request;
    metadata_request::metadata_request_topic t;
    t.name = topic;
    request.topics = std::vector{t};
    auto response = client.call<metadata_response>(request, 12);
    std::map<std::int32_t, std::int32_t> out;
    for (const auto& p : response.topics.at(0).partitions) out[p.partition_index] = p.leader_id;
    return out;
}

/// A produce request for one partition.
inline produce_request produce_one(const std::string& topic, std::int32_t partition, const std::vector<std::uint8_t>& records,
                                   std::int16_t acks = -1) {
    produce_request request;
    request.acks = acks;
    request.timeout_ms = 30000;
    produce_request::topic_produce_data t;
    t.name = topic;
    produce_request::partition_produce_data p;
    p.index = partition;
    p.records = bytes_view(records.data(), records.size());
    t.partition_data.push_back(p);
    request.topic_data.push_back(t);
    return request;
}

/// Produces `records` to one partition and returns that partition's answer.
inline produce_response::partition_produce_response produce(broker_test_client& client, const std::string& topic,
                                                            std::int32_t partition, const std::vector<std::uint8_t>& records,
                                                            std::int16_t version = 11) {
    auto response = client.call<produce_response>(produce_one(topic, partition, records), version);
    REQUIRE(response.responses.size() == 1);
    REQUIRE(response.responses[0].partition_responses.size() == 1);
    return response.responses[0].partition_responses[0];
}

/// A sessionless fetch of the given (partition, offset) pairs of one topic, answered at once.
inline fetch_request fetch_of(const std::string& topic, const std::vector<std::pair<std::int32_t, std::int64_t>>& parts,
                              std::int32_t partition_max_bytes = 1 << 20, uuid topic_id = {}) {
    fetch_request request;
    request.max_wait_ms = 0;
    request.min_bytes = 1;
    request.max_bytes = 50 << 20;
    request.session_epoch = -1;
    fetch_request::fetch_topic t;
    t.topic = topic;
    t.topic_id = topic_id;
    for (const auto& [partition, offset] : parts) {
        fetch_request::fetch_partition p;
        p.partition = partition;
        p.fetch_offset = offset;
        p.partition_max_bytes = partition_max_bytes;
        t.partitions.push_back(p);
    }
    request.topics.push_back(t);
    return request;
}

/// A record decoded from a fetch response, with copies of its bytes.
struct fetched_record {
    std::int64_t offset = 0;
    std::int64_t timestamp = 0;
    std::optional<std::string> key;
    std::optional<std::string> value;
    std::vector<std::pair<std::string, std::string>> headers;
    bool log_append_time = false;
    std::int8_t magic = 2;
};

/// Decodes every whole batch of `records` (CRC checked).
inline std::vector<fetched_record> decode_records(const std::optional<bytes_view>& records) {
    std::vector<fetched_record> out;
    if (!records) return out;
    auto batches = read_record_batches(*records);
    INFO("decoding fetched records: " << (batches ? std::string("ok") : batches.error().message()));
    REQUIRE(batches);
    auto copy = [](const std::optional<bytes_view>& b) -> std::optional<std::string> {
        if (!b) return std::nullopt;
        return std::string(b->as_string());
    };
    for (const auto& b : *batches)
        for (const auto& r : b.records()) {
            fetched_record f;
            f.offset = r.offset;
            f.timestamp = r.timestamp;
            f.key = copy(r.key);
            f.value = copy(r.value);
            for (const auto& h : r.headers) f.headers.emplace_back(std::string(h.key), h.value ? std::string(h.value->as_string()) : "");
            f.log_append_time = b.header().timestamp_kind() == timestamp_type::log_append_time;
            f.magic = r.magic;
            out.push_back(std::move(f));
        }
    return out;
}

/// A fetch response and the frame its record views point into (broker_test_client::call
/// would drop the frame: its records would dangle).
struct fetched {
    std::vector<std::uint8_t> frame;
    fetch_response body;
};

/// Reads the response to a Fetch sent earlier with correlation id `id`.
inline fetched receive_fetch(broker_test_client& client, std::int32_t id, std::int16_t version) {
    fetched out;
    auto frame = client.read_frame();
    REQUIRE(frame);
    out.frame = std::move(*frame);
    auto decoded = decode_response_frame<fetch_response>(bytes_view(out.frame.data(), out.frame.size()), version);
    REQUIRE(decoded);
    REQUIRE(decoded->correlation_id == id);
    out.body = std::move(decoded->body);
    return out;
}

/// Sends a Fetch and keeps the response frame with the decoded response.
inline fetched fetch_call(broker_test_client& client, const fetch_request& request, std::int16_t version) {
    const auto id = client.send(request, version);
    return receive_fetch(client, id, version);
}

/// The one partition of a fetch response with one topic.
inline const fetch_response::partition_data& only_partition(const fetch_response& response) {
    REQUIRE(response.responses.size() == 1);
    REQUIRE(response.responses[0].partitions.size() == 1);
    return response.responses[0].partitions[0];
}

/// Fetches one partition from `offset` (sessionless, no wait) and decodes its records.
inline std::vector<fetched_record> fetch_records(broker_test_client& client, const std::string& topic,
                                                 std::int32_t partition, std::int64_t offset, std::int16_t version = 12) {
    auto response = fetch_call(client, fetch_of(topic, {{partition, offset}}), version);
    const auto& p = only_partition(response.body);
    REQUIRE(p.error_code == 0);
    return decode_records(p.records);
}

/// Kafka's error code as the int16 the wire carries.
inline std::int16_t code(kafka_errc e) { return static_cast<std::int16_t>(e); }

} // namespace kafkit::testing::data
