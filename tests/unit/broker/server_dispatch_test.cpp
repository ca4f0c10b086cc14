// dispatch_request, the socket-free request path the fuzz target drives: the refusals a
// connection makes before any handler, the fault injector's error reaching the handler,
// and a normal answer through the sink.

#include "kafkit/protocol/frame.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"
#include "kafkit/protocol/messages/metadata.hpp"
#include "server/request_dispatch.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"
#include "state/fault_injector.hpp"

#include <doctest/doctest.h>

using namespace kafkit;
using namespace kafkit::broker;
using namespace kafkit::protocol;

namespace {

class no_timers final : public scheduler {
public:
    timer_handle after(std::chrono::milliseconds, std::function<void()>) override { return {}; }
    void post(std::function<void()>) override {}
};

class capturing_sink final : public response_sink {
public:
    std::vector<std::vector<std::uint8_t>> frames;
    std::string closed;
    void send_response(std::vector<std::uint8_t> frame) override { frames.push_back(std::move(frame)); }
    void no_response() override {}
    void close(const std::string& reason) override { closed = reason; }
    [[nodiscard]] bool is_open() const override { return closed.empty(); }
};

struct fixture {
    broker_config config;
    no_timers timers;
    std::unique_ptr<broker_state> state;
    fixture() {
        broker_node node;
        node.id = 1;
        node.host = "127.0.0.1";
        node.port = 9092;
        state = std::make_unique<broker_state>(config, timers, std::vector<broker_node>{node});
    }
    template <class Request>
    dispatch_result send(const Request& request, std::int16_t version, capturing_sink& sink) {
        auto frame = std::make_shared<std::vector<std::uint8_t>>();
        REQUIRE(encode_request_frame(request, version, 5, "unit", *frame));
        frame->erase(frame->begin(), frame->begin() + 4); // the size prefix is the connection's
        return raw(frame, sink);
    }
    dispatch_result raw(std::shared_ptr<std::vector<std::uint8_t>> frame, capturing_sink& sink) {
        auto shared = std::shared_ptr<capturing_sink>(&sink, [](capturing_sink*) {});
        return dispatch_request(*state, state->nodes()[0], frame, shared, request_origin{});
    }
};

/// ApiVersions v3+ must name the client software (KIP-511).
api_versions_request named_api_versions() {
    api_versions_request request;
    request.client_software_name = std::string("unit");
    request.client_software_version = std::string("1");
    return request;
}

} // namespace

TEST_CASE("dispatch: a served request is answered through the sink with its correlation id") {
    fixture f;
    capturing_sink sink;
    const auto request = named_api_versions();
    const auto result = f.send(request, 3, sink);
    CHECK(result.refused.empty());
    CHECK(result.client_id == std::optional<std::string>("unit"));
    REQUIRE(sink.frames.size() == 1);
    const auto& frame = sink.frames[0];
    auto decoded = decode_response_frame<api_versions_response>(bytes_view(frame.data() + 4, frame.size() - 4), 3);
    REQUIRE(decoded);
    CHECK(decoded->correlation_id == 5);
    CHECK(decoded->body.error_code == 0);
}

TEST_CASE("dispatch: unknown keys, unserved versions and unreadable headers are refused before any handler") {
    fixture f;
    capturing_sink sink;
    auto unknown = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{0x7f, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff});
    // The header's layout depends on the api key, so an unknown key fails there already.
    CHECK(f.raw(unknown, sink).refused == "unreadable request header: unknown API key");
    auto version = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{0, 3, 0, 99, 0, 0, 0, 1, 0xff, 0xff, 0});
    CHECK(f.raw(version, sink).refused == "Metadata v99 is not supported (0 to 12)");
    auto short_header = std::make_shared<std::vector<std::uint8_t>>(std::vector<std::uint8_t>{0, 3, 0});
    CHECK(f.raw(short_header, sink).refused.rfind("unreadable request header", 0) == 0);
    CHECK(sink.frames.empty());
    CHECK(sink.closed.empty()); // refusing is the caller's to act on
}

TEST_CASE("dispatch: the fault injector's error and delay reach the request") {
    fixture f;
    f.state->faults().push_errors(1, 18, {injected_error{42, std::chrono::milliseconds(25)}});
    capturing_sink sink;
    const auto request = named_api_versions();
    const auto result = f.send(request, 3, sink);
    CHECK(result.delay == std::chrono::milliseconds(25));
    REQUIRE(sink.frames.size() == 1);
    auto decoded = decode_response_frame<api_versions_response>(
        bytes_view(sink.frames[0].data() + 4, sink.frames[0].size() - 4), 3);
    REQUIRE(decoded);
    CHECK(decoded->body.error_code == 42);
}
