#include "group/partition_assignor.hpp"

#include "group/builtin_assignors.hpp"

#include <array>

namespace kafkit::detail {
namespace {

using assign_function = group_assignment (*)(const assignor_cluster&,
                                             const std::vector<member_subscription>&);
using user_data_function = std::vector<std::uint8_t> (*)(const std::vector<topic_partition>&,
                                                         std::int32_t);

struct builtin {
    std::string_view name;
    rebalance_protocol protocol;
    assign_function assign;
    user_data_function user_data; // nullptr: no user data
};

std::vector<std::uint8_t> cooperative_user_data(const std::vector<topic_partition>&,
                                                std::int32_t generation) {
    return encode_cooperative_user_data(generation);
}

constexpr std::array builtins{
    builtin{"range", rebalance_protocol::eager, &assign_range, nullptr},
    builtin{"roundrobin", rebalance_protocol::eager, &assign_roundrobin, nullptr},
    builtin{"sticky", rebalance_protocol::eager, &assign_sticky, &encode_sticky_user_data},
    builtin{"cooperative-sticky", rebalance_protocol::cooperative, &assign_cooperative_sticky,
            &cooperative_user_data},
};

class builtin_assignor final : public partition_assignor {
public:
    explicit builtin_assignor(const builtin& strategy) noexcept : strategy_(strategy) {}

    [[nodiscard]] std::string_view name() const noexcept override { return strategy_.name; }
    [[nodiscard]] rebalance_protocol protocol() const noexcept override {
        return strategy_.protocol;
    }
    [[nodiscard]] std::vector<std::uint8_t>
    subscription_user_data(const std::vector<topic_partition>& owned,
                           std::int32_t generation) const override {
        if (strategy_.user_data == nullptr) return {};
        return strategy_.user_data(owned, generation);
    }
    [[nodiscard]] group_assignment
    assign(const assignor_cluster& cluster,
           const std::vector<member_subscription>& members) const override {
        return strategy_.assign(cluster, members);
    }

private:
    const builtin& strategy_; // one of `builtins`
};

} // namespace

std::vector<std::uint8_t>
partition_assignor::subscription_user_data(const std::vector<topic_partition>&,
                                           std::int32_t) const {
    return {};
}

std::unique_ptr<partition_assignor> make_assignor(std::string_view name) {
    for (const auto& strategy : builtins) {
        if (strategy.name == name) return std::make_unique<builtin_assignor>(strategy);
    }
    return nullptr;
}

} // namespace kafkit::detail
