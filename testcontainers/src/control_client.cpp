#include "kafkit/testcontainers/control_client.hpp"

#include "description_json.hpp"

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace kafkit::testcontainers {
namespace {

using nlohmann::json;
using clock = std::chrono::steady_clock;

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

/// Waits until `fd` is ready for `events` or the deadline passes; false on timeout.
bool wait_ready(int fd, short events, clock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) return false;
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, static_cast<int>(left));
        if (r > 0) return true;
        if (r < 0 && errno != EINTR) return false;
    }
}

} // namespace

control_client::control_client(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

control_client::~control_client() { disconnect(); }

void control_client::disconnect() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    pending_.clear();
}

void control_client::reconnect(std::uint16_t port) {
    disconnect();
    port_ = port;
}

void control_client::connect() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1)
        throw cluster_error("control socket: " + host_ + " is not an IPv4 address");
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw cluster_error(errno_text("control socket: socket"));
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const std::string reason = errno_text(("control socket: connect to " + host_ + ":" + std::to_string(port_)).c_str());
        disconnect();
        throw cluster_error(reason);
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

std::string control_client::request_line(const std::string& line) {
    if (fd_ < 0) connect();
    const auto deadline = clock::now() + timeout_;
    const std::string out = line + "\n";
    for (std::size_t sent = 0; sent < out.size();) {
        const auto n = ::send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const std::string reason = errno_text("control socket: send");
            disconnect();
            throw cluster_error(reason);
        }
        sent += static_cast<std::size_t>(n);
    }
    for (;;) {
        if (const auto nl = pending_.find('\n'); nl != std::string::npos) {
            std::string reply = pending_.substr(0, nl);
            pending_.erase(0, nl + 1);
            return reply;
        }
        if (!wait_ready(fd_, POLLIN, deadline)) {
            disconnect();
            throw cluster_error("control socket: no answer within " + std::to_string(timeout_.count()) + " ms to " + line);
        }
        char buffer[4096];
        const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            disconnect();
            throw cluster_error("control socket: the cluster closed the connection before answering " + line);
        }
        pending_.append(buffer, static_cast<std::size_t>(n));
    }
}

namespace {

/// Sends one request object; returns the response object, or throws its error.
json call(control_client& client, const json& request) {
    const std::string answer = client.request_line(request.dump());
    json response = json::parse(answer, nullptr, false);
    if (response.is_discarded() || !response.is_object())
        throw cluster_error("control socket: unreadable answer: " + answer);
    if (!response.value("ok", false))
        throw cluster_error("control socket refused " + request.value("op", std::string()) + ": " +
                            response.value("error", std::string("(no reason given)")));
    return response;
}

} // namespace

void control_client::push_request_errors(std::int16_t api_key, const std::vector<request_error>& errors,
                                         std::int32_t node) {
    json list = json::array();
    for (const auto& e : errors) list.push_back({{"code", e.code}, {"delay_ms", e.delay.count()}});
    call(*this, {{"op", "push_request_errors"}, {"node", node}, {"api_key", api_key}, {"errors", list}});
}

void control_client::set_response_delay(std::int32_t node, std::int16_t api_key, std::chrono::milliseconds delay) {
    call(*this, {{"op", "set_response_delay"}, {"node", node}, {"api_key", api_key}, {"delay_ms", delay.count()}});
}

int control_client::drop_connections(std::int32_t node, const std::string& client_id) {
    return call(*this, {{"op", "drop_connections"}, {"node", node}, {"client_id", client_id}}).value("dropped", -1);
}

void control_client::set_node_state(std::int32_t node, node_state state) {
    call(*this, {{"op", "set_node_up"}, {"node", node}, {"up", state == node_state::up}});
}

void control_client::set_partition_leader(const std::string& topic, std::int32_t partition, std::int32_t node) {
    call(*this, {{"op", "set_partition_leader"}, {"topic", topic}, {"partition", partition}, {"node", node}});
}

void control_client::create_topic(const std::string& topic, std::int32_t partitions, std::int16_t replication_factor) {
    call(*this, {{"op", "create_topic"}, {"topic", topic}, {"partitions", partitions},
                 {"replication_factor", replication_factor}});
}

void control_client::clear() { call(*this, {{"op", "clear"}}); }

cluster_description control_client::describe() { return description_from_json(call(*this, {{"op", "describe"}})); }

void control_client::shutdown() { call(*this, {{"op", "shutdown"}}); }

} // namespace kafkit::testcontainers
