// A graceful stop answers the requests the broker is holding: a long-polling fetch gets its
// (empty) answer and a parked JoinGroup gets NOT_COORDINATOR, instead of the connection
// being cut when the shutdown grace period runs out.

#include "data_support.hpp"
#include "kafkit/protocol/messages/join_group.hpp"

#include <thread>

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

TEST_CASE("shutdown: a long-polling fetch is answered, not dropped") {
    embedded_broker broker;
    broker_test_client client(broker.port());
    create_topic(client, "idle", 1);
    auto request = fetch_of("idle", {{0, 0}});
    request.max_wait_ms = 60000; // only the stop can answer it within the client's timeout
    const auto id = client.send(request, 12);
    std::jthread stopper([&] { broker.get().stop(); });
    auto response = receive_fetch(client, id, 12);
    stopper.join();
    const auto& p = only_partition(response.body);
    CHECK(p.error_code == 0);
    CHECK(p.high_watermark == 0);
    CHECK(decode_records(p.records).empty());
}

TEST_CASE("shutdown: a JoinGroup waiting for the rebalance is answered NOT_COORDINATOR") {
    broker::broker_config config;
    config.group_initial_rebalance_delay_ms = 60000; // the join parks until the stop
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    join_group_request join;
    join.group_id = "parked";
    join.session_timeout_ms = 10000;
    join.rebalance_timeout_ms = 60000;
    join.protocol_type = "consumer";
    join_group_request::join_group_request_protocol protocol;
    protocol.name = "range";
    join.protocols.push_back(protocol);
    const auto id = client.send(join, 3); // v3: no KIP-394 round trip first
    std::jthread stopper([&] { broker.get().stop(); });
    auto frame = client.read_frame();
    stopper.join();
    REQUIRE(frame);
    auto decoded = decode_response_frame<join_group_response>(bytes_view(frame->data(), frame->size()), 3);
    REQUIRE(decoded);
    CHECK(decoded->correlation_id == id);
    CHECK(decoded->body.error_code == code(kafka_errc::not_coordinator));
}
