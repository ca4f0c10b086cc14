#pragma once
// Idempotent producers: producer ids and epochs (InitProducerId), per partition sequence state.

namespace kafkit::broker {

class broker_state;

/// Idempotent producers: producer ids and epochs (InitProducerId), per partition sequence state.
class producer_registry {
public:
    explicit producer_registry(broker_state& state) : state_(state) {}

private:
    [[maybe_unused]] broker_state& state_;
};

} // namespace kafkit::broker
