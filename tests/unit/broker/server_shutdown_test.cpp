// A graceful stop answers the requests the broker is holding: a parked JoinGroup gets
// NOT_COORDINATOR, instead of the connection being cut when the shutdown grace period
// runs out.

#include "data_support.hpp"
#include "kafkit/protocol/messages/describe_groups.hpp"
#include "kafkit/protocol/messages/join_group.hpp"

#include <thread>

using namespace kafkit;
using namespace kafkit::testing::data;
using kafkit::testing::broker_test_client;
using kafkit::testing::embedded_broker;

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
    // Stop only once the join is parked (the group is rebalancing), else the stop could
    // come before the broker has read the request at all.
    broker_test_client observer(broker.port());
    describe_groups_request describe;
    describe.groups = {"parked"};
    bool parked = false;
    for (int i = 0; i < 500 && !parked; ++i) {
        auto groups = observer.call<describe_groups_response>(describe, 5);
        parked = groups.groups.size() == 1 && groups.groups[0].group_state == "PreparingRebalance";
        if (!parked) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(parked);
    std::jthread stopper([&] { broker.get().stop(); });
    auto frame = client.read_frame();
    stopper.join();
    REQUIRE(frame);
    auto decoded = decode_response_frame<join_group_response>(bytes_view(frame->data(), frame->size()), 3);
    REQUIRE(decoded);
    CHECK(decoded->correlation_id == id);
    CHECK(decoded->body.error_code == code(kafka_errc::not_coordinator));
}
