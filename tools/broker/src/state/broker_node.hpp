#pragma once
// One broker node of the cluster the process acts as.

#include <cstdint>
#include <optional>
#include <string>

namespace kafkit::broker {

/// A node: its id, where it listens (as advertised in metadata) and its rack.
struct broker_node {
    std::int32_t id = 0;
    std::string host;
    std::int32_t port = 0;
    std::optional<std::string> rack;
    /// False while the fault injector holds the node down: connections are refused and it
    /// is left out of metadata.
    bool up = true;
};

} // namespace kafkit::broker
