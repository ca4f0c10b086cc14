#pragma once
// Kafka's feature flags (KIP-584, KIP-778): the features this broker supports with their
// level ranges, and the finalized level of each, as the KRaft controller keeps them and
// ApiVersions v3+ reports them. UpdateFeatures changes the finalized levels (persisted
// with the metadata); nothing in this broker behaves differently by level yet.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kafkit::broker {

/// A supported feature: its name, level range and the level a new cluster starts at.
struct supported_feature {
    std::string_view name;
    std::int16_t min_level;
    std::int16_t max_level;
    std::int16_t initial_level;
};

/// Kafka's UpgradeType codes of UpdateFeatures v1+.
enum class feature_upgrade : std::int8_t { upgrade = 1, safe_downgrade = 2, unsafe_downgrade = 3 };

/// The finalized feature levels of the cluster.
class feature_levels {
public:
    /// Starts at each supported feature's initial level.
    feature_levels();

    /// What this broker supports (Kafka 3.9's metadata.version and kraft.version ranges,
    /// and group.version of Kafka 4.0, for the KIP-848 groups it serves).
    [[nodiscard]] static std::span<const supported_feature> supported() noexcept;
    [[nodiscard]] static const supported_feature* find_supported(std::string_view name) noexcept;

    /// The finalized levels of the features above level 0 (level 0 is "not finalized":
    /// Kafka leaves those out), by name.
    [[nodiscard]] const std::map<std::string, std::int16_t>& finalized() const noexcept { return finalized_; }
    /// Grows with every change, as Kafka's finalized-features epoch (a metadata offset).
    [[nodiscard]] std::int64_t epoch() const noexcept { return epoch_; }

    /// Why `level` with `how` cannot be applied to `name` (Kafka's wording), or nullopt.
    [[nodiscard]] std::optional<std::string> check(const std::string& name, std::int16_t level,
                                                   feature_upgrade how) const;
    /// Sets the finalized levels (already checked); level 0 removes a feature.
    void apply(const std::map<std::string, std::int16_t>& levels);

    /// The finalized levels and epoch as JSON (cluster.json).
    [[nodiscard]] nlohmann::json to_json() const;
    /// Replaces the levels with those of a to_json() object.
    void load_json(const nlohmann::json& doc);

private:
    std::map<std::string, std::int16_t> finalized_;
    std::int64_t epoch_ = 1;
};

} // namespace kafkit::broker
