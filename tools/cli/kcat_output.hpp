#pragma once
// What the kcat modes share: stderr messages by verbosity, the client log lines on stderr
// (warnings and errors, as kcat shows librdkafka's), a stdout writer that batches output
// unless -u asks otherwise, and SIGINT/SIGTERM as a request to stop.

#include "kafkit/config.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace kafkit::cli {

/// Informational stderr lines ("% ...") at verbosity >= `level`; errors always.
class kcat_messages {
public:
    explicit kcat_messages(int verbosity) : verbosity_(verbosity) {}
    [[nodiscard]] int verbosity() const noexcept { return verbosity_; }
    /// "% <text>\n" when the verbosity is at least `level`.
    void info(int level, std::string_view text) const;
    /// "% ERROR: <text>\n".
    void error(std::string_view text) const;
    /// `text` as it is (a parser's complete kcat message).
    void raw(std::string_view text) const;

private:
    int verbosity_;
};

/// Sends the client's log lines to stderr in librdkafka's "%<syslog level>|<seconds>|
/// <FACILITY>|kafkit| text" form: errors, warnings too from -v, everything from -vv or -d.
void route_client_logs(config& cfg, int verbosity);

/// Buffered stdout: bytes are appended to a buffer written out when it grows past 64 KiB,
/// at flush(), or after every record when unbuffered.
class stdout_writer {
public:
    explicit stdout_writer(bool unbuffered) : unbuffered_(unbuffered) { buffer_.reserve(1 << 17); }
    stdout_writer(const stdout_writer&) = delete;
    stdout_writer& operator=(const stdout_writer&) = delete;
    ~stdout_writer() { flush(); }
    /// The buffer to append one record's output to; call end_record() after.
    std::string& buffer() noexcept { return buffer_; }
    /// A record's output is complete. False when writing failed (a closed pipe).
    bool end_record();
    /// Writes out what is buffered. False when writing failed.
    bool flush();

private:
    std::string buffer_;
    bool unbuffered_;
    bool failed_ = false;
};

/// A record counter on stderr for interactive use: while running, "% N records (R/s)" is
/// redrawn every quarter second, and at the end one summary line ("% Produced N records
/// (B bytes) in T s: R records/s") is printed. Only when stderr is a terminal and
/// `enabled` (so scripts see kcat's stderr unchanged); the live counter also needs stdout
/// not to be a terminal, where it would mix with the records.
class progress_meter {
public:
    progress_meter(std::string verb, bool enabled);
    progress_meter(const progress_meter&) = delete;
    progress_meter& operator=(const progress_meter&) = delete;
    /// Counts one record of `bytes` bytes.
    void add(std::size_t bytes) {
        ++records_;
        bytes_ += bytes;
        if (live_ && (records_ & 1023) == 0) redraw();
    }
    /// Prints the summary line (once).
    void finish();

private:
    void redraw();
    std::string verb_;
    bool summary_ = false;
    bool live_ = false;
    bool finished_ = false;
    std::uint64_t records_ = 0;
    std::uint64_t bytes_ = 0;
    std::int64_t started_ns_ = 0;
    std::int64_t last_draw_ns_ = 0;
};

/// Installs SIGINT/SIGTERM handlers that set stop_requested() (a second signal exits).
void install_stop_signals();
[[nodiscard]] bool stop_requested() noexcept;

} // namespace kafkit::cli
