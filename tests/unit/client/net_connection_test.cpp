// broker_connection against fake_broker on 127.0.0.1: the ApiVersions handshake and version
// choice, pipelining up to max.in.flight, request.timeout.ms, connection failures with
// reconnect after backoff, and frames that cannot be trusted. Everything runs on the test's
// io_context, driven by run_until(); waits end on conditions, bounded by deadlines.

#include "net_test_support.hpp"

#include "config/client_settings.hpp"
#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "net/broker_connection.hpp"
#include "net/request.hpp"
#include "util/logger.hpp"

#include <doctest/doctest.h>

#include <asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using kafkit::errc;
using kafkit::detail::broker_connection;
using kafkit::detail::outbound_request;
using kafkit::testing::api_versions_key;
using kafkit::testing::fake_broker;
using kafkit::testing::fake_reply;
using kafkit::testing::fake_request;
using kafkit::testing::metadata_key;
using kafkit::testing::net_fixture;
using kafkit::testing::run_until;
namespace protocol = kafkit::protocol;
using namespace std::chrono_literals;

namespace {

/// A Metadata request's outcome as its handler saw it.
struct response_record {
    std::string tag;
    std::error_code error;
    std::int16_t version = -1;
    protocol::metadata_response metadata;
};

/// A connection's listener call.
struct state_change {
    bool ready = false;
    std::error_code reason;
};

/// Connections to the fakes, and what their handlers and listeners saw (kept here so that
/// handlers failed at shut-down never reach a test's destroyed locals).
struct connection_fixture : net_fixture {
    ~connection_fixture() {
        for (auto& c : connections)
            c->shut_down();
    }

    std::shared_ptr<broker_connection> connect_to(const fake_broker& fake,
                                                  std::int32_t node_id = 1) {
        auto c = std::make_shared<broker_connection>(
            io, settings, make_logger(), node_id, fake.address(),
            [this](broker_connection& conn, bool ready, std::error_code reason) {
                changes[conn.node_id()].push_back({ready, reason});
            });
        connections.push_back(c);
        return c;
    }

    /// A Metadata request for no topics whose outcome is recorded under `tag`.
    outbound_request metadata_request(std::string tag) {
        return kafkit::detail::make_request<protocol::metadata_request,
                                            protocol::metadata_response>(
            protocol::metadata_request{},
            [this, tag = std::move(tag)](std::error_code ec, protocol::metadata_response response,
                                         std::int16_t version) {
                responses.push_back({tag, ec, version, std::move(response)});
            });
    }

    [[nodiscard]] const response_record* response(std::string_view tag) const {
        for (const auto& r : responses)
            if (r.tag == tag) return &r;
        return nullptr;
    }

    /// Runs until `tag` has its outcome; REQUIREs it came.
    const response_record& wait_for(std::string_view tag) {
        REQUIRE(run_until(io, [&] { return response(tag) != nullptr; }));
        return *response(tag);
    }

