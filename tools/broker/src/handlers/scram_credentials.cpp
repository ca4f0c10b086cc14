// DescribeUserScramCredentials (key 50, v0) and AlterUserScramCredentials (key 51, v0),
// KIP-554: SCRAM-SHA-256/512 credentials per user, validated as the KRaft controller's
// ScramControlManager does and described as its ScramImage does (iterations per
// mechanism, never the salt or password).

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/alter_user_scram_credentials.hpp"
#include "kafkit/protocol/messages/describe_user_scram_credentials.hpp"
#include "state/broker_state.hpp"
#include "state/scram_store.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace kafkit::broker {
namespace {

using protocol::alter_user_scram_credentials_request;
using protocol::alter_user_scram_credentials_response;
using protocol::describe_user_scram_credentials_request;
using protocol::describe_user_scram_credentials_response;

/// An error for one user: code and Kafka's message.
struct user_error {
    kafka_errc error;
    std::string message;
};

std::optional<user_error> invalid_user_or_mechanism(const std::string& user, std::int8_t mechanism) {
    if (user.empty()) return user_error{kafka_errc::unacceptable_credential, "Username must not be empty"};
    if (mechanism != scram::sha_256 && mechanism != scram::sha_512)
        return user_error{kafka_errc::unsupported_sasl_mechanism, "Unknown SCRAM mechanism"};
    return std::nullopt;
}

std::optional<user_error> invalid_deletion(const scram_store& store,
                                           const alter_user_scram_credentials_request::scram_credential_deletion& d) {
    if (auto error = invalid_user_or_mechanism(d.name, d.mechanism)) return error;
    if (!store.has(d.name, d.mechanism))
        return user_error{kafka_errc::resource_not_found, "Attempt to delete a user credential that does not exist"};
    return std::nullopt;
}

std::optional<user_error> invalid_upsertion(const alter_user_scram_credentials_request::scram_credential_upsertion& u) {
    if (auto error = invalid_user_or_mechanism(u.name, u.mechanism)) return error;
    if (u.iterations < scram::min_iterations) return user_error{kafka_errc::unacceptable_credential, "Too few iterations"};
    if (u.iterations > scram::max_iterations) return user_error{kafka_errc::unacceptable_credential, "Too many iterations"};
    return std::nullopt;
}

/// What the request does to each user: one alteration per user and request, else
/// DUPLICATE_RESOURCE (ScramControlManager.alterCredentials), in order of first mention.
struct alteration_plan {
    std::vector<std::string> users;
    std::map<std::string, const alter_user_scram_credentials_request::scram_credential_deletion*> deletions;
    std::map<std::string, const alter_user_scram_credentials_request::scram_credential_upsertion*> upsertions;
    std::map<std::string, user_error> errors;

    /// Records `user` and returns false when it already has an alteration or an error.
    bool first_mention(const std::string& user) {
        if (errors.contains(user)) return false;
        if (deletions.erase(user) + upsertions.erase(user) > 0) {
            errors[user] = {kafka_errc::duplicate_resource, "A user credential cannot be altered twice in the same request"};
            return false;
        }
        if (std::find(users.begin(), users.end(), user) == users.end()) users.push_back(user);
        return true;
    }
};

alteration_plan plan(const scram_store& store, const alter_user_scram_credentials_request& request) {
    alteration_plan p;
    for (const auto& d : request.deletions) {
        if (!p.first_mention(d.name)) continue;
        if (auto error = invalid_deletion(store, d)) p.errors[d.name] = *error;
        else p.deletions[d.name] = &d;
    }
    for (const auto& u : request.upsertions) {
        if (!p.first_mention(u.name)) continue;
        if (auto error = invalid_upsertion(u)) p.errors[u.name] = *error;
        else p.upsertions[u.name] = &u;
    }
    return p;
}

describe_user_scram_credentials_response::describe_user_scram_credentials_result
describe_user(const scram_store& store, const std::string& user, bool duplicate) {
    describe_user_scram_credentials_response::describe_user_scram_credentials_result out;
    out.user = user;
    const auto* credentials = store.find(user);
    if (duplicate) {
        out.error_code = static_cast<std::int16_t>(kafka_errc::duplicate_resource);
        out.error_message = "Cannot describe SCRAM credentials for the same user twice in a single request: " + user;
    } else if (!credentials) {
        out.error_code = static_cast<std::int16_t>(kafka_errc::resource_not_found);
        out.error_message = "attemptToDescribeUserThatDoesNotExist: " + user;
    } else {
        for (const auto& [mechanism, c] : *credentials) out.credential_infos.push_back({mechanism, c.iterations, {}});
    }
    return out;
}

} // namespace

void handle_describe_user_scram_credentials(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_user_scram_credentials_request>(ctx, body);
    if (!request) return;
    const auto& store = ctx.state.scram_credentials();
    describe_user_scram_credentials_response response;
    if (ctx.injected_error != 0) {
        response.error_code = ctx.injected_error;
        reply<describe_user_scram_credentials_response>(ctx).send(response);
        return;
    }
    // Null or empty: every user (ScramImage.describe). Named users in request order, a name
    // given twice answered once with DUPLICATE_RESOURCE.
    if (!request->users || request->users->empty()) {
        for (const auto& [user, credentials] : store.users()) response.results.push_back(describe_user(store, user, false));
    } else {
        std::vector<std::string> order;
        std::map<std::string, bool> duplicate;
        for (const auto& u : *request->users) {
            if (duplicate.contains(u.name)) duplicate[u.name] = true;
            else order.push_back(u.name), duplicate[u.name] = false;
        }
        for (const auto& user : order) response.results.push_back(describe_user(store, user, duplicate[user]));
    }
    reply<describe_user_scram_credentials_response>(ctx).send(response);
}

void handle_alter_user_scram_credentials(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<alter_user_scram_credentials_request>(ctx, body);
    if (!request) return;
    auto& store = ctx.state.scram_credentials();
    auto p = plan(store, *request);
    if (ctx.injected_error != 0) {
        p.deletions.clear();
        p.upsertions.clear();
        for (const auto& user : p.users) p.errors[user] = {static_cast<kafka_errc>(ctx.injected_error), {}};
    }
    alter_user_scram_credentials_response response;
    for (const auto& user : p.users) {
        alter_user_scram_credentials_response::alter_user_scram_credentials_result out;
        out.user = user;
        out.error_message = std::nullopt;
        if (auto e = p.errors.find(user); e != p.errors.end()) {
            out.error_code = static_cast<std::int16_t>(e->second.error);
            if (!e->second.message.empty()) out.error_message = e->second.message;
        } else if (auto d = p.deletions.find(user); d != p.deletions.end()) {
            store.remove(user, d->second->mechanism);
        } else if (auto u = p.upsertions.find(user); u != p.upsertions.end()) {
            const auto& up = *u->second;
            store.upsert(user, up.mechanism,
                         {up.iterations, {up.salt.begin(), up.salt.end()}, {up.salted_password.begin(), up.salted_password.end()}});
        }
        response.results.push_back(std::move(out));
    }
    if (!p.deletions.empty() || !p.upsertions.empty()) ctx.state.save_metadata();
    reply<alter_user_scram_credentials_response>(ctx).send(response);
}

} // namespace kafkit::broker
