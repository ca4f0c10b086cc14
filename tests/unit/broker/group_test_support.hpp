#pragma once
// Helpers for the group coordinator tests: consumer-protocol metadata, JoinGroup requests,
// reading a deferred response from a client that sent its request with send(), and the
// KIP-394 two-step join.

#include "broker_test_client.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/consumer_protocol_subscription.hpp"
#include "kafkit/protocol/messages/describe_groups.hpp"
#include "kafkit/protocol/messages/heartbeat.hpp"
#include "kafkit/protocol/messages/join_group.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/sync_group.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace group_test {

using kafkit::testing::broker_test_client;
namespace proto = kafkit::protocol;

/// The error code of a kafka_errc, for comparisons with response fields.
inline std::int16_t code(kafkit::kafka_errc e) { return static_cast<std::int16_t>(e); }

/// A ConsumerProtocolSubscription (version prefix + v0 body) subscribing to `topics`.
inline std::vector<std::uint8_t> subscription(const std::vector<std::string>& topics) {
    proto::consumer_protocol_subscription s;
    s.topics = topics;
    std::vector<std::uint8_t> out{0, 0}; // version 0
    REQUIRE(proto::encode(s, 0, out));
    return out;
}

/// One JoinGroup protocol: a name and metadata that must outlive the request.
struct protocol_spec {
    std::string name;
    std::vector<std::uint8_t> metadata;
};

/// A JoinGroup request of protocol type "consumer".
inline proto::join_group_request make_join(const std::string& group, const std::string& member_id,
                                           const std::vector<protocol_spec>& protocols,
                                           std::int32_t session_ms = 10000, std::int32_t rebalance_ms = 10000,
                                           std::optional<std::string> instance = std::nullopt) {
    proto::join_group_request request;
    request.group_id = group;
    request.member_id = member_id;
    request.session_timeout_ms = session_ms;
    request.rebalance_timeout_ms = rebalance_ms;
    request.group_instance_id = std::move(instance);
    request.protocol_type = "consumer";
    for (const auto& p : protocols) {
        proto::join_group_request::join_group_request_protocol jp;
        jp.name = p.name;
        jp.metadata = proto::bytes_view(p.metadata.data(), p.metadata.size());
        request.protocols.push_back(jp);
    }
    return request;
}

/// A decoded response together with the frame its byte fields view (the test client's
/// call() drops the frame, so bytes fields must be read through this).
template <class R>
struct owned_response {
    std::vector<std::uint8_t> frame;
    R body;
    const R* operator->() const { return &body; }
};

/// Reads the next response frame on `client` and decodes it as R at `version`.
template <class R>
owned_response<R> receive(broker_test_client& client, std::int16_t version) {
    auto frame = client.read_frame();
    REQUIRE(frame);
    auto decoded = proto::decode_response_frame<R>(proto::bytes_view(frame->data(), frame->size()), version);
    REQUIRE(decoded);
    owned_response<R> out;
    out.body = std::move(decoded->body);
    out.frame = std::move(*frame); // moving keeps the buffer the views point into
    return out;
}

/// Sends `request` and reads its response, keeping the frame.
template <class R, class Q>
owned_response<R> exchange(broker_test_client& client, const Q& request, std::int16_t version) {
    client.send(request, version);
    return receive<R>(client, version);
}

/// The bytes of a view as a string, for comparisons.
inline std::string text(proto::bytes_view bytes) { return std::string(bytes.as_string()); }

/// The bytes of a vector as a string, for comparisons.
inline std::string text(const std::vector<std::uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

/// Creates `topic` (auto-creation through Metadata) with the broker's default partitions.
inline void ensure_topic(broker_test_client& client, const std::string& topic) {
    proto::metadata_request request;
    proto::metadata_request::metadata_request_topic t;
    t.name = topic;
    request.topics = std::vector{t};
    auto response = client.call<proto::metadata_response>(request, 12);
    REQUIRE(response.topics.size() == 1);
    REQUIRE(response.topics[0].error_code == 0);
}

/// KIP-394 first step: a JoinGroup v9 without member id; returns the id handed out.
inline std::string request_member_id(broker_test_client& client, const std::string& group,
                                     const std::vector<protocol_spec>& protocols, std::int32_t session_ms = 10000,
                                     std::int32_t rebalance_ms = 10000) {
    auto response = client.call<proto::join_group_response>(make_join(group, "", protocols, session_ms, rebalance_ms), 9);
    REQUIRE(response.error_code == code(kafkit::kafka_errc::member_id_required));
    REQUIRE_FALSE(response.member_id.empty());
    return response.member_id;
}

/// A SyncGroup v5 of protocol "consumer"/`protocol` with the leader's assignments.
inline proto::sync_group_request make_sync(const std::string& group, std::int32_t generation,
                                           const std::string& member_id, const std::string& protocol,
                                           const std::vector<std::pair<std::string, std::string>>& assignments = {}) {
    proto::sync_group_request request;
    request.group_id = group;
    request.generation_id = generation;
    request.member_id = member_id;
    request.protocol_type = std::string("consumer");
    request.protocol_name = protocol;
    for (const auto& [id, bytes] : assignments) {
        proto::sync_group_request::sync_group_request_assignment a;
        a.member_id = id;
        a.assignment = proto::bytes_view::of(bytes);
        request.assignments.push_back(a);
    }
    return request;
}

/// A Heartbeat v4; returns its error code.
inline std::int16_t beat(broker_test_client& client, const std::string& group, const std::string& member_id,
                         std::int32_t generation, std::optional<std::string> instance = std::nullopt) {
    proto::heartbeat_request request;
    request.group_id = group;
    request.member_id = member_id;
    request.generation_id = generation;
    request.group_instance_id = std::move(instance);
    return client.call<proto::heartbeat_response>(request, 4).error_code;
}

/// DescribeGroups v5 of one group.
inline owned_response<proto::describe_groups_response> describe(broker_test_client& client, const std::string& group) {
    proto::describe_groups_request request;
    request.groups = {group};
    auto response = exchange<proto::describe_groups_response>(client, request, 5);
    REQUIRE(response->groups.size() == 1);
    return response;
}

/// A member that joined and synced alone (generation 1, Stable): its id.
inline std::string join_alone(broker_test_client& client, const std::string& group,
                              const std::vector<protocol_spec>& protocols, const std::string& assignment,
                              std::int32_t session_ms = 10000, std::int32_t rebalance_ms = 10000) {
    const auto id = request_member_id(client, group, protocols, session_ms, rebalance_ms);
    auto joined = exchange<proto::join_group_response>(client, make_join(group, id, protocols, session_ms, rebalance_ms), 9);
    REQUIRE(joined->error_code == 0);
    REQUIRE(joined->leader == id);
    const std::vector<std::pair<std::string, std::string>> plan{{id, assignment}};
    auto synced = exchange<proto::sync_group_response>(
        client, make_sync(group, joined->generation_id, id, *joined->protocol_name, plan), 5);
    REQUIRE(synced->error_code == 0);
    REQUIRE(text(synced->assignment) == assignment);
    return id;
}

/// A fresh directory under the system temp dir, removed when the object goes.
class temp_dir {
public:
    temp_dir() {
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() / ("kafkit-group-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// Polls `done` until it is true or `limit` passes; returns its last answer.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds limit = std::chrono::seconds(5),
                std::chrono::milliseconds step = std::chrono::milliseconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (done()) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(step);
    }
}

} // namespace group_test
