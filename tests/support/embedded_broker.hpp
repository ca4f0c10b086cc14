#pragma once
// An in-process reference broker for tests: started on 127.0.0.1 with ephemeral ports,
// stopped when the object goes.

#include "kafkit/broker/broker.hpp"

#include <cstdint>
#include <string>

namespace kafkit::testing {

/// Starts a kafkit::broker::broker with `config` (listeners forced to 127.0.0.1:0).
class embedded_broker {
public:
    explicit embedded_broker(broker::broker_config config = {}) : broker_(prepare(std::move(config))) { broker_.start(); }

    /// Port of the node at `index` (0-based).
    [[nodiscard]] std::uint16_t port(std::size_t index = 0) const { return broker_.endpoints().at(index).port; }
    [[nodiscard]] std::string bootstrap() const { return broker_.bootstrap_servers(); }
    [[nodiscard]] broker::broker& get() { return broker_; }

private:
    static broker::broker_config prepare(broker::broker_config config) {
        config.listeners.assign(1, broker::listen_address{"127.0.0.1", 0});
        config.log_level = 3;
        return config;
    }
    broker::broker broker_;
};

} // namespace kafkit::testing