    std::deque<response_record> responses; // references stay valid as it grows
    std::map<std::int32_t, std::vector<state_change>> changes;
    std::vector<std::shared_ptr<broker_connection>> connections;
};

std::vector<std::int16_t> versions(const std::vector<fake_request>& requests) {
    std::vector<std::int16_t> out;
    for (const auto& r : requests)
        out.push_back(r.api_version);
    return out;
}

/// The fake's Metadata answer to `request` under another correlation id.
std::vector<std::uint8_t> answer_with_wrong_id(fake_broker& fake, const fake_request& request) {
    auto shifted = request;
    shifted.correlation_id += 1000;
    return fake.answer(shifted);
}

} // namespace

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: ApiVersions negotiation picks the highest version both sides know") {
    auto& fake = add_fake();
    fake.advertise(metadata_key, {0, 7});
    auto conn = connect_to(fake);
    CHECK(conn->current_state() == broker_connection::state::idle);
    conn->send(metadata_request("m"));

    const auto& r = wait_for("m");
    CHECK_FALSE(r.error);
    CHECK(r.version == 7);
    REQUIRE(r.metadata.brokers.size() == 1);
    CHECK(r.metadata.brokers[0].port == fake.port());
    CHECK(r.metadata.cluster_id == std::optional<std::string>("fake-cluster"));

    // ApiVersions first, at the client's highest version, then Metadata at v7.
    REQUIRE(fake.requests().size() == 2);
    CHECK(fake.requests()[0].api_key == api_versions_key);
    CHECK(fake.requests()[0].api_version == kafkit::detail::client_versions(api_versions_key).max);
    CHECK(fake.requests()[1].api_key == metadata_key);
    CHECK(fake.requests()[1].api_version == 7);
    CHECK(fake.requests()[1].correlation_id > fake.requests()[0].correlation_id);
    auto hello = protocol::decode<protocol::api_versions_request>(fake.requests()[0].body_view(),
                                                                  fake.requests()[0].api_version);
    REQUIRE(hello.has_value());
    CHECK(hello->client_software_name == "kafkit");

    CHECK(conn->is_ready());
    CHECK(conn->versions().broker(metadata_key).max == 7);
    CHECK(conn->versions().pick(metadata_key, kafkit::detail::client_versions(metadata_key)) == 7);
    REQUIRE(changes[1].size() == 1);
    CHECK(changes[1][0].ready);
    CHECK(conn->counters().connects == 1);
    CHECK(conn->counters().requests_sent == 2);
    CHECK(conn->counters().responses_received == 2);
    CHECK(fake.failures() == 0);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a request without a common version fails with unsupported_version, the connection stays up") {
    auto& fake = add_fake();
    fake.advertise(0, {0, 2}); // Produce before v3: no record batches v2
    auto conn = connect_to(fake);
    conn->send(metadata_request("first"));
    REQUIRE_FALSE(wait_for("first").error);

    int encoded = 0;
    std::error_code produce_error;
    bool produce_answered = false;
    outbound_request produce;
    produce.api_key = 0;
    produce.versions = kafkit::detail::client_versions(0);
    produce.encode_body = [&encoded](std::int16_t,
                                     kafkit::detail::request_buffer&) -> protocol::result<void> {
        ++encoded;
        return {};
    };
    produce.on_response = [&](std::error_code ec, std::int16_t, protocol::bytes_view) {
        produce_answered = true;
        produce_error = ec;
    };
    conn->send(std::move(produce));
    conn->send(metadata_request("after"));
    REQUIRE(run_until(io, [&] { return produce_answered && response("after") != nullptr; }));
    CHECK(produce_error == errc::unsupported_version);
    CHECK(encoded == 0);
    CHECK(fake.count(0) == 0);
    CHECK_FALSE(response("after")->error);
    CHECK(conn->is_ready());
    CHECK(conn->counters().connects == 1);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a broker that does not know our ApiVersions version is asked again at its own (KIP-511)") {
    auto& fake = add_fake();
    fake.set_api_versions_max(2);
    fake.advertise(metadata_key, {0, 9});
    auto conn = connect_to(fake);
    conn->send(metadata_request("m"));

    const auto& r = wait_for("m");
    CHECK_FALSE(r.error);
    CHECK(r.version == 9);
    const auto hellos = fake.requests_of(api_versions_key);
    CHECK(versions(hellos) ==
          std::vector<std::int16_t>{kafkit::detail::client_versions(api_versions_key).max, 2});
    CHECK(hellos.at(0).session == hellos.at(1).session); // on the same connection
    CHECK(conn->is_ready());
    CHECK(conn->versions().broker(api_versions_key).max == 2);
    CHECK(conn->counters().connects == 1);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: an UNSUPPORTED_VERSION answer no version reads makes it ask again at v0") {
    auto& fake = add_fake();
    fake.advertise(metadata_key, {0, 9});
    fake.set_policy([](const fake_request& r) {
        if (r.api_key != api_versions_key || r.api_version == 0) return fake_reply::answer();
        // As librdkafka 2.0's mock answers: the error code, then bytes no version decodes.
        auto frame = kafkit::testing::big_endian32(4 + 3);
        const auto id = kafkit::testing::big_endian32(r.correlation_id);
        frame.insert(frame.end(), id.begin(), id.end());
        frame.insert(frame.end(), {0x00, 0x23, 0x7f});
        return fake_reply::raw(std::move(frame));
    });
    auto conn = connect_to(fake);
    conn->send(metadata_request("m"));
    const auto& r = wait_for("m");
    CHECK_FALSE(r.error);
    CHECK(r.version == 9);
    CHECK(versions(fake.requests_of(api_versions_key)) ==
          std::vector<std::int16_t>{kafkit::detail::client_versions(api_versions_key).max, 0});
    CHECK(conn->counters().connects == 1);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: requests are pipelined up to max.in.flight and answered in order") {
    settings.max_in_flight_requests_per_connection = 3;
    auto& fake = add_fake();
    fake.hold(metadata_key);
    auto conn = connect_to(fake);
    for (int i = 0; i < 5; ++i)
        conn->send(metadata_request("r" + std::to_string(i)));

    REQUIRE(run_until(io, [&] { return fake.held() == 3; }));
    // Three written without waiting for answers; two wait for room.
    CHECK(conn->in_flight() == 3);
    CHECK(conn->queued() == 2);
    CHECK_FALSE(conn->has_capacity());
    CHECK(fake.count(metadata_key) == 3);
    CHECK(responses.empty());

    fake.stop_holding(metadata_key);
    fake.answer_held();
    REQUIRE(run_until(io, [&] { return responses.size() == 5; }));
    std::vector<std::string> order;
    for (const auto& r : responses) {
        order.push_back(r.tag);
        CHECK_FALSE(r.error);
    }
    CHECK(order == std::vector<std::string>{"r0", "r1", "r2", "r3", "r4"});
    CHECK(fake.count(metadata_key) == 5);
    CHECK(fake.max_outstanding() == 3);
    CHECK(fake.sessions_accepted() == 1);
    const auto sent = fake.requests_of(metadata_key);
    for (std::size_t i = 1; i < sent.size(); ++i)
        CHECK(sent[i].correlation_id > sent[i - 1].correlation_id);
    CHECK(conn->in_flight() == 0);
    CHECK(conn->has_capacity());
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: request.timeout.ms closes the connection and fails in-flight requests with timed_out") {
    settings.request_timeout = 200ms;
    settings.max_in_flight_requests_per_connection = 2;
    auto& fake = add_fake();
    fake.hold(metadata_key);
    auto conn = connect_to(fake);
    conn->send(metadata_request("a"));
    conn->send(metadata_request("b"));
    conn->send(metadata_request("queued"));
    REQUIRE(run_until(io, [&] { return responses.size() == 3; }));
    CHECK(response("a")->error == errc::timed_out);
    CHECK(response("b")->error == errc::timed_out);
    // Never written: it failed to reach the broker rather than timed out there.
    CHECK(response("queued")->error == errc::connection_failed);
    CHECK(conn->current_state() == broker_connection::state::backoff);
    CHECK(conn->in_flight() == 0);
    CHECK(conn->queued() == 0);
    REQUIRE_FALSE(changes[1].empty());
    CHECK_FALSE(changes[1].back().ready);
    CHECK(changes[1].back().reason == errc::timed_out);
    CHECK(logged("request.timeout.ms"));
    REQUIRE(run_until(io, [&] { return fake.sessions_ended() == 1; })); // the socket was closed

    // The next request reconnects once the backoff is over, and is answered.
    fake.stop_holding(metadata_key);
    conn->send(metadata_request("later"));
    CHECK_FALSE(wait_for("later").error);
    CHECK(fake.sessions_accepted() == 2);
    CHECK(conn->counters().connects == 2);
    CHECK(conn->counters().disconnects == 1);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: connection refused fails with connection_failed and reconnects after the backoff") {
    settings.reconnect_backoff = 200ms;
    settings.reconnect_backoff_max = 1000ms;
    auto& fake = add_fake(fake_broker::start_mode::bound_only);
    auto conn = connect_to(fake);
    conn->send(metadata_request("refused"));
    CHECK(wait_for("refused").error == errc::connection_failed);
    CHECK(conn->current_state() == broker_connection::state::backoff);
    REQUIRE(changes[1].size() == 1);
    CHECK_FALSE(changes[1][0].ready);
    CHECK(changes[1][0].reason == errc::connection_failed);

    // Within the backoff (at least 160 ms of it remain) a send waits instead of connecting.
    fake.listen();
    conn->send(metadata_request("retry"));
    CHECK(conn->current_state() == broker_connection::state::backoff);
    CHECK(conn->queued() == 1);
    conn->connect();
    CHECK(conn->current_state() == broker_connection::state::backoff);

    const auto& r = wait_for("retry");
    CHECK_FALSE(r.error);
    CHECK(conn->is_ready());
    CHECK(conn->counters().connects == 2);
    CHECK(fake.sessions_accepted() == 1);
    REQUIRE(changes[1].size() == 2);
    CHECK(changes[1][1].ready);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a broker closing the connection fails in-flight requests with disconnected") {
    auto& fake = add_fake();
    bool drop = true;
    fake.set_policy([&drop](const fake_request& r) {
        return drop && r.api_key == metadata_key ? fake_reply::close() : fake_reply::answer();
    });
    auto conn = connect_to(fake);
    conn->send(metadata_request("dropped"));
    CHECK(wait_for("dropped").error == errc::disconnected);
    CHECK(conn->current_state() == broker_connection::state::backoff);
    CHECK(changes[1].back().reason == errc::disconnected);

    drop = false;
    conn->send(metadata_request("again"));
    CHECK_FALSE(wait_for("again").error);
    CHECK(fake.sessions_accepted() == 2);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a malformed or oversized response frame closes that connection with malformed_frame, others keep working") {
    settings.receive_message_max_bytes = 1 << 20;
    struct bad_case {
        const char* name;
        std::function<std::vector<std::uint8_t>(fake_broker&, const fake_request&)> frame;
        const char* log_text;
    };
    const bad_case cases[] = {
        {"size above receive.message.max.bytes",
         [](fake_broker&, const fake_request&) {
             return kafkit::testing::big_endian32((1 << 20) + 1);
         },
         "receive.message.max.bytes"},
        {"negative size",
         [](fake_broker&, const fake_request&) { return kafkit::testing::big_endian32(-5); },
         "outside 4..receive.message.max.bytes"},
        {"size below a header",
         [](fake_broker&, const fake_request&) { return kafkit::testing::big_endian32(2); },
         "outside 4..receive.message.max.bytes"},
        {"wrong correlation id", answer_with_wrong_id, "does not match request"},
        {"an answer and one more",
         [](fake_broker& fake, const fake_request& r) {
             auto bytes = fake.answer(r);
             const auto extra = fake.answer(r);
             bytes.insert(bytes.end(), extra.begin(), extra.end());
             return bytes;
         },
         ""},
    };
    for (const auto& bad : cases) {
        CAPTURE(bad.name);
        responses.clear();
        logs.lines.clear();
        auto& good = add_fake();
        auto& evil = add_fake();
        const bool answers_first = std::string_view(bad.name) == "an answer and one more";
        evil.set_policy([&evil, &bad](const fake_request& r) {
            return r.api_key == metadata_key ? fake_reply::raw(bad.frame(evil, r))
                                             : fake_reply::answer();
        });
        auto healthy = connect_to(good, 1);
        auto broken = connect_to(evil, 2);
        changes.clear();
        healthy->send(metadata_request("healthy-before"));
        REQUIRE_FALSE(wait_for("healthy-before").error);

        broken->send(metadata_request("broken"));
        const auto& r = wait_for("broken");
        if (answers_first) {
            // The answer is fine; the frame after it matches no request.
            CHECK_FALSE(r.error);
            REQUIRE(run_until(io, [&] { return !changes[2].empty() && !changes[2].back().ready; }));
        } else {
            CHECK(r.error == errc::malformed_frame);
            CHECK(logged(bad.log_text));
        }
        REQUIRE_FALSE(changes[2].empty());
        CHECK_FALSE(changes[2].back().ready);
        CHECK(changes[2].back().reason == errc::malformed_frame);
        CHECK(broken->current_state() == broker_connection::state::backoff);
        REQUIRE(run_until(io, [&] { return evil.sessions_ended() == 1; }));

        healthy->send(metadata_request("healthy-after"));
        CHECK_FALSE(wait_for("healthy-after").error);
        CHECK(healthy->is_ready());
        CHECK(healthy->counters().disconnects == 0);
        CHECK(changes[1].size() == 1);
        CHECK(good.failures() == 0);
        healthy->shut_down();
        broken->shut_down();
    }
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a response body that does not decode fails that request only") {
    auto& fake = add_fake();
    int metadata_seen = 0;
    fake.set_policy([&fake, &metadata_seen](const fake_request& r) {
        if (r.api_key != metadata_key || ++metadata_seen != 1) return fake_reply::answer();
        // The first Metadata answer: header kept, body cut short, size prefix to match.
        auto frame = fake.answer(r);
        frame.resize(frame.size() - 5);
        const auto size =
            kafkit::testing::big_endian32(static_cast<std::int32_t>(frame.size() - 4));
        std::copy(size.begin(), size.end(), frame.begin());
        return fake_reply::raw(std::move(frame));
    });
    auto conn = connect_to(fake);
    conn->send(metadata_request("cut"));
    conn->send(metadata_request("whole"));
    REQUIRE(run_until(io, [&] { return responses.size() == 2; }));
    CHECK(response("cut")->error == errc::truncated);
    CHECK_FALSE(response("whole")->error);
    CHECK(conn->is_ready());
    CHECK(conn->counters().disconnects == 0);
    CHECK(fake.sessions_accepted() == 1);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: shut_down fails what is queued with closed and refuses later sends") {
    auto& fake = add_fake();
    fake.hold(metadata_key);
    auto conn = connect_to(fake);
    conn->send(metadata_request("in-flight"));
    REQUIRE(run_until(io, [&] { return fake.held() == 1; }));
    conn->shut_down();
    REQUIRE(response("in-flight") != nullptr);
    CHECK(response("in-flight")->error == errc::closed);
    conn->send(metadata_request("late"));
    REQUIRE(response("late") != nullptr); // at once, without running the io_context
    CHECK(response("late")->error == errc::closed);
    CHECK(conn->current_state() == broker_connection::state::shut_down);
    conn->connect();
    CHECK(conn->current_state() == broker_connection::state::shut_down);
    REQUIRE(run_until(io, [&] { return fake.sessions_ended() == 1; }));
    CHECK(fake.sessions_accepted() == 1);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: connections.max.idle.ms closes an idle connection without an error, the next send reconnects at once") {
    settings.connections_max_idle = 150ms;
    settings.reconnect_backoff = 10'000ms; // an idle close must not back off
    settings.reconnect_backoff_max = 10'000ms;
    auto& fake = add_fake();
    auto conn = connect_to(fake);
    conn->send(metadata_request("m"));
    REQUIRE_FALSE(wait_for("m").error);
    REQUIRE(run_until(io, [&] { return conn->current_state() == broker_connection::state::idle; }));
    REQUIRE(changes[1].size() == 2);
    CHECK_FALSE(changes[1][1].ready);
    CHECK_FALSE(changes[1][1].reason);
    REQUIRE(run_until(io, [&] { return fake.sessions_ended() == 1; }));

    conn->send(metadata_request("again"));
    CHECK(conn->current_state() == broker_connection::state::connecting);
    CHECK_FALSE(wait_for("again").error);
    CHECK(fake.sessions_accepted() == 2);
}

