// The JSON-lines control protocol (parsing, defaults, refusals) against a recording
// target, and the control socket of an embedded broker end to end: ops reach the broker's
// fault controls, `describe` reports the cluster, `shutdown` stops it.

#include "control/control_protocol.hpp"
#include "embedded_broker.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

using namespace kafkit::broker;
using nlohmann::json;

namespace {

/// Records each call as a JSON object; throws for node 99 to test refusals.
class recording_target final : public control_target {
public:
    std::vector<json> calls;

    void push_request_errors(std::int32_t node, std::int16_t key, std::vector<injected_error> errors) override {
        json list = json::array();
        for (const auto& e : errors) list.push_back({e.error_code, e.delay.count()});
        record({{"call", "push"}, {"node", node}, {"key", key}, {"errors", list}});
    }
    void set_response_delay(std::int32_t node, std::int16_t key, std::chrono::milliseconds delay) override {
        record({{"call", "delay"}, {"node", node}, {"key", key}, {"ms", delay.count()}});
    }
    int drop_connections(std::int32_t node, const std::string& client_id) override {
        record({{"call", "drop"}, {"node", node}, {"client", client_id}});
        return 4;
    }
    void set_node_up(std::int32_t node, bool up) override { record({{"call", "up"}, {"node", node}, {"up", up}}); }
    void set_partition_leader(const std::string& topic, std::int32_t partition, std::int32_t node) override {
        record({{"call", "leader"}, {"topic", topic}, {"partition", partition}, {"node", node}});
    }
    void create_topic(const std::string& topic, std::int32_t partitions, std::int16_t rf) override {
        record({{"call", "create"}, {"topic", topic}, {"partitions", partitions}, {"rf", rf}});
    }
    void clear() override { record({{"call", "clear"}}); }
    json describe() override { return {{"nodes", json::array()}}; }
    void shutdown() override { record({{"call", "shutdown"}}); }

private:
    void record(json call) {
        if (call.contains("node") && call["node"] == 99) throw std::invalid_argument("no node 99");
        calls.push_back(std::move(call));
    }
};

json answer(recording_target& target, const std::string& line) { return json::parse(handle_control_line(line, target).line); }

std::string error_of(recording_target& target, const std::string& line) {
    auto a = answer(target, line);
    CHECK(a["ok"] == false);
    return a.value("error", std::string());
}

/// A blocking line client for the control socket.
class line_client {
public:
    explicit line_client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
        timeval tv{10, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~line_client() { ::close(fd_); }
    json call(const std::string& line) {
        const std::string out = line + "\n";
        if (::send(fd_, out.data(), out.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(out.size()))
            throw std::runtime_error("send");
        std::string in;
        char c = 0;
        while (::recv(fd_, &c, 1, 0) == 1 && c != '\n') in += c;
        return json::parse(in);
    }

private:
    int fd_ = -1;
};

} // namespace

TEST_CASE("control protocol: each op reaches the target with its fields and defaults") {
    recording_target t;
    CHECK(answer(t, R"({"op":"push_request_errors","api_key":0,"errors":[{"code":6},{"code":7,"delay_ms":30}]})") ==
          json{{"ok", true}});
    CHECK(answer(t, R"({"op":"set_response_delay","delay_ms":15})")["ok"] == true);
    CHECK(answer(t, R"({"op":"drop_connections","node":2,"client_id":"c"})") == json{{"ok", true}, {"dropped", 4}});
    CHECK(answer(t, R"({"op":"set_node_up","node":3,"up":false})")["ok"] == true);
    CHECK(answer(t, R"({"op":"set_partition_leader","topic":"t","partition":1,"node":2})")["ok"] == true);
    CHECK(answer(t, R"({"op":"create_topic","topic":"n"})")["ok"] == true);
    CHECK(answer(t, R"({"op":"clear"})")["ok"] == true);
    REQUIRE(t.calls.size() == 7);
    CHECK(t.calls[0] == json{{"call", "push"}, {"node", -1}, {"key", 0}, {"errors", {{6, 0}, {7, 30}}}});
    CHECK(t.calls[1] == json{{"call", "delay"}, {"node", -1}, {"key", -1}, {"ms", 15}});
    CHECK(t.calls[2] == json{{"call", "drop"}, {"node", 2}, {"client", "c"}});
    CHECK(t.calls[3] == json{{"call", "up"}, {"node", 3}, {"up", false}});
    CHECK(t.calls[4] == json{{"call", "leader"}, {"topic", "t"}, {"partition", 1}, {"node", 2}});
    CHECK(t.calls[5] == json{{"call", "create"}, {"topic", "n"}, {"partitions", 1}, {"rf", -1}});
    CHECK(t.calls[6] == json{{"call", "clear"}});

    auto described = answer(t, R"({"op":"describe","id":[1,2]})");
    CHECK(described == json{{"ok", true}, {"nodes", json::array()}, {"id", {1, 2}}});
    // shutdown is answered first; the caller stops once the answer is written.
    auto reply = handle_control_line(R"({"op":"shutdown"})", t);
    CHECK(reply.shutdown);
    CHECK(json::parse(reply.line)["ok"] == true);
    CHECK(t.calls.size() == 7);
    CHECK_FALSE(handle_control_line(R"({"op":"clear"})", t).shutdown);
}

TEST_CASE("control protocol: bad requests are refused with a reason and nothing runs") {
    recording_target t;
    CHECK(error_of(t, "{").rfind("malformed JSON", 0) == 0);
    CHECK(error_of(t, "") .rfind("malformed JSON", 0) == 0);
    CHECK(error_of(t, "[1]") == "a request must be a JSON object with an \"op\"");
    CHECK(error_of(t, R"({"node":1})") == "field \"op\" is required and must be a string");
    CHECK(error_of(t, R"({"op":"reboot"})").rfind("unknown op \"reboot\"", 0) == 0);
    CHECK(error_of(t, R"({"op":"clear","force":true})") == "clear: unknown field \"force\"");
    CHECK(error_of(t, R"({"op":"set_node_up","node":"1","up":true})") ==
          "set_node_up: field \"node\" must be an integer from 0 to 2147483647");
    CHECK(error_of(t, R"({"op":"set_node_up","node":-1,"up":true})") ==
          "set_node_up: field \"node\" must be an integer from 0 to 2147483647");
    CHECK(error_of(t, R"({"op":"set_node_up","node":1,"up":1})") == "set_node_up: field \"up\" must be true or false");
    CHECK(error_of(t, R"({"op":"push_request_errors","api_key":3})") == "push_request_errors: field \"errors\" is required");
    CHECK(error_of(t, R"({"op":"push_request_errors","api_key":3,"errors":[]})") ==
          "push_request_errors: field \"errors\" must not be empty");
    CHECK(error_of(t, R"({"op":"push_request_errors","api_key":3,"errors":[6]})") ==
          "push_request_errors: errors[0]: must be an object {\"code\":N,\"delay_ms\":N}");
    CHECK(error_of(t, R"({"op":"push_request_errors","api_key":3,"errors":[{"code":6,"delay_ms":-5}]})") ==
          "push_request_errors: errors[0]: field \"delay_ms\" must be an integer from 0 to 3600000");
    CHECK(error_of(t, R"({"op":"push_request_errors","api_key":3,"errors":[{"code":4242}]})") ==
          "push_request_errors: errors[0]: unknown Kafka error code 4242");
    CHECK(error_of(t, R"({"op":"push_request_errors","api_key":-1,"errors":[{"code":6}]})") ==
          "push_request_errors: field \"api_key\" must be an integer from 0 to 32767");
    CHECK(error_of(t, R"({"op":"set_response_delay","delay_ms":1.5})") ==
          "set_response_delay: field \"delay_ms\" must be an integer from 0 to 3600000");
    CHECK(error_of(t, R"({"op":"set_response_delay","delay_ms":18446744073709551615})") ==
          "set_response_delay: field \"delay_ms\" must be an integer from 0 to 3600000");
    CHECK(error_of(t, R"({"op":"create_topic","topic":"x","replication_factor":0})") ==
          "create_topic: field \"replication_factor\" must be -1 (the default) or positive");
    // The target's own refusal is passed on.
    CHECK(error_of(t, R"({"op":"set_node_up","node":99,"up":true})") == "no node 99");
    // Bytes that are not UTF-8 are malformed JSON (and quoting them does not break the answer).
    CHECK(error_of(t, "{\"op\":\"\xff\"}").rfind("malformed JSON", 0) == 0);
    CHECK(t.calls.empty());
}

TEST_CASE("control socket: an embedded broker serves it and shuts down on request") {
    broker_config config;
    config.brokers = 2;
    config.control_listener = listen_address{"127.0.0.1", 0};
    kafkit::testing::embedded_broker broker(config);
    REQUIRE(broker.get().control_port() != 0);
    line_client control(broker.get().control_port());

    CHECK(control.call(R"({"op":"create_topic","topic":"c","partitions":2})")["ok"] == true);
    CHECK(control.call(R"({"op":"set_partition_leader","topic":"c","partition":0,"node":2})")["ok"] == true);
    auto described = control.call(R"({"op":"describe"})");
    REQUIRE(described["nodes"].size() == 2);
    CHECK(described["nodes"][1]["port"] == broker.port(1));
    CHECK(described["controller"] == 1);
    const auto& p0 = described["topics"][0]["partitions"][0];
    CHECK(p0["leader"] == 2);
    CHECK(p0["leader_epoch"] == 1);
    CHECK(p0["log_end_offset"] == 0);
    CHECK(control.call("not json")["ok"] == false); // the connection stays usable
    CHECK(control.call(R"({"op":"set_node_up","node":7,"up":false})")["error"] == "no node 7 (nodes are 1 to 2)");
    CHECK(control.call(R"({"op":"set_partition_leader","topic":"c","partition":5,"node":1})")["error"] ==
          "topic \"c\" has no partition 5 (it has 2)");
    CHECK(control.call(R"({"op":"create_topic","topic":"c"})")["error"] ==
          "TOPIC_ALREADY_EXISTS: Topic 'c' already exists.");
    CHECK(control.call(R"({"op":"drop_connections"})") == json{{"ok", true}, {"dropped", 0}});

    CHECK(control.call(R"({"op":"shutdown"})")["ok"] == true);
    broker.get().wait(); // returns once the graceful stop has finished
}
