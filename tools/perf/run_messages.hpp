#pragma once
// What the drivers print to stderr while they run: a reason to stop, and the errors a
// consumer reports (the first few printed, the rest only counted).

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace kafkit::perf {

/// Prints "TOOL: MESSAGE" to stderr and returns the exit status of a failed run, 1.
inline int fail(const std::string& tool, const std::string& message) {
    std::fprintf(stderr, "%s: %s\n", tool.c_str(), message.c_str());
    return 1;
}

/// Counts a consumer's errors and prints the first few, as the producer's report does.
class consumer_error_log {
public:
    /// Prints as `tool`, which outlives the log.
    explicit consumer_error_log(const std::string& tool) : tool_(tool) {}

    void add(const std::vector<std::string>& errors) {
        for (const auto& e : errors) {
            ++count_;
            if (count_ <= printed)
                std::fprintf(stderr, "%s: consumer error: %s\n", tool_.c_str(), e.c_str());
            else if (count_ == printed + 1)
                std::fprintf(stderr, "%s: (further consumer errors are only counted)\n",
                             tool_.c_str());
        }
    }
    [[nodiscard]] std::int64_t count() const noexcept { return count_; }

private:
    static constexpr std::int64_t printed = 5;
    const std::string& tool_;
    std::int64_t count_ = 0;
};

} // namespace kafkit::perf