namespace {

/// An acks=0 Produce request that counts its completions in `written` and notes the version
/// it was encoded at.
outbound_request unanswered_produce(int& written, std::int16_t* encoded_at = nullptr) {
    protocol::produce_request produce;
    produce.acks = 0;
    produce.timeout_ms = 1000;
    outbound_request out;
    out.api_key = 0;
    out.versions = kafkit::detail::client_versions(0);
    out.expects_response = false;
    out.encode_body = [produce, encoded_at](std::int16_t version, kafkit::detail::request_buffer& buffer) {
        if (encoded_at != nullptr) *encoded_at = version;
        return protocol::encode(produce, version, buffer.bytes);
    };
    out.on_response = [&written](std::error_code ec, std::int16_t, protocol::bytes_view body) {
        CHECK_FALSE(ec);
        CHECK(body.empty());
        ++written;
    };
    return out;
}

/// A broker that answers acks=0 Produce requests anyway, as librdkafka's mock does (the
/// body does not matter: such answers are dropped).
fake_reply answer_produce_anyway(const fake_request& r) {
    if (r.api_key != 0) return fake_reply::answer();
    auto frame = kafkit::testing::big_endian32(4 + 2);
    const auto id = kafkit::testing::big_endian32(r.correlation_id);
    frame.insert(frame.end(), id.begin(), id.end());
    frame.insert(frame.end(), {0, 0});
    return fake_reply::raw(std::move(frame));
}

} // namespace

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a request that expects no response (acks=0) completes once written and takes no in-flight slot") {
    settings.max_in_flight_requests_per_connection = 1;
    auto& fake = add_fake();
    fake.advertise(0, {3, 9});
    fake.hold(0);
    auto conn = connect_to(fake);
    int written = 0;
    std::int16_t encoded_at = -1;
    for (int i = 0; i < 3; ++i)
        conn->send(unanswered_produce(written, &encoded_at));
    conn->send(metadata_request("after"));
    // With max.in.flight=1 the Metadata request could not be written behind three
    // unanswered requests if they held slots.
    const auto& r = wait_for("after");
    CHECK_FALSE(r.error);
    CHECK(written == 3);
    CHECK(encoded_at == 9);
    CHECK(versions(fake.requests_of(0)) == std::vector<std::int16_t>{9, 9, 9});
    CHECK(conn->in_flight() == 0);
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: after acks=0 requests, shut_down_after_drain half-closes and waits for the broker's close") {
    auto& fake = add_fake();
    fake.advertise(0, {3, 9});
    fake.set_policy(answer_produce_anyway);
    auto conn = connect_to(fake);
    int written = 0;
    for (int i = 0; i < 3; ++i)
        conn->send(unanswered_produce(written));
    REQUIRE(run_until(io, [&] { return written == 3; }));
    bool closed = false;
    conn->shut_down_after_drain(std::chrono::steady_clock::now() + 10s, [&] { closed = true; });
    // Still open for reading: the broker sees the end of the stream and closes its side.
    CHECK(conn->current_state() == broker_connection::state::draining);
    CHECK_FALSE(closed);
    REQUIRE(run_until(io, [&] { return closed; }));
    CHECK(fake.sessions_ended() == 1);
    CHECK(fake.count(0) == 3);
    CHECK(conn->current_state() == broker_connection::state::shut_down);
    CHECK(fake.failures() == 0);
    // A later request fails at once.
    conn->send(metadata_request("late"));
    CHECK(wait_for("late").error == errc::closed);
}

