#pragma once
// kcat's five modes on the kafkit client: each runs a parsed command line with the client
// configuration built for it, prints what kcat prints, and returns the exit status
// (0 success, 1 an error kcat would exit 1 for).

#include "kcat_command_line.hpp"

#include "kafkit/config.hpp"

namespace kafkit::cli {

int run_produce(const kcat_command& cmd, config cfg);  ///< -P
int run_consume(const kcat_command& cmd, config cfg);  ///< -C
int run_group(const kcat_command& cmd, config cfg);    ///< -G
int run_metadata(const kcat_command& cmd, config cfg); ///< -L
int run_query(const kcat_command& cmd, config cfg);    ///< -Q

} // namespace kafkit::cli
