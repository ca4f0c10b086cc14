#pragma once
// Running another program as a child process with a bounded run time, its output captured:
// how the integration tests drive kcat and the Python clients.

#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>

#include <sys/wait.h>

namespace kafkit::integration {

struct command_result {
    int status = -1; ///< the exit status (124: killed by timeout)
    std::string out; ///< standard output
    std::string err; ///< the end of standard error, for failure messages
};

inline std::string slurp(FILE* f) {
    std::string out;
    std::array<char, 65536> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0;)
        out.append(buffer.data(), n);
    return out;
}

/// Runs `command` through the shell with coreutils' timeout bounding it.
inline command_result run(const std::string& command, std::chrono::seconds limit) {
    FILE* err = std::tmpfile();
    REQUIRE(err != nullptr);
    const auto line = "timeout -k 5 " + std::to_string(limit.count()) + " " + command +
                      " 2>/dev/fd/" + std::to_string(fileno(err));
    command_result result;
    FILE* pipe = popen(line.c_str(), "r");
    REQUIRE(pipe != nullptr);
    result.out = slurp(pipe);
    const int status = pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::rewind(err);
    result.err = slurp(err);
    std::fclose(err);
    if (result.err.size() > 2000) result.err = result.err.substr(result.err.size() - 2000);
    return result;
}

} // namespace kafkit::integration