TEST_CASE_FIXTURE(connection_fixture,
                  "broker_connection: shut_down_after_drain ends at its deadline when the broker keeps the connection open") {
    auto& fake = add_fake();
    fake.advertise(0, {3, 9});
    fake.set_policy(answer_produce_anyway);
    fake.set_close_on_end_of_stream(false);
    auto conn = connect_to(fake);
    int written = 0;
    conn->send(unanswered_produce(written));
    REQUIRE(run_until(io, [&] { return written == 1; }));
    bool closed = false;
    conn->shut_down_after_drain(std::chrono::steady_clock::now() + 200ms, [&] { closed = true; });
    REQUIRE(run_until(io, [&] { return fake.sessions_ended() == 1; }));
    CHECK_FALSE(closed);
    REQUIRE(run_until(io, [&] { return closed; }));
    CHECK(conn->current_state() == broker_connection::state::shut_down);
}

TEST_CASE_FIXTURE(connection_fixture,
                  "broker_connection: with every request answered, shut_down_after_drain closes at once") {
    auto& fake = add_fake();
    auto conn = connect_to(fake);
    conn->send(metadata_request("m"));
    CHECK_FALSE(wait_for("m").error);
    bool closed = false;
    conn->shut_down_after_drain(std::chrono::steady_clock::now() + 10s, [&] { closed = true; });
    CHECK(closed);
    CHECK(conn->current_state() == broker_connection::state::shut_down);
}

