#pragma once
// SCRAM credentials per user and mechanism (AlterUserScramCredentials,
// DescribeUserScramCredentials, KIP-554), as the KRaft controller stores them: iterations,
// salt and salted password. Persisted with the metadata; nothing authenticates with them
// yet (the broker has no SASL).

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kafkit::broker {

/// Kafka's ScramMechanism type codes and iteration bounds.
namespace scram {
inline constexpr std::int8_t sha_256 = 1, sha_512 = 2;
inline constexpr std::int32_t min_iterations = 4096, max_iterations = 16384;
} // namespace scram

/// One stored credential.
struct scram_credential {
    std::int32_t iterations = 0;
    std::vector<std::uint8_t> salt;
    std::vector<std::uint8_t> salted_password;
};

/// The credentials of every user: user -> mechanism -> credential.
class scram_store {
public:
    using user_credentials = std::map<std::int8_t, scram_credential>;

    /// Adds or replaces a user's credential for one mechanism.
    void upsert(const std::string& user, std::int8_t mechanism, scram_credential credential) {
        users_[user][mechanism] = std::move(credential);
    }
    /// Removes one credential; false when there was none.
    bool remove(const std::string& user, std::int8_t mechanism);
    /// True when `user` has a credential for `mechanism`.
    [[nodiscard]] bool has(const std::string& user, std::int8_t mechanism) const;
    /// The user's credentials, or nullptr when it has none.
    [[nodiscard]] const user_credentials* find(const std::string& user) const;
    /// Every user with a credential, by name.
    [[nodiscard]] const std::map<std::string, user_credentials>& users() const noexcept { return users_; }

    /// The credentials as JSON (cluster.json; salts and passwords in hex).
    [[nodiscard]] nlohmann::json to_json() const;
    /// Replaces the credentials with those of a to_json() object.
    void load_json(const nlohmann::json& doc);

private:
    std::map<std::string, user_credentials> users_;
};

} // namespace kafkit::broker
