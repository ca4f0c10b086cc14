#pragma once
// A command line that parses but does not make sense (exit status 2): a combination of
// flags CLI11 cannot check, a malformed NAME=VALUE, a --command-config file that cannot be
// read, a client property the client refuses.

#include <stdexcept>
#include <string>

namespace kafkit::admin_cli {

class usage_error : public std::runtime_error {
public:
    explicit usage_error(const std::string& what) : std::runtime_error(what) {}
};

} // namespace kafkit::admin_cli