TEST_CASE_FIXTURE(connection_fixture,
                  "broker_connection: runs left out of the encoded request (gathered) reach the broker in place") {
    auto& fake = add_fake();
    fake.advertise(0, {3, 9});
    fake.hold(0);
    std::vector<std::uint8_t> batch_a(10000, 0xa1);
    std::vector<std::uint8_t> batch_b(6000, 0xb2);
    protocol::produce_request produce;
    produce.acks = 1;
    produce.timeout_ms = 1000;
    auto& topic = produce.topic_data.emplace_back();
    topic.name = "t";
    topic.partition_data.push_back({0, protocol::bytes_view(batch_a.data(), batch_a.size()), {}});
    topic.partition_data.push_back({1, protocol::bytes_view(batch_b.data(), batch_b.size()), {}});
    std::size_t runs = 0;
    outbound_request out;
    out.api_key = 0;
    out.versions = kafkit::detail::client_versions(0);
    out.encode_body = [&](std::int16_t version, kafkit::detail::request_buffer& buffer) {
        auto r = protocol::encode_gathered(produce, version, buffer.bytes, buffer.gathered, 4096);
        runs = buffer.gathered.size();
        return r;
    };
    out.on_response = [](std::error_code, std::int16_t, protocol::bytes_view) {};
    auto conn = connect_to(fake);
    conn->send(std::move(out));
    conn->send(metadata_request("behind")); // a frame behind it must still line up
    REQUIRE(run_until(io, [&] { return fake.count(metadata_key) == 1; }));
    REQUIRE(fake.count(0) == 1);
    CHECK(fake.failures() == 0);
    CHECK(runs == 2);
    const auto received = fake.requests_of(0).at(0);
    std::vector<std::uint8_t> expected;
    REQUIRE(protocol::encode(produce, received.api_version, expected).has_value());
    CHECK(received.body == expected);
    CHECK(conn->counters().bytes_sent > 16000);
}

