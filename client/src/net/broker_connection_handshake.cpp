// The ApiVersions handshake that starts every connection: the broker's version ranges,
// which later pick each request's version (KIP-35, and KIP-511's v0 fallback).
#include "net/broker_connection.hpp"

#include "kafkit/protocol/error.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/api_versions.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

namespace kafkit::detail {
namespace {
constexpr std::int16_t api_versions_key = 18;
}

asio::awaitable<std::error_code> broker_connection::handshake(std::uint64_t session) {
    // ApiVersions at our highest version; a broker that does not know it answers in v0 with
    // UNSUPPORTED_VERSION and its own range, and we ask again at its highest (KIP-511).
    std::int16_t version = client_versions(api_versions_key).max;
    for (int attempt = 0; attempt < 3; ++attempt) {
        std::error_code outcome;
        bool retry = false;
        bool done = false;
        asio::steady_timer answered(io_, std::chrono::steady_clock::time_point::max());
        protocol::api_versions_request request;
        request.client_software_name = "kafkit";
        request.client_software_version = "0.1.0";
        auto on_answer = [&, this](std::error_code ec, const protocol::api_versions_response& response) {
            done = true;
            answered.cancel();
            if (ec) {
                outcome = ec;
                return;
            }
            if (response.error_code == static_cast<std::int16_t>(kafka_errc::unsupported_version)) {
                for (const auto& key : response.api_keys)
                    if (key.api_key == api_versions_key && key.max_version < version) {
                        version = key.max_version;
                        retry = true;
                    }
                if (!retry) outcome = make_error_code(kafka_errc::unsupported_version);
                return;
            }
            if (response.error_code != 0) {
                outcome = make_error_code(static_cast<kafka_errc>(response.error_code));
                return;
            }
            for (const auto& key : response.api_keys)
                versions_.set(key.api_key, version_range{key.min_version, key.max_version});
        };
        outbound_request out;
        out.api_key = api_versions_key;
        out.versions = version_range{version, version};
        out.encode_body = [request](std::int16_t v, request_buffer& buffer) {
            return protocol::encode(request, v, buffer.bytes);
        };
        out.on_response = [on_answer](std::error_code ec, std::int16_t v, protocol::bytes_view body) {
            if (ec) {
                on_answer(ec, {});
                return;
            }
            // A broker that does not know version v answers in v0 (KIP-511).
            auto decoded = protocol::decode<protocol::api_versions_response>(body, v);
            if (!decoded && v != 0) decoded = protocol::decode<protocol::api_versions_response>(body, 0);
            if (decoded) {
                on_answer({}, *decoded);
                return;
            }
            // Some brokers (librdkafka 2.0's mock) answer an unknown version with a body no
            // version reads; its leading ErrorCode still says UNSUPPORTED_VERSION: ask at v0,
            // which every broker answers.
            if (v != 0 && body.size() >= 2 && body[0] == 0 &&
                body[1] == static_cast<std::uint8_t>(kafka_errc::unsupported_version)) {
                protocol::api_versions_response fallback;
                fallback.error_code = static_cast<std::int16_t>(kafka_errc::unsupported_version);
                fallback.api_keys.push_back({api_versions_key, 0, 0, {}});
                on_answer({}, fallback);
                return;
            }
            on_answer(decoded.error(), {});
        };
        handshake_version_ = version;
        handshake_ = std::move(out);
        wake_writer();
        std::error_code wait_ec;
        while (!done && session == session_)
            co_await answered.async_wait(asio::redirect_error(asio::use_awaitable, wait_ec));
        if (session != session_) co_return make_error_code(errc::closed);
        if (!retry) co_return outcome;
    }
    co_return make_error_code(kafka_errc::unsupported_version);
}

} // namespace kafkit::detail
