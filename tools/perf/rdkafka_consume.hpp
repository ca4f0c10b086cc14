#pragma once
// kafkit-rdkafka-perf consume: librdkafka's high-level consumer as a consume_client.

#include "consume_driver.hpp"

namespace kafkit::perf {

/// A librdkafka consumer made from `properties` (each through rd_kafka_conf_set), subscribed
/// to `options.topic` as `options.group`, or with every partition of the topic assigned
/// from RD_KAFKA_OFFSET_BEGINNING. The error names the refused property or the metadata
/// error.
[[nodiscard]] consume_client_or_error make_rdkafka_consumer(const property_list& properties,
                                                            const consume_options& options);

} // namespace kafkit::perf
