// Delegation tokens: CreateDelegationToken, RenewDelegationToken, ExpireDelegationToken,
// DescribeDelegationToken, each to any broker.

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/create_delegation_token.hpp"
#include "kafkit/protocol/messages/describe_delegation_token.hpp"
#include "kafkit/protocol/messages/expire_delegation_token.hpp"
#include "kafkit/protocol/messages/renew_delegation_token.hpp"

namespace kafkit {
namespace detail {
namespace {

/// "User:alice" as (type, name); a principal without a type is a User.
std::pair<std::string, std::string> split_principal(const admin::principal& p) {
    const auto colon = p.find(':');
    if (colon == std::string::npos) return {"User", p};
    return {p.substr(0, colon), p.substr(colon + 1)};
}

admin::principal join_principal(const std::string& type, const std::string& name) { return type + ":" + name; }

std::vector<std::uint8_t> copy_of(protocol::bytes_view bytes) { return {bytes.begin(), bytes.end()}; }

/// Renew and expire: the same shape, an hmac and a period, answered with the new expiry.
template <class Request, class Response>
admin::future<std::int64_t> change_expiry(admin_engine& engine, const std::vector<std::uint8_t>& hmac,
                                               std::int64_t period_ms, const admin::call_options& options, const char* what,
                                               std::int64_t Request::*period_field) {
    auto promise = std::make_shared<std::promise<std::int64_t>>();
    const auto deadline = engine.deadline(options.timeout);
    auto secret = std::make_shared<std::vector<std::uint8_t>>(hmac); // the request views it
    return start_single(engine, promise, what, [&engine, promise, secret, period_ms, period_field, what, deadline] {
        Request request;
        request.hmac = protocol::bytes_view(secret->data(), secret->size());
        request.*period_field = period_ms;
        single_call<Request, Response>(engine, request, deadline, [promise, secret, what](std::error_code ec, const Response& response) {
            if (ec) return fail(*promise, ec, what);
            promise->set_value(response.expiry_timestamp_ms);
        });
    });
}

} // namespace
} // namespace detail

admin::future<admin::delegation_token> admin_client::create_delegation_token(
    const admin::create_delegation_token_options& options) {
    auto promise = std::make_shared<std::promise<admin::delegation_token>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "create_delegation_token", [&engine, promise, options, deadline] {
        protocol::create_delegation_token_request request;
        for (const auto& r : options.renewers) {
            const auto [type, name] = detail::split_principal(r);
            request.renewers.push_back({type, name, {}});
        }
        if (options.owner) {
            const auto [type, name] = detail::split_principal(*options.owner);
            request.owner_principal_type = type;
            request.owner_principal_name = name;
        } else {
            request.owner_principal_type.reset();
            request.owner_principal_name.reset();
        }
        request.max_lifetime_ms = options.max_lifetime_ms;
        detail::single_call<protocol::create_delegation_token_request, protocol::create_delegation_token_response>(
            engine, request, deadline,
            [promise, renewers = options.renewers](std::error_code ec, const protocol::create_delegation_token_response& r) {
                if (ec) return detail::fail(*promise, ec, "create_delegation_token");
                admin::delegation_token t;
                t.token_id = r.token_id;
                t.hmac = detail::copy_of(r.hmac);
                t.owner = detail::join_principal(r.principal_type, r.principal_name);
                if (!r.token_requester_principal_name.empty())
                    t.requester = detail::join_principal(r.token_requester_principal_type, r.token_requester_principal_name);
                t.renewers = renewers;
                t.issue_timestamp_ms = r.issue_timestamp_ms;
                t.expiry_timestamp_ms = r.expiry_timestamp_ms;
                t.max_timestamp_ms = r.max_timestamp_ms;
                promise->set_value(std::move(t));
            },
            [](protocol::create_delegation_token_request& r, std::int16_t version) {
                if (version >= 3) return;
                r.owner_principal_type = std::string{};
                r.owner_principal_name = std::string{};
            });
    });
}

admin::future<std::int64_t> admin_client::renew_delegation_token(const std::vector<std::uint8_t>& hmac,
                                                                      std::int64_t renew_period_ms,
                                                                      const admin::call_options& options) {
    return detail::change_expiry<protocol::renew_delegation_token_request, protocol::renew_delegation_token_response>(
        *engine_, hmac, renew_period_ms, options, "renew_delegation_token",
        &protocol::renew_delegation_token_request::renew_period_ms);
}

admin::future<std::int64_t> admin_client::expire_delegation_token(const std::vector<std::uint8_t>& hmac,
                                                                       std::int64_t expiry_time_period_ms,
                                                                       const admin::call_options& options) {
    return detail::change_expiry<protocol::expire_delegation_token_request, protocol::expire_delegation_token_response>(
        *engine_, hmac, expiry_time_period_ms, options, "expire_delegation_token",
        &protocol::expire_delegation_token_request::expiry_time_period_ms);
}

admin::future<std::vector<admin::delegation_token>> admin_client::describe_delegation_tokens(
    const admin::describe_delegation_token_options& options) {
    auto promise = std::make_shared<std::promise<std::vector<admin::delegation_token>>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "describe_delegation_tokens", [&engine, promise, options, deadline] {
        protocol::describe_delegation_token_request request;
        if (options.owners) {
            for (const auto& o : *options.owners) {
                const auto [type, name] = detail::split_principal(o);
                request.owners->push_back({type, name, {}});
            }
        } else {
            request.owners.reset();
        }
        detail::single_call<protocol::describe_delegation_token_request, protocol::describe_delegation_token_response>(
            engine, request, deadline, [promise](std::error_code ec, const protocol::describe_delegation_token_response& r) {
                if (ec) return detail::fail(*promise, ec, "describe_delegation_tokens");
                std::vector<admin::delegation_token> out;
                for (const auto& d : r.tokens) {
                    admin::delegation_token t;
                    t.token_id = d.token_id;
                    t.hmac = detail::copy_of(d.hmac);
                    t.owner = detail::join_principal(d.principal_type, d.principal_name);
                    if (!d.token_requester_principal_name.empty())
                        t.requester = detail::join_principal(d.token_requester_principal_type, d.token_requester_principal_name);
                    for (const auto& rn : d.renewers) t.renewers.push_back(detail::join_principal(rn.principal_type, rn.principal_name));
                    t.issue_timestamp_ms = d.issue_timestamp;
                    t.expiry_timestamp_ms = d.expiry_timestamp;
                    t.max_timestamp_ms = d.max_timestamp;
                    out.push_back(std::move(t));
                }
                promise->set_value(std::move(out));
            });
    });
}

} // namespace kafkit
