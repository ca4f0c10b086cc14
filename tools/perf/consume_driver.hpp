#pragma once
// The part of a consumer benchmark that does not depend on the client: merge the consumer
// properties, poll until --messages records have arrived (or none has for --timeout ms),
// and print the figures. Each tool plugs its client in through consume_client.

#include "perf_options.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kafkit::perf {

/// What one poll of the client under test brought.
struct poll_outcome {
    std::int64_t records = 0;        ///< records counted, at most the limit asked for
    std::int64_t bytes = 0;          ///< their key and value bytes
    std::vector<std::string> errors; ///< errors the consumer reported (the run goes on)
    std::string fatal;               ///< non-empty: the consumer cannot go on (the run stops)
};

/// Sees the value of a counted record (empty for a null value); the view lasts the call.
using value_observer = std::function<void(std::string_view value)>;

/// One consumer under test, as the driver sees it: already reading the topic (assigned or
/// subscribed) when made. Used from the driver's thread only.
class consume_client {
public:
    virtual ~consume_client() = default;
    /// Waits up to `timeout` for records and counts at most `limit` of those that arrived
    /// (the rest of a batch is left uncounted: the run ends with them).
    virtual poll_outcome poll(std::chrono::milliseconds timeout, std::int64_t limit) = 0;

    /// Makes poll() show every record it counts to `observer` (empty: to nobody), inside
    /// poll() on its thread, in the order the client hands the records out.
    void observe_values(value_observer observer) { observer_ = std::move(observer); }

protected:
    /// For the clients: shows a counted record's value to the observer, if there is one.
    void report_value(std::string_view value) const {
        if (observer_) observer_(value);
    }

private:
    value_observer observer_;
};

/// A consumer, or the reason it could not be created or could not start reading (a bad
/// property, a topic that does not exist, ...).
struct consume_client_or_error {
    std::unique_ptr<consume_client> client;
    std::string error;
    std::int32_t partitions = 0; ///< how many partitions were assigned (0 when subscribed)
};

/// Creates the consumer under test from the merged properties and starts it reading
/// `options.topic`: subscribed as `options.group` when set, else with every partition of the
/// topic assigned from its beginning.
using consume_client_factory = std::function<consume_client_or_error(
    const property_list& properties, const consume_options& options)>;

/// Runs `consume` as parsed: returns the exit status (0 when --messages records arrived; 1
/// when the run could not start, a fatal error stopped it or --timeout passed without a
/// record, after printing what was consumed until then). `tool` prefixes messages.
[[nodiscard]] int run_consume(const consume_options& options, const std::string& tool,
                              const consume_client_factory& make_client);

} // namespace kafkit::perf
