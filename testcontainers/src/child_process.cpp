#include "kafkit/testcontainers/child_process.hpp"

#include "kafkit/testcontainers/faults.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace kafkit::testcontainers {
namespace {

constexpr std::size_t stderr_kept = 256 * 1024;

std::string errno_text(const std::string& what, int err) { return what + ": " + std::strerror(err); }

void close_fd(int& fd) noexcept {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

} // namespace

child_process::child_process(const std::filesystem::path& binary, const std::vector<std::string>& args) {
    if (::access(binary.c_str(), X_OK) != 0)
        throw cluster_error(errno_text("cannot run " + binary.string(), errno));
    int out[2];
    int err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw cluster_error(errno_text("pipe", errno));
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw cluster_error(errno_text("pipe", errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // Descriptors the test process holds (client sockets) must not live on in the child:
    // a socket kept open there would hide a close from the broker.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    std::vector<std::string> storage;
    storage.push_back(binary.string());
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    const int spawned = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    stdout_fd_ = out[0];
    stderr_fd_ = err[0];
    if (spawned != 0) {
        close_fd(stdout_fd_);
        close_fd(stderr_fd_);
        pid_ = -1;
        throw cluster_error(errno_text("cannot start " + binary.string(), spawned));
    }
    // Without a pidfd (old kernels) the exit is noticed when the pipes close instead.
    // (Through syscall(): glibc 2.36's <sys/pidfd.h> lacks the extern "C" C++ needs.)
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC);
    reader_ = std::thread([this] { read_loop(); });
}

child_process::~child_process() {
    if (pid_ > 0) {
        signal(SIGKILL);
        (void)wait_exit(std::chrono::seconds(10));
    }
    if (wake_fd_ >= 0) {
        const std::uint64_t one = 1;
        (void)!::write(wake_fd_, &one, sizeof one);
    }
    if (reader_.joinable()) reader_.join();
    if (pid_ > 0 && !exit_status_) {
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
    close_fd(pidfd_);
    close_fd(wake_fd_);
}

void child_process::reap_locked(int status) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    changed_.notify_all();
}

void child_process::read_loop() {
    bool out_open = true;
    bool err_open = true;
    char buffer[8192];
    for (;;) {
        bool exited = false;
        {
            std::lock_guard lock(mutex_);
            exited = exit_status_.has_value();
        }
        if (!out_open && !err_open) {
            if (!exited) { // no pidfd: the pipes closing is the sign the child is gone
                int status = 0;
                const pid_t r = ::waitpid(pid_, &status, 0);
                std::lock_guard lock(mutex_);
                if (r == pid_) reap_locked(status);
            }
            return;
        }
        pollfd fds[4];
        nfds_t n = 0;
        const nfds_t out_at = out_open ? n++ : 99;
        if (out_open) fds[out_at] = {stdout_fd_, POLLIN, 0};
        const nfds_t err_at = err_open ? n++ : 99;
        if (err_open) fds[err_at] = {stderr_fd_, POLLIN, 0};
        const nfds_t pid_at = (!exited && pidfd_ >= 0) ? n++ : 99;
        if (pid_at != 99) fds[pid_at] = {pidfd_, POLLIN, 0};
        const nfds_t wake_at = n++;
        fds[wake_at] = {wake_fd_, POLLIN, 0};
        if (::poll(fds, n, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[wake_at].revents != 0) return;
        if (pid_at != 99 && fds[pid_at].revents != 0) {
            std::lock_guard lock(mutex_);
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) reap_locked(status);
        }
        for (const nfds_t at : {out_at, err_at}) {
            if (at == 99 || fds[at].revents == 0) continue;
            const auto got = ::read(fds[at].fd, buffer, sizeof buffer);
            if (got < 0 && errno == EINTR) continue;
            std::lock_guard lock(mutex_);
            if (got <= 0) {
                (at == out_at ? out_open : err_open) = false;
                (at == out_at ? stdout_closed_ : stderr_closed_) = true;
            } else if (at == out_at) {
                stdout_partial_.append(buffer, static_cast<std::size_t>(got));
                for (auto nl = stdout_partial_.find('\n'); nl != std::string::npos; nl = stdout_partial_.find('\n')) {
                    stdout_lines_.push_back(stdout_partial_.substr(0, nl));
                    stdout_partial_.erase(0, nl + 1);
                }
            } else {
                stderr_.append(buffer, static_cast<std::size_t>(got));
                if (stderr_.size() > stderr_kept) stderr_.erase(0, stderr_.size() - stderr_kept);
            }
            changed_.notify_all();
        }
    }
}

std::vector<std::string> child_process::stdout_lines() const {
    std::lock_guard lock(mutex_);
    return stdout_lines_;
}

std::string child_process::wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    std::string found;
    auto ready = [&] {
        for (const auto& line : stdout_lines_)
            if (line.rfind(prefix, 0) == 0) {
                found = line;
                return true;
            }
        return stdout_closed_ || exit_status_.has_value();
    };
    const bool settled = changed_.wait_until(lock, deadline, ready);
    if (!found.empty()) return found;
    if (!settled)
        throw cluster_error("no \"" + prefix + "\" line within " + std::to_string(timeout.count()) +
                            " ms; stderr so far: " + stderr_);
    // The child is gone or closed its stdout. Its exit can be seen before the last of its
    // output is read (the pidfd and the pipes wake the reader together): give the reader a
    // moment to drain both pipes, then look for the line once more.
    changed_.wait_for(lock, std::chrono::seconds(2),
                      [this] { return exit_status_.has_value() && stdout_closed_ && stderr_closed_; });
    if (ready() && !found.empty()) return found;
    const std::string status = exit_status_ ? std::to_string(*exit_status_) : "unknown";
    throw cluster_error("the process exited (status " + status + ") before printing \"" + prefix +
                        "\"; its stderr: " + stderr_);
}

void child_process::signal(int sig) {
    std::lock_guard lock(mutex_);
    // Only while unreaped: the pid may belong to someone else once reaped.
    if (pid_ > 0 && !exit_status_) ::kill(pid_, sig);
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return exit_status_.has_value(); });
    return exit_status_;
}

bool child_process::running() const {
    std::lock_guard lock(mutex_);
    return !exit_status_.has_value();
}

std::string child_process::stderr_text() const {
    std::lock_guard lock(mutex_);
    return stderr_;
}

} // namespace kafkit::testcontainers
