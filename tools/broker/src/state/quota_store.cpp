#include "state/quota_store.hpp"

#include <nlohmann/json.hpp>

namespace kafkit::broker {

void quota_store::apply(const quota_entity& entity, const std::string& key, std::optional<double> value) {
    if (value) {
        entities_[entity][key] = *value;
        return;
    }
    auto it = entities_.find(entity);
    if (it == entities_.end()) return;
    it->second.erase(key);
    if (it->second.empty()) entities_.erase(it);
}

nlohmann::json quota_store::to_json() const {
    auto array = nlohmann::json::array();
    for (const auto& [entity, values] : entities_) {
        auto names = nlohmann::json::object();
        for (const auto& [type, name] : entity) names[type] = name ? nlohmann::json(*name) : nlohmann::json(nullptr);
        array.push_back({{"entity", names}, {"values", values}});
    }
    return array;
}

void quota_store::load_json(const nlohmann::json& array) {
    entities_.clear();
    for (const auto& j : array) {
        quota_entity entity;
        for (const auto& [type, name] : j.at("entity").items())
            entity[type] = name.is_null() ? std::nullopt : std::optional<std::string>(name.get<std::string>());
        entities_[entity] = j.at("values").get<quota_values>();
    }
}

} // namespace kafkit::broker
