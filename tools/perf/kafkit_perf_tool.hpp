#pragma once
// The kafkit producer and consumer as a perf_tool: what kafkit-perf measures, and what
// `kafkit perf` runs (the same code under both names).

#include "perf_command.hpp"

#include <string>

namespace kafkit::perf {

/// kafkit's clients under the benchmarks' flags: the producer (latency from send() to the
/// delivery callback) and the consumer (kafkit_consume.hpp), both configured with the
/// properties as given, so kafkit's own property table judges them. `name` is the program
/// in --help and messages ("kafkit-perf", "kafkit perf").
[[nodiscard]] perf_tool kafkit_perf_tool(std::string name);

} // namespace kafkit::perf