TEST_CASE_FIXTURE(connection_fixture,
                  "broker_connection: a response larger than the read buffer arrives whole") {
    auto& fake = add_fake();
    for (int i = 0; i < 4000; ++i) {
        auto& t = fake.metadata().topics.emplace_back();
        t.name = "topic-with-a-long-name-" + std::to_string(i);
        auto& p = t.partitions.emplace_back();
        p.leader_id = 1;
        p.leader_epoch = i;
    }
    const auto frame_size = fake.answer({1, metadata_key, 12, 7, {}}).size();
    CHECK(frame_size > 128 * 1024); // twice the connection's first read buffer
    auto conn = connect_to(fake);
    conn->send(metadata_request("big"));
    conn->send(metadata_request("small-after"));
    const auto& r = wait_for("big");
    REQUIRE_FALSE(r.error);
    REQUIRE(r.metadata.topics.size() == 4000);
    CHECK(r.metadata.topics[3999].name ==
          std::optional<std::string>("topic-with-a-long-name-3999"));
    CHECK(r.metadata.topics[3999].partitions.at(0).leader_epoch == 3999);
    CHECK_FALSE(wait_for("small-after").error);
    CHECK(wait_for("small-after").metadata.topics.size() == 4000);
    CHECK(conn->is_ready());
}

