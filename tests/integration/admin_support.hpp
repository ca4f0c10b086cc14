#pragma once
// What the admin client's integration tests share: a kafkit-broker of three nodes started
// once per test, and an admin client for it with short backoffs.

#include "producer_test_support.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/testcontainers/reference_cluster.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace kafkit::integration {

inline kafkit::config admin_config(const testcontainers::cluster& cluster) {
    kafkit::config cfg{{"bootstrap.servers", cluster.bootstrap_servers()},
                       {"client.id", "kafkit-admin-test"},
                       {"retry.backoff.ms", "10"},
                       {"reconnect.backoff.ms", "10"},
                       {"default.api.timeout.ms", "15000"}};
    with_test_log(cfg);
    return cfg;
}

struct admin_fixture {
    testcontainers::reference_cluster cluster{testcontainers::reference_cluster_options{.brokers = 3}};
    kafkit::admin_client admin{admin_config(cluster)};
};

/// The Kafka error a future fails with (an empty error_code when it succeeds).
template <class Future>
std::error_code error_of(const Future& future) {
    try {
        future.get();
        return {};
    } catch (const kafkit::exception& e) {
        return e.code();
    }
}

} // namespace kafkit::integration
