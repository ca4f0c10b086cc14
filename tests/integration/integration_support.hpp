#pragma once
// Small helpers shared by the integration tests: requests built the way the tests use
// them, and waiting for a condition with a deadline.

#include "broker_test_client.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "kafkit/protocol/record_batch.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace kafkit::integration {

/// A Metadata request for these topics (no auto-creation unless asked).
inline protocol::metadata_request metadata_for(const std::vector<std::string>& topics, bool allow_auto_create = false) {
    protocol::metadata_request request;
    std::vector<protocol::metadata_request::metadata_request_topic> wanted;
    for (const auto& name : topics) {
        protocol::metadata_request::metadata_request_topic t;
        t.name = name;
        wanted.push_back(t);
    }
    request.topics = std::move(wanted);
    request.allow_auto_topic_creation = allow_auto_create;
    return request;
}

/// The highest version of `api_key` the broker at `port` serves (ApiVersions v0), capped at
/// `cap`; -1 when it does not serve the API.
inline std::int16_t served_version(std::uint16_t port, std::int16_t api_key, std::int16_t cap) {
    testing::broker_test_client client(port);
    const auto versions = client.call<protocol::api_versions_response>(protocol::api_versions_request{}, 0);
    for (const auto& api : versions.api_keys)
        if (api.api_key == api_key) return std::min(api.max_version, cap);
    return -1;
}

/// Produces `values` as one batch to topic-partition with acks=all; returns the base offset.
/// Throws std::runtime_error when the broker answers an error.
inline std::int64_t produce(testing::broker_test_client& client, const std::string& topic, std::int32_t partition,
                            const std::vector<std::string>& values, std::int16_t version) {
    protocol::record_batch_builder builder;
    for (const auto& v : values) builder.append(1700000000000, std::nullopt, protocol::bytes_view::of(v));
    std::vector<std::uint8_t> batch;
    if (!builder.finish(batch)) throw std::runtime_error("cannot build a batch");
    protocol::produce_request request;
    request.acks = -1;
    request.timeout_ms = 5000;
    protocol::produce_request::topic_produce_data t;
    t.name = topic;
    protocol::produce_request::partition_produce_data p;
    p.index = partition;
    p.records = protocol::bytes_view(batch.data(), batch.size());
    t.partition_data.push_back(p);
    request.topic_data.push_back(t);
    auto response = client.call<protocol::produce_response>(request, version);
    const auto& answer = response.responses.at(0).partition_responses.at(0);
    if (answer.error_code != 0)
        throw std::runtime_error("produce failed: " + std::string(kafka_error_name(answer.error_code)));
    return answer.base_offset;
}

/// Polls `condition` until it holds or `timeout` passes; returns its last value. For
/// conditions with no event to wait on (another process's state).
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

} // namespace kafkit::integration
