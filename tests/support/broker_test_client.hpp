#pragma once
// A blocking Kafka client for broker tests: sends requests encoded by the codec over a
// plain socket and decodes the responses. Every read has a deadline, so a broker that
// never answers fails the test instead of hanging it.

#include "kafkit/protocol/frame.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kafkit::testing {

class broker_test_client {
public:
    /// Connects to host:port; throws std::runtime_error when it cannot.
    explicit broker_test_client(std::uint16_t port, std::string host = "127.0.0.1",
                                std::chrono::milliseconds timeout = std::chrono::seconds(15));
    ~broker_test_client();
    broker_test_client(const broker_test_client&) = delete;
    broker_test_client& operator=(const broker_test_client&) = delete;

    /// Sends `request` at `version` and returns the decoded response; its bytes and records
    /// fields view a frame the client keeps until the next call(). Throws
    /// std::runtime_error on a closed connection, a timeout or an undecodable response.
    template <class Response, class Request>
    Response call(const Request& request, std::int16_t version) {
        const std::int32_t id = send(request, version);
        auto frame = read_frame();
        if (!frame) throw std::runtime_error(std::string("no response to ") + Request::schema_name);
        last_response_ = std::move(*frame);
        auto decoded = protocol::decode_response_frame<Response>(
            protocol::bytes_view(last_response_.data(), last_response_.size()), version);
        if (!decoded) throw std::runtime_error(std::string("cannot decode ") + Response::schema_name + ": " + decoded.error().message());
        if (decoded->correlation_id != id) throw std::runtime_error("correlation id mismatch");
        return std::move(decoded->body);
    }

    /// Sends `request` without waiting; returns its correlation id.
    template <class Request>
    std::int32_t send(const Request& request, std::int16_t version) {
        std::vector<std::uint8_t> out;
        const std::int32_t id = next_correlation_id_++;
        if (auto r = protocol::encode_request_frame(request, version, id, client_id_, out); !r)
            throw std::runtime_error(std::string("cannot encode ") + Request::schema_name + ": " + r.error().message());
        send_raw(out);
        return id;
    }

    /// Writes bytes as they are (for malformed input).
    void send_raw(const std::vector<std::uint8_t>& bytes);
    /// Reads one response frame (without its size prefix); nullopt when the broker closed
    /// the connection. Throws std::runtime_error on a timeout.
    std::optional<std::vector<std::uint8_t>> read_frame();
    /// True when the broker has closed the connection (waits up to the timeout for it).
    bool wait_closed();

    /// The client.id sent in request headers.
    void set_client_id(std::string id) { client_id_ = std::move(id); }

private:
    bool read_exact(std::uint8_t* data, std::size_t size);

    int fd_ = -1;
    std::vector<std::uint8_t> last_response_; ///< what call()'s views point into
    std::chrono::milliseconds timeout_;
    std::int32_t next_correlation_id_ = 1;
    std::string client_id_ = "kafkit-test";
};

} // namespace kafkit::testing
