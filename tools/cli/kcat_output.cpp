#include "kcat_output.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <csignal>
#include <cstdlib>

namespace kafkit::cli {
namespace {

std::atomic<bool> stop_flag{false};
/// True while a progress counter is drawn on stderr without its newline: the next
/// message clears that line first.
std::atomic<bool> progress_line_open{false};

/// "\r\033[K" when a progress counter is on the line, else nothing.
std::string_view clear_progress_line() {
    return progress_line_open.exchange(false) ? std::string_view("\r\033[K") : std::string_view();
}

extern "C" void on_stop_signal(int) {
    if (stop_flag.exchange(true)) std::_Exit(130);
}

/// write(2) all of `bytes` to `fd`; false on failure.
bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

int syslog_level(log_level level) {
    switch (level) {
    case log_level::debug: return 7;
    case log_level::info: return 6;
    case log_level::warning: return 4;
    case log_level::error: return 3;
    }
    return 6;
}

} // namespace

void kcat_messages::info(int level, std::string_view text) const {
    if (verbosity_ < level) return;
    std::string line(clear_progress_line());
    line += "% ";
    line.append(text).push_back('\n');
    write_all(STDERR_FILENO, line);
}

void kcat_messages::error(std::string_view text) const {
    std::string line(clear_progress_line());
    line += "% ERROR: ";
    line.append(text).push_back('\n');
    write_all(STDERR_FILENO, line);
}

void kcat_messages::raw(std::string_view text) const {
    std::string line(clear_progress_line());
    line += text;
    write_all(STDERR_FILENO, line);
}

void route_client_logs(config& cfg, int verbosity) {
    const bool debug = verbosity >= 3 || cfg.get("log_level") == std::optional<std::string>("debug");
    if (verbosity == 0 && !debug) return;
    // Warnings (a connection refused, each retry) only from -v: the error kcat mode prints
    // when the operation gives up says what went wrong.
    const log_level lowest = debug ? log_level::debug : verbosity >= 2 ? log_level::warning : log_level::error;
    cfg.set_log_sink([lowest](log_level level, std::string_view facility, std::string_view message) {
        if (level < lowest) return;
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
        char stamp[48];
        std::snprintf(stamp, sizeof stamp, "%%%d|%lld.%03lld|", syslog_level(level), static_cast<long long>(ms / 1000),
                      static_cast<long long>(ms % 1000));
        std::string line = stamp;
        for (char c : facility) line.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
        line.append("|kafkit| ").append(message).push_back('\n');
        write_all(STDERR_FILENO, line);
    });
}

bool stdout_writer::end_record() {
    if (unbuffered_ || buffer_.size() >= (1 << 16)) return flush();
    return !failed_;
}

bool stdout_writer::flush() {
    if (!buffer_.empty() && !failed_) failed_ = !write_all(STDOUT_FILENO, buffer_);
    buffer_.clear();
    return !failed_;
}

namespace {
std::int64_t monotonic_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

progress_meter::progress_meter(std::string verb, bool enabled)
    : verb_(std::move(verb)), summary_(enabled && ::isatty(STDERR_FILENO) == 1),
      live_(summary_ && ::isatty(STDOUT_FILENO) != 1), started_ns_(monotonic_ns()), last_draw_ns_(started_ns_) {}

void progress_meter::redraw() {
    const auto now = monotonic_ns();
    if (now - last_draw_ns_ < 250'000'000) return;
    last_draw_ns_ = now;
    const double seconds = static_cast<double>(now - started_ns_) / 1e9;
    char line[128];
    std::snprintf(line, sizeof line, "\r%% %llu records (%.0f/s)", static_cast<unsigned long long>(records_),
                  seconds > 0 ? static_cast<double>(records_) / seconds : 0.0);
    write_all(STDERR_FILENO, line);
    progress_line_open = true;
}

void progress_meter::finish() {
    if (!summary_ || finished_) return;
    finished_ = true;
    const double seconds = static_cast<double>(monotonic_ns() - started_ns_) / 1e9;
    char line[192];
    std::snprintf(line, sizeof line, "%s%% %s %llu records (%llu bytes) in %.2f s: %.0f records/s\n",
                  std::string(clear_progress_line()).c_str(), verb_.c_str(),
                  static_cast<unsigned long long>(records_), static_cast<unsigned long long>(bytes_), seconds,
                  seconds > 0 ? static_cast<double>(records_) / seconds : 0.0);
    write_all(STDERR_FILENO, line);
}

void install_stop_signals() {
    // Without SA_RESTART, so that a read of stdin waiting for input returns EINTR.
    struct sigaction stop {};
    stop.sa_handler = on_stop_signal;
    sigemptyset(&stop.sa_mask);
    stop.sa_flags = 0;
    ::sigaction(SIGINT, &stop, nullptr);
    ::sigaction(SIGTERM, &stop, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() noexcept { return stop_flag.load(std::memory_order_relaxed); }

} // namespace kafkit::cli