TEST_CASE_FIXTURE(
    connection_fixture,
    "broker_connection: a broker that never answers ApiVersions fails the connection after socket.connection.setup.timeout.ms") {
    settings.socket_connection_setup_timeout = 200ms;
    auto& fake = add_fake();
    fake.hold(api_versions_key);
    auto conn = connect_to(fake);
    conn->send(metadata_request("m"));
    CHECK(wait_for("m").error == errc::connection_failed);
    CHECK(fake.count(api_versions_key) == 1);
    CHECK(fake.count(metadata_key) == 0);
    CHECK(conn->current_state() == broker_connection::state::backoff);
    REQUIRE(changes[1].size() == 1);
    CHECK(changes[1][0].reason == errc::timed_out);
    CHECK(logged("socket.connection.setup.timeout.ms"));
}

TEST_CASE_FIXTURE(connection_fixture,
                  "broker_connection: a handler that keeps its response's buffer keeps its bytes while later "
                  "responses are read") {
    auto& fake = add_fake();
    // Every answer differs (its cluster id names the request), so a kept body that later
    // reads overwrote would no longer decode to its own.
    fake.set_policy([&fake](const fake_request& r) {
        if (r.api_key != metadata_key) return fake_reply::answer();
        fake.metadata().cluster_id = "cluster-" + std::to_string(r.correlation_id);
        return fake_reply::raw(fake.answer(r));
    });
    auto conn = connect_to(fake);
    struct kept_body {
        std::shared_ptr<const kafkit::detail::frame_buffer> buffer;
        protocol::bytes_view view;
        std::int16_t version = 0;
        std::string cluster_id; ///< as decoded during the call
    };
    std::vector<kept_body> kept;
    std::size_t answered = 0;
    constexpr std::size_t requests = 20;
    for (std::size_t i = 0; i < requests; ++i) {
        outbound_request out;
        out.api_key = metadata_key;
        out.versions = kafkit::detail::client_versions(metadata_key);
        out.encode_body = [](std::int16_t version, kafkit::detail::request_buffer& buffer) {
            return protocol::encode(protocol::metadata_request{}, version, buffer.bytes);
        };
        // Every other handler keeps its body; the others only look during the call.
        out.on_response = [&, keep = i % 2 == 0](std::error_code ec, std::int16_t version,
                                                  const kafkit::detail::response_body& body) {
            ++answered;
            REQUIRE_FALSE(ec);
            REQUIRE(body.keep() != nullptr);
            auto decoded = protocol::decode<protocol::metadata_response>(body, version);
            REQUIRE(decoded.has_value());
            if (keep) kept.push_back({body.keep(), body, version, decoded->cluster_id.value_or("")});
        };
        conn->send(std::move(out)); // pipelined: several answers may share one read
    }
    REQUIRE(run_until(io, [&] { return answered == requests; }));
    REQUIRE(kept.size() == requests / 2);
    for (std::size_t i = 0; i < kept.size(); ++i) {
        CAPTURE(i);
        auto again = protocol::decode<protocol::metadata_response>(kept[i].view, kept[i].version);
        REQUIRE(again.has_value());
        CHECK(again->cluster_id == std::optional<std::string>(kept[i].cluster_id));
        if (i > 0) CHECK(kept[i].cluster_id != kept[i - 1].cluster_id);
    }
    // The connection reads on after the buffers were kept.
    conn->send(metadata_request("after"));
    CHECK_FALSE(wait_for("after").error);
}
