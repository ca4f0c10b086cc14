#include "state/feature_levels.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace kafkit::broker {
namespace {

constexpr std::string_view metadata_version = "metadata.version";

// metadata.version 1 is 3.0-IV1 and 21 is 3.9-IV0.
constexpr std::array<supported_feature, 3> supported_features{{
    {"group.version", 0, 1, 1},
    {"kraft.version", 0, 1, 0},
    {metadata_version, 1, 21, 21},
}};

} // namespace

feature_levels::feature_levels() {
    for (const auto& f : supported_features)
        if (f.initial_level > 0) finalized_[std::string(f.name)] = f.initial_level;
}

std::span<const supported_feature> feature_levels::supported() noexcept { return supported_features; }

const supported_feature* feature_levels::find_supported(std::string_view name) noexcept {
    for (const auto& f : supported_features)
        if (f.name == name) return &f;
    return nullptr;
}

std::optional<std::string> feature_levels::check(const std::string& name, std::int16_t level,
                                                 feature_upgrade how) const {
    const auto* f = find_supported(name);
    if (!f) return "The broker does not support feature " + name + ".";
    const auto it = finalized_.find(name);
    const std::int16_t current = it == finalized_.end() ? 0 : it->second;
    if (level < 0) return "Invalid level " + std::to_string(level) + " for feature " + name + ".";
    if (level != 0 && (level < f->min_level || level > f->max_level))
        return "Invalid update version " + std::to_string(level) + " for feature " + name +
               ". The broker only supports versions " + std::to_string(f->min_level) + "-" +
               std::to_string(f->max_level) + ".";
    if (level < current) {
        if (how == feature_upgrade::upgrade)
            return "Can't downgrade the version of this feature without setting the upgrade type to either safe "
                   "or unsafe downgrade.";
        if (name == metadata_version)
            return level == 0 ? "metadata.version cannot be removed."
                              : "Refusing to downgrade metadata.version: the broker cannot rewrite its metadata "
                                "for an older version.";
    }
    return std::nullopt;
}

void feature_levels::apply(const std::map<std::string, std::int16_t>& levels) {
    bool changed = false;
    for (const auto& [name, level] : levels) {
        const auto it = finalized_.find(name);
        const std::int16_t current = it == finalized_.end() ? 0 : it->second;
        if (level == current) continue;
        changed = true;
        if (level == 0) finalized_.erase(it);
        else finalized_[name] = level;
    }
    if (changed) ++epoch_;
}

nlohmann::json feature_levels::to_json() const { return {{"epoch", epoch_}, {"finalized", finalized_}}; }

void feature_levels::load_json(const nlohmann::json& doc) {
    epoch_ = doc.value("epoch", epoch_);
    finalized_ = doc.value("finalized", finalized_);
}

} // namespace kafkit::broker
