// CreateDelegationToken (38), RenewDelegationToken (39), ExpireDelegationToken (40),
// DescribeDelegationToken (41). Kafka hands tokens out only on SASL connections not
// authenticated with a token; this broker has no SASL, so every connection is a plaintext
// one and each request is answered DELEGATION_TOKEN_REQUEST_NOT_ALLOWED, as Kafka answers
// it there (the owner and requester being the anonymous principal).

#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/create_delegation_token.hpp"
#include "kafkit/protocol/messages/describe_delegation_token.hpp"
#include "kafkit/protocol/messages/expire_delegation_token.hpp"
#include "kafkit/protocol/messages/renew_delegation_token.hpp"

namespace kafkit::broker {
namespace {

constexpr auto not_allowed = static_cast<std::int16_t>(kafka_errc::delegation_token_request_not_allowed);

/// The answer's error: the injected one, else not allowed.
std::int16_t refusal(const request_context& ctx) { return ctx.injected_error != 0 ? ctx.injected_error : not_allowed; }

/// Renew and expire have the same answer: the error and no expiry (Kafka's ErrorTimestamp).
template <class Request, class Response>
void refuse_expiry_change(request_context& ctx, protocol::bytes_view body) {
    if (!decode_request<Request>(ctx, body)) return;
    Response response;
    response.error_code = refusal(ctx);
    response.expiry_timestamp_ms = -1;
    reply<Response>(ctx).send(response);
}

} // namespace

void handle_create_delegation_token(request_context& ctx, protocol::bytes_view body) {
    if (!decode_request<protocol::create_delegation_token_request>(ctx, body)) return;
    protocol::create_delegation_token_response response;
    response.error_code = refusal(ctx);
    response.principal_type = "User";
    response.principal_name = "ANONYMOUS";
    response.token_requester_principal_type = "User";
    response.token_requester_principal_name = "ANONYMOUS";
    response.issue_timestamp_ms = -1;
    response.expiry_timestamp_ms = -1;
    response.max_timestamp_ms = -1;
    reply<protocol::create_delegation_token_response>(ctx).send(response);
}

void handle_renew_delegation_token(request_context& ctx, protocol::bytes_view body) {
    refuse_expiry_change<protocol::renew_delegation_token_request, protocol::renew_delegation_token_response>(ctx, body);
}

void handle_expire_delegation_token(request_context& ctx, protocol::bytes_view body) {
    refuse_expiry_change<protocol::expire_delegation_token_request, protocol::expire_delegation_token_response>(ctx, body);
}

void handle_describe_delegation_token(request_context& ctx, protocol::bytes_view body) {
    if (!decode_request<protocol::describe_delegation_token_request>(ctx, body)) return;
    protocol::describe_delegation_token_response response;
    response.error_code = refusal(ctx);
    reply<protocol::describe_delegation_token_response>(ctx).send(response);
}

} // namespace kafkit::broker
