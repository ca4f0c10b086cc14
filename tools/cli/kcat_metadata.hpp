#pragma once
// kcat's -L output, as text and as -J JSON: a neutral snapshot of a Metadata response
// (filled by the CLI from the client library's metadata) and the two renderings, which
// follow kcat 1.7's metadata_print and metadata_print_json byte for byte. Error texts are
// librdkafka's (rdkafka_errors.hpp), as kcat prints them.

#include "kafkit/ids.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::cli {

/// A broker of the cluster.
struct metadata_broker {
    node_id id{-1};
    std::string host;
    std::int32_t port = 0;
};

/// A partition of a topic.
struct metadata_partition {
    partition_id id{-1};
    std::int16_t error_code = 0; ///< Kafka's code; 0 is none
    node_id leader{-1};          ///< -1 when there is none
    std::vector<node_id> replicas;
    std::vector<node_id> isrs;
};

/// A topic, with its partitions in response order.
struct metadata_topic {
    std::string name;
    std::int16_t error_code = 0; ///< Kafka's code; 0 is none
    std::vector<metadata_partition> partitions;
};

/// What -L prints: the answer of one broker to one Metadata request.
struct metadata_snapshot {
    node_id originating_broker_id{-1};
    /// librdkafka's name of that broker, "host:port/id" ("host:port/bootstrap" before its
    /// id is known).
    std::string originating_broker_name;
    std::vector<metadata_broker> brokers; ///< in response order
    node_id controller_id{-1};            ///< -1 when unknown
    std::vector<metadata_topic> topics;   ///< in response order
};

/// Appends kcat's -L text to `out`: "Metadata for all topics (from broker N: name):" (or
/// "Metadata for <topic> ..." for -L -t <topic>), " N brokers:", a "  broker ID at
/// HOST:PORT" line each (" (controller)" on the controller), " N topics:", then per topic
/// `  topic "NAME" with N partitions:` (plus " <error>", and " (try again)" for Leader
/// not available) and "    partition ID, leader L, replicas: R,R, isrs: I,I" (plus
/// ", <error>") lines. Every line ends in "\n".
void render_metadata_text(const metadata_snapshot& metadata, std::optional<std::string_view> queried_topic,
                          std::string& out);

/// Appends kcat's -L -J object to `out`, without a trailing newline (kcat prints none):
/// {"originating_broker":{"id":N,"name":".."},"query":{"topic":"<topic>"|"*"},
///  "controllerid":N,"brokers":[{"id":N,"name":"host:port"},..],"topics":[{"topic":"..",
///  ["error":"..",]"partitions":[{"partition":N,["error":"..",]"leader":N,
///  "replicas":[{"id":N},..],"isrs":[{"id":N},..]},..]},..]}
void render_metadata_json(const metadata_snapshot& metadata, std::optional<std::string_view> queried_topic,
                          std::string& out);

} // namespace kafkit::cli
