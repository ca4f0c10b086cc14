#pragma once
// The classic group coordinator: groups, members, generations, rebalances and committed offsets (persisted with the data dir).

namespace kafkit::broker {

class broker_state;

/// The classic group coordinator: groups, members, generations, rebalances and committed offsets (persisted with the data dir).
class group_coordinator {
public:
    explicit group_coordinator(broker_state& state) : state_(state) {}

private:
    [[maybe_unused]] broker_state& state_;
};

} // namespace kafkit::broker
