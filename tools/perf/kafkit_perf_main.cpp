// kafkit-perf: the kafkit producer under kafka-producer-perf-test's flags and output, the
// kafkit consumer under kafka-consumer-perf-test's (kafkit_consume.cpp), and the two
// together for end-to-end latency (latency_driver.hpp). `kafkit perf` runs the same
// (kafkit_perf_tool.hpp).
//
//   kafkit-perf produce --topic T --num-records N --record-size S --throughput -1
//       --producer-props bootstrap.servers=HOST:PORT acks=1 linger.ms=5 [--json]
//   kafkit-perf consume --bootstrap-server HOST:PORT --topic T --messages N [--group G] [--json]
//   kafkit-perf latency --bootstrap-server HOST:PORT --topic NEW --messages N --throughput R
//       --record-size S [--producer-props ...] [--consumer-props ...] [--json]
//
// Latency is measured from send() to the record's delivery callback. The properties go to
// kafkit::config unchanged, so kafkit's own property table judges them.

#include "kafkit_perf_tool.hpp"

int main(int argc, char** argv) {
    return kafkit::perf::run_perf_command(argc, argv, kafkit::perf::kafkit_perf_tool("kafkit-perf"));
}
