#pragma once
// Error texts as kcat prints them: kcat words every error through librdkafka's
// rd_kafka_err2str(), whose texts differ from Kafka's own messages (kafka_error.hpp) -
// "Broker: Unknown topic or partition", "Broker: Leader not available", ... A drop-in
// replacement has to print the same words.

#include <string>

namespace kafkit::cli {

/// rd_kafka_err2str(code) of librdkafka 2.0.2 (the library Debian's kcat 1.7.1 runs on):
/// Kafka's codes -1..97 ("Broker: ..."; -1 is "Unknown broker error", 0 "Success"),
/// librdkafka's local codes -199..-140 ("Local: ..."), and "Err-<code>?" for every other
/// code, newer Kafka codes included.
[[nodiscard]] std::string rdkafka_err2str(int code);

} // namespace kafkit::cli
