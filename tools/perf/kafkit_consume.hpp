#pragma once
// kafkit-perf consume: the kafkit consumer as a consume_client.

#include "consume_driver.hpp"

namespace kafkit::perf {

/// A kafkit::consumer made from `properties`, subscribed to `options.topic` as
/// `options.group`, or with every partition of the topic assigned and sought to its
/// beginning. The error says which property was refused or why the topic was not found.
[[nodiscard]] consume_client_or_error make_kafkit_consumer(const property_list& properties,
                                                           const consume_options& options);

} // namespace kafkit::perf
