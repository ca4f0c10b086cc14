#pragma once
// `latency`: one producer sends --messages records at --throughput records/s from a thread
// of its own while one consumer in the same process reads every partition of the topic
// from its beginning; a record's end-to-end latency is the moment the consumer's poll
// handed it out minus the moment just before the producer's send(). Each tool plugs its
// two clients in through perf_client and consume_client, so the measuring code is the
// same for both.

#include "consume_driver.hpp"
#include "perf_driver.hpp"
#include "perf_options.hpp"

#include <string>

namespace kafkit::perf {

/// Runs `latency` as parsed: returns the exit status (0 when every measured record
/// arrived; 1 when the run could not start, a fatal consumer error stopped it or --timeout
/// passed without a record, after printing what was measured until then). The consumer
/// is made first (so it is reading when the first record goes out), then the producer.
/// `tool` prefixes messages.
[[nodiscard]] int run_latency(const latency_options& options, const std::string& tool,
                              const client_factory& make_producer,
                              const consume_client_factory& make_consumer);

} // namespace kafkit::perf
