#pragma once
// A topic: name, id, partitions and its configuration overrides.

#include "kafkit/protocol/uuid.hpp"
#include "state/partition.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kafkit::broker {

/// A topic. Configs holds only the overrides set on the topic (CreateTopics, AlterConfigs);
/// defaults come from the broker (see config_registry).
struct topic {
    std::string name;
    protocol::uuid id;
    bool internal = false;
    std::vector<std::unique_ptr<partition>> partitions;
    std::map<std::string, std::string> configs;

    [[nodiscard]] partition* find_partition(std::int32_t index) const {
        if (index < 0 || static_cast<std::size_t>(index) >= partitions.size()) return nullptr;
        return partitions[static_cast<std::size_t>(index)].get();
    }
};

} // namespace kafkit::broker
