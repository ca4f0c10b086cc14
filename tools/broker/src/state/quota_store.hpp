#pragma once
// Client quotas (AlterClientQuotas, DescribeClientQuotas, KIP-546): quota values per entity,
// an entity being a user, a client id, a (user, client id) pair or an IP, each name null for
// the default entity. Stored and persisted with the metadata; nothing is throttled.

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>

namespace kafkit::broker {

/// An entity: entity type ("user", "client-id", "ip") -> name (nullopt: the default).
using quota_entity = std::map<std::string, std::optional<std::string>>;
/// Quota key -> value.
using quota_values = std::map<std::string, double>;

/// Every entity with at least one quota.
class quota_store {
public:
    /// Sets (a value) or removes (nullopt) one quota; an entity left with none is forgotten.
    void apply(const quota_entity& entity, const std::string& key, std::optional<double> value);
    [[nodiscard]] const std::map<quota_entity, quota_values>& entities() const noexcept { return entities_; }

    /// The quotas as a JSON array (cluster.json).
    [[nodiscard]] nlohmann::json to_json() const;
    /// Replaces the quotas with those of a to_json() array.
    void load_json(const nlohmann::json& array);

private:
    std::map<quota_entity, quota_values> entities_;
};

} // namespace kafkit::broker
