#pragma once
// bootstrap.servers entries as host and port.

#include "config/client_settings.hpp"
#include "config/config_result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace kafkit::detail {

/// Parses each entry of bootstrap.servers: `host:port`, `[ipv6]:port`, either without the
/// port (9092, as librdkafka allows; the Java client requires one), each with an optional
/// `PLAINTEXT://` prefix. `spelled` is the property's name as the user wrote it
/// (bootstrap.servers or metadata.broker.list), for messages such as
/// "bootstrap.servers: 'h:x': port 'x' is not a number". An empty `entries` is an error.
[[nodiscard]] config_result<std::vector<broker_address>>
parse_bootstrap_servers(std::string_view spelled, const std::vector<std::string>& entries);

} // namespace kafkit::detail
