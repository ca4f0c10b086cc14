// SCRAM credentials (DescribeUserScramCredentials, AlterUserScramCredentials) and client
// quotas (DescribeClientQuotas, AlterClientQuotas), each to any broker.

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/alter_client_quotas.hpp"
#include "kafkit/protocol/messages/alter_user_scram_credentials.hpp"
#include "kafkit/protocol/messages/describe_client_quotas.hpp"
#include "kafkit/protocol/messages/describe_user_scram_credentials.hpp"

#include <set>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace kafkit {
namespace detail {
namespace {

std::string user_context(const std::string& user) { return "user " + user; }

std::string entity_context(const admin::client_quota_entity& entity) {
    std::string out = "quota entity";
    for (const auto& [type, name] : entity) out += " " + type + "=" + name.value_or("<default>");
    return out;
}

/// RFC 5802's SaltedPassword := Hi(password, salt, i): PBKDF2 with the mechanism's HMAC.
std::vector<std::uint8_t> salted_password(admin::scram_mechanism mechanism, const std::string& password,
                                          const std::string& salt, std::int32_t iterations) {
    const bool sha512 = mechanism == admin::scram_mechanism::sha_512;
    std::vector<std::uint8_t> out(sha512 ? 64 : 32);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()), iterations,
                          sha512 ? EVP_sha512() : EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1)
        out.clear();
    return out;
}

std::string random_salt() {
    std::string salt(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1) salt.clear();
    return salt;
}

/// What an AlterUserScramCredentials request views: the upsertions' salts and salted
/// passwords, kept alive with the request.
struct scram_secrets {
    std::vector<admin::scram_upsertion> upsertions;
    std::vector<std::string> salts;
    std::vector<std::vector<std::uint8_t>> salted;
};

} // namespace
} // namespace detail

admin::future<std::map<std::string, admin::user_scram_credentials>> admin_client::describe_user_scram_credentials(
    const std::optional<std::vector<std::string>>& users, const admin::call_options& options) {
    using described = std::map<std::string, admin::user_scram_credentials>;
    auto promise = std::make_shared<std::promise<described>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "describe_user_scram_credentials", [&engine, promise, users, deadline] {
        protocol::describe_user_scram_credentials_request request;
        if (users) {
            for (const auto& u : *users) request.users->emplace_back().name = u;
        } else {
            request.users.reset(); // every user
        }
        detail::single_call<protocol::describe_user_scram_credentials_request,
                            protocol::describe_user_scram_credentials_response>(
            engine, request, deadline,
            [promise](std::error_code ec, const protocol::describe_user_scram_credentials_response& response) {
                if (ec) return detail::fail(*promise, ec, detail::with_message("describe_user_scram_credentials", response.error_message));
                described out;
                for (const auto& r : response.results) {
                    if (const auto user_error = detail::kafka_error(r.error_code))
                        return detail::fail(*promise, user_error, detail::with_message(detail::user_context(r.user), r.error_message));
                    auto& d = out[r.user];
                    d.user = r.user;
                    for (const auto& c : r.credential_infos)
                        d.credentials.push_back({static_cast<admin::scram_mechanism>(c.mechanism), c.iterations});
                }
                promise->set_value(std::move(out));
            });
    });
}

admin::keyed_result<std::string, void> admin_client::alter_user_scram_credentials(
    const std::vector<admin::scram_upsertion>& upsertions, const std::vector<admin::scram_deletion>& deletions,
    const admin::call_options& options) {
    std::vector<std::string> users;
    for (const auto& u : upsertions) users.push_back(u.user);
    for (const auto& d : deletions) users.push_back(d.user);
    auto promises = std::make_shared<detail::keyed_promises<std::string, void>>(users);
    auto secrets = std::make_shared<detail::scram_secrets>();
    for (const auto& u : upsertions) {
        secrets->upsertions.push_back(u);
        secrets->salts.push_back(u.salt.empty() ? detail::random_salt() : u.salt);
        secrets->salted.push_back(detail::salted_password(u.mechanism, u.password, secrets->salts.back(), u.iterations));
    }
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "alter_user_scram_credentials", [&engine, promises, secrets, deletions, deadline] {
        detail::keyed_call<protocol::alter_user_scram_credentials_request, protocol::alter_user_scram_credentials_response>(
            engine, promises, promises->pending(), detail::admin_route::any(), deadline,
            [secrets, deletions](const std::vector<std::string>& open, detail::admin_engine::clock_type::time_point) {
                const std::set<std::string> wanted(open.begin(), open.end());
                protocol::alter_user_scram_credentials_request request;
                for (std::size_t i = 0; i < secrets->upsertions.size(); ++i) {
                    const auto& u = secrets->upsertions[i];
                    if (wanted.count(u.user) == 0) continue;
                    auto& out = request.upsertions.emplace_back();
                    out.name = u.user;
                    out.mechanism = static_cast<std::int8_t>(u.mechanism);
                    out.iterations = u.iterations;
                    out.salt = protocol::bytes_view(reinterpret_cast<const std::uint8_t*>(secrets->salts[i].data()),
                                                    secrets->salts[i].size());
                    out.salted_password = protocol::bytes_view(secrets->salted[i].data(), secrets->salted[i].size());
                }
                for (const auto& d : deletions) {
                    if (wanted.count(d.user) == 0) continue;
                    auto& out = request.deletions.emplace_back();
                    out.name = d.user;
                    out.mechanism = static_cast<std::int8_t>(d.mechanism);
                }
                return request;
            },
            [promises, secrets](const protocol::alter_user_scram_credentials_response& response, std::int16_t) {
                for (const auto& r : response.results) {
                    if (const auto ec = detail::kafka_error(r.error_code))
                        promises->fail(r.user, ec, detail::with_message(detail::user_context(r.user), r.error_message));
                    else promises->succeed(r.user);
                }
                return detail::answer_verdict::settled;
            },
            detail::user_context);
    });
}

