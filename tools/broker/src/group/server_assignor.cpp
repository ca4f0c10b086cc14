#include "group/server_assignor.hpp"

namespace kafkit::broker {
namespace {

/// group.consumer.assignors as Kafka ships it: the first is the default.
constexpr server_assignor assignors[] = {
    {"uniform", &uniform_assign},
    {"range", &range_assign},
};

} // namespace

const server_assignor* find_server_assignor(std::string_view name) noexcept {
    for (const auto& a : assignors)
        if (a.name == name) return &a;
    return nullptr;
}

const server_assignor& default_server_assignor() noexcept {
    return assignors[0];
}

std::string server_assignor_names() {
    std::string out;
    for (const auto& a : assignors) {
        if (!out.empty()) out += ", ";
        out += a.name;
    }
    return out;
}

} // namespace kafkit::broker
