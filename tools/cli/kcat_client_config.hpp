#pragma once
// The client configuration of a kcat command line, built as kcat builds librdkafka's:
// the configuration file (-F, else $KCAT_CONFIG, else ~/.config/kcat.conf when it
// exists), then each -X in order, then -b and -z. kcat's "topic." prefix is dropped
// (kafkit has no separate topic configuration). Values are checked by the client that
// takes the configuration, which names a bad property.

#include "kcat_command_line.hpp"
#include "parse_result.hpp"

#include "kafkit/config.hpp"

#include <string>

namespace kafkit::cli {

/// The configuration `cmd` asks for. Fails as kcat does for a file it cannot read or a
/// line it cannot parse, for a property kafkit does not know ("No such configuration
/// property"), and when no bootstrap servers are given anywhere.
[[nodiscard]] parse_result<config> kcat_client_config(const kcat_command& cmd);

/// `-X list`: every property kafkit knows, a line each (name, scope, default, doc).
[[nodiscard]] std::string property_listing();

/// `-X dump`: the properties `cfg` sets, "name = value" a line each, in name order.
[[nodiscard]] std::string property_dump(const config& cfg);

} // namespace kafkit::cli
