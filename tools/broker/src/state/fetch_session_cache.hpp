#pragma once
// Incremental fetch sessions (KIP-227).

namespace kafkit::broker {

class broker_state;

/// Incremental fetch sessions (KIP-227).
class fetch_session_cache {
public:
    explicit fetch_session_cache(broker_state& state) : state_(state) {}

private:
    [[maybe_unused]] broker_state& state_;
};

} // namespace kafkit::broker
