#pragma once
// SCRAM credentials (KIP-554) and client quotas (KIP-546) as the admin client describes and
// alters them.

#include "kafkit/admin/call_options.hpp"

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::admin {

enum class scram_mechanism : std::int8_t { unknown = 0, sha_256 = 1, sha_512 = 2 };

struct scram_credential_info {
    scram_mechanism mechanism = scram_mechanism::unknown;
    std::int32_t iterations = 0;

    friend bool operator==(const scram_credential_info&, const scram_credential_info&) = default;
};

/// A user's SCRAM credentials: which mechanisms, with how many iterations (never the secrets).
struct user_scram_credentials {
    std::string user;
    std::vector<scram_credential_info> credentials;
};

/// Sets a user's credential for one mechanism. The salted password is computed here
/// (PBKDF2 with the mechanism's hash, RFC 5802's Hi()); the password itself is never sent.
struct scram_upsertion {
    std::string user;
    scram_mechanism mechanism = scram_mechanism::sha_256;
    std::int32_t iterations = 4096;
    std::string password;
    std::string salt; ///< empty: 32 random bytes
};

/// Removes a user's credential for one mechanism.
struct scram_deletion {
    std::string user;
    scram_mechanism mechanism = scram_mechanism::sha_256;
};

/// What a quota applies to: entity type ("user", "client-id", "ip") to its name; a null
/// name is the type's default entity.
using client_quota_entity = std::map<std::string, std::optional<std::string>>;

/// One entity type's part of a quota filter.
struct client_quota_filter_component {
    enum class kind : std::int8_t { exact = 0, default_entity = 1, any = 2 };
    std::string entity_type;
    kind match = kind::any;
    std::string name; ///< for exact

    static client_quota_filter_component of(std::string type, std::string name) {
        return {std::move(type), kind::exact, std::move(name)};
    }
    static client_quota_filter_component default_of(std::string type) { return {std::move(type), kind::default_entity, {}}; }
    static client_quota_filter_component any_of(std::string type) { return {std::move(type), kind::any, {}}; }
};

/// Entities matching every component; `strict`: entities with no other entity types.
struct client_quota_filter {
    std::vector<client_quota_filter_component> components;
    bool strict = false;
};

/// A quota change: a value set for a key ("producer_byte_rate", ...), or removed (nullopt).
struct client_quota_alteration {
    client_quota_entity entity;
    std::map<std::string, std::optional<double>> ops;
};

struct alter_client_quotas_options : call_options {
    bool validate_only = false;
};

} // namespace kafkit::admin
