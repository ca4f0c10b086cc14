#pragma once
// Delegation tokens (KIP-48): created, renewed, expired and described. Brokers hand them out
// only to clients authenticated over SASL (not with a token); elsewhere each call fails with
// DELEGATION_TOKEN_REQUEST_NOT_ALLOWED.

#include "kafkit/admin/call_options.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::admin {

/// A principal as "Type:name", e.g. "User:alice".
using principal = std::string;

struct delegation_token {
    std::string token_id;
    std::vector<std::uint8_t> hmac; ///< the secret a client authenticates with
    principal owner;
    principal requester; ///< who asked for it (CreateDelegationToken v3+)
    std::vector<principal> renewers;
    std::int64_t issue_timestamp_ms = 0;
    std::int64_t expiry_timestamp_ms = 0;
    std::int64_t max_timestamp_ms = 0;
};

struct create_delegation_token_options : call_options {
    std::vector<principal> renewers;
    std::optional<principal> owner; ///< another owner than the caller (v3+)
    std::int64_t max_lifetime_ms = -1; ///< -1: the broker's delegation.token.max.lifetime.ms
};

struct describe_delegation_token_options : call_options {
    std::optional<std::vector<principal>> owners; ///< nullopt: every token the caller may see
};

} // namespace kafkit::admin