admin::future<std::map<admin::client_quota_entity, std::map<std::string, double>>> admin_client::describe_client_quotas(
    const admin::client_quota_filter& filter, const admin::call_options& options) {
    using described = std::map<admin::client_quota_entity, std::map<std::string, double>>;
    auto promise = std::make_shared<std::promise<described>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "describe_client_quotas", [&engine, promise, filter, deadline] {
        protocol::describe_client_quotas_request request;
        for (const auto& c : filter.components) {
            auto& out = request.components.emplace_back();
            out.entity_type = c.entity_type;
            out.match_type = static_cast<std::int8_t>(c.match);
            if (c.match == admin::client_quota_filter_component::kind::exact) out.match = c.name;
            else out.match.reset();
        }
        request.strict = filter.strict;
        detail::single_call<protocol::describe_client_quotas_request, protocol::describe_client_quotas_response>(
            engine, request, deadline, [promise](std::error_code ec, const protocol::describe_client_quotas_response& response) {
                if (ec) return detail::fail(*promise, ec, detail::with_message("describe_client_quotas", response.error_message));
                described out;
                if (response.entries) {
                    for (const auto& e : *response.entries) {
                        admin::client_quota_entity entity;
                        for (const auto& part : e.entity) entity[part.entity_type] = part.entity_name;
                        auto& values = out[entity];
                        for (const auto& v : e.values) values[v.key] = v.value;
                    }
                }
                promise->set_value(std::move(out));
            });
    });
}

admin::keyed_result<admin::client_quota_entity, void> admin_client::alter_client_quotas(
    const std::vector<admin::client_quota_alteration>& alterations, const admin::alter_client_quotas_options& options) {
    std::vector<admin::client_quota_entity> entities;
    std::map<admin::client_quota_entity, std::map<std::string, std::optional<double>>> ops;
    for (const auto& a : alterations) {
        entities.push_back(a.entity);
        for (const auto& [key, value] : a.ops) ops[a.entity][key] = value;
    }
    auto promises = std::make_shared<detail::keyed_promises<admin::client_quota_entity, void>>(entities);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    const bool validate_only = options.validate_only;
    return detail::start_keyed(engine, promises, "alter_client_quotas", [&engine, promises, ops, validate_only, deadline] {
        detail::keyed_call<protocol::alter_client_quotas_request, protocol::alter_client_quotas_response>(
            engine, promises, promises->pending(), detail::admin_route::any(), deadline,
            [ops, validate_only](const std::vector<admin::client_quota_entity>& open, detail::admin_engine::clock_type::time_point) {
                protocol::alter_client_quotas_request request;
                for (const auto& entity : open) {
                    auto& e = request.entries.emplace_back();
                    for (const auto& [type, name] : entity) {
                        auto& part = e.entity.emplace_back();
                        part.entity_type = type;
                        part.entity_name = name;
                    }
                    for (const auto& [key, value] : ops.at(entity)) {
                        auto& op = e.ops.emplace_back();
                        op.key = key;
                        op.value = value.value_or(0.0);
                        op.remove = !value.has_value();
                    }
                }
                request.validate_only = validate_only;
                return request;
            },
            [promises](const protocol::alter_client_quotas_response& response, std::int16_t) {
                for (const auto& e : response.entries) {
                    admin::client_quota_entity entity;
                    for (const auto& part : e.entity) entity[part.entity_type] = part.entity_name;
                    if (const auto ec = detail::kafka_error(e.error_code))
                        promises->fail(entity, ec, detail::with_message(detail::entity_context(entity), e.error_message));
                    else promises->succeed(entity);
                }
                return detail::answer_verdict::settled;
            },
            detail::entity_context);
    });
}

} // namespace kafkit
