#pragma once
// A child process whose stdout and stderr the parent reads: started with posix_spawn, its
// output drained by a thread (so a chatty child never blocks on a full pipe), its exit
// noticed through a pidfd. Runs the reference broker, and the client processes of tests that
// must kill one (a consumer that crashes).

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kafkit::testcontainers {

/// One child process and the thread that reads its output.
class child_process {
public:
    /// Starts `binary` with `args` (argv[1...]); stdin is /dev/null. Throws cluster_error
    /// when the binary is missing or cannot be started.
    child_process(const std::filesystem::path& binary, const std::vector<std::string>& args);
    /// Kills the child (SIGKILL) if it still runs, reaps it and joins the reader. Never throws.
    ~child_process();
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    /// Waits for a stdout line that starts with `prefix` and returns it. Throws cluster_error
    /// when the child exits first (the message quotes its stderr) or `timeout` passes.
    std::string wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout);
    /// Sends `sig` unless the child has already been reaped.
    void signal(int sig);
    /// Waits for the child to exit; its status (the exit code, or -N when signal N ended
    /// it), or nullopt when `timeout` passed first.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    /// True until the child has exited.
    [[nodiscard]] bool running() const;
    /// Every whole line the child wrote to stdout so far.
    [[nodiscard]] std::vector<std::string> stdout_lines() const;
    /// What the child wrote to stderr (the last 256 KiB).
    [[nodiscard]] std::string stderr_text() const;
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

private:
    void read_loop();
    void reap_locked(int status);

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    int stderr_fd_ = -1;
    int pidfd_ = -1;
    int wake_fd_ = -1; ///< eventfd: tells the reader to give up (destructor)

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::string> stdout_lines_;
    std::string stdout_partial_;
    std::string stderr_;
    bool stdout_closed_ = false;
    bool stderr_closed_ = false;
    std::optional<int> exit_status_;
    std::thread reader_;
};

} // namespace kafkit::testcontainers
