#pragma once
// The part of a producer benchmark that does not depend on the client: prepare payloads,
// send num-records records as fast as --throughput allows, wait for every outcome and
// print the figures. Each tool plugs its client in through perf_client.

#include "perf_options.hpp"
#include "perf_report.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace kafkit::perf {

/// The `partition` of perf_client::send that lets the client's partitioner choose.
inline constexpr std::int32_t any_partition = -1;

/// One producer under test, as the driver sees it. Used from one thread at a time (its
/// delivery callbacks may run elsewhere; they report to perf_stats).
class perf_client {
public:
    virtual ~perf_client() = default;
    /// Sends one record of `value` to `partition` of `topic` (any_partition: the
    /// partitioner's choice); its outcome reaches the perf_stats the client was made with
    /// (record_delivery with `sent_us`, or record_failure). Returns false when the client
    /// refused the record, already counted as failed. `value` need only live during the
    /// call.
    virtual bool send(const std::string& topic, std::int32_t partition, std::string_view value,
                      std::int64_t sent_us) = 0;
    /// Returns once every record sent so far has its outcome.
    virtual void flush() = 0;
    /// The client's own metrics as text, for --print-metrics.
    [[nodiscard]] virtual std::string metrics() = 0;
};

/// A client, or the reason it could not be created (a bad property, ...).
struct client_or_error {
    std::unique_ptr<perf_client> client;
    std::string error;
};

/// Creates the client under test from the producer properties; its callbacks report to
/// `stats`, which outlives it.
using client_factory = std::function<client_or_error(const property_list& properties, perf_stats& stats)>;

/// Runs `produce` as parsed: returns the exit status (0 when every record was delivered, 1
/// when any failed or the run could not start). `tool` prefixes messages.
[[nodiscard]] int run_produce(const produce_options& options, const std::string& tool,
                              const client_factory& make_client);

} // namespace kafkit::perf
