// kcat -P: records from stdin or files to one topic. Input is split at the -D delimiter
// (stdin, and a file with -l) or sent one file per record; empty pieces are skipped, as
// kcat skips them. -K splits each piece into key and value at the first key delimiter (a
// piece without one has the -k key, or none); -Z sends an empty value as null; -T echoes
// each piece as read, without its delimiter, as kcat does. With -J each piece is a JSON
// record (json_input.hpp). Without -p, keys pick partitions as librdkafka's default
// partitioner does (consistent_random); -p -1 is random.

#include "json_input.hpp"
#include "kcat_modes.hpp"
#include "kcat_output.hpp"

#include "kafkit/exception.hpp"
#include "kafkit/producer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

namespace kafkit::cli {
namespace {

/// Calls `on_piece` for each delimited piece read from `fd`; false when reading failed.
/// `on_piece` returns false to stop early.
template <class OnPiece>
bool split_input(int fd, std::string_view delimiter, OnPiece&& on_piece, std::string& read_error) {
    std::string buffer;
    std::size_t start = 0; // where the unprocessed bytes begin
    constexpr std::size_t block = 1 << 20;
    for (;;) {
        const std::size_t old_size = buffer.size();
        buffer.resize(old_size + block);
        const auto n = ::read(fd, buffer.data() + old_size, block);
        if (n < 0) {
            buffer.resize(old_size);
            if (errno == EINTR && !stop_requested()) continue;
            if (errno != EINTR) read_error = std::strerror(errno);
            return errno == EINTR;
        }
        buffer.resize(old_size + static_cast<std::size_t>(n));
        // A delimiter may straddle the previous read: search from just before it.
        std::size_t from = old_size >= start + delimiter.size() ? old_size - delimiter.size() + 1 : start;
        for (std::size_t at; (at = buffer.find(delimiter, from)) != std::string::npos;) {
            if (at > start && !on_piece(std::string_view(buffer).substr(start, at - start))) return true;
            start = at + delimiter.size();
            from = start;
        }
        if (n == 0) {
            if (buffer.size() > start) on_piece(std::string_view(buffer).substr(start));
            return true;
        }
        if (start > block) { // drop what was processed, keep the tail
            buffer.erase(0, start);
            start = 0;
        }
        if (stop_requested()) return true;
    }
}

/// Reads all of `fd`.
bool read_whole(int fd, std::string& out, std::string& read_error) {
    char chunk[1 << 16];
    for (;;) {
        const auto n = ::read(fd, chunk, sizeof chunk);
        if (n == 0) return true;
        if (n < 0) {
            if (errno == EINTR) continue;
            read_error = std::strerror(errno);
            return false;
        }
        out.append(chunk, static_cast<std::size_t>(n));
    }
}

class kcat_producer {
public:
    kcat_producer(const kcat_command& cmd, const config& cfg)
        : cmd_(cmd), messages_(cmd.verbosity), out_(false), progress_("Produced", cmd.verbosity >= 1), producer_(cfg) {
        for (const auto& h : cmd.headers)
            headers_.push_back({h.name, h.value ? std::optional<std::string_view>(*h.value) : std::nullopt});
    }

    /// Sends one input piece; false once -c is reached or a fatal error stops producing.
    bool send_piece(std::string_view piece) {
        if (cmd_.tee) {
            out_.buffer().append(piece);
            out_.end_record();
        }
        producer_record r;
        r.topic = cmd_.topics.front();
        if (cmd_.partition && *cmd_.partition >= 0) r.partition = partition_id(*cmd_.partition);
        r.headers = headers_;
        json_input_record parsed;
        if (cmd_.json) {
            auto j = parse_json_input(piece);
            if (!j) {
                messages_.raw(j.error());
                failed_ = true;
                return !cmd_.exit_on_error; // -E: skip the piece and go on
            }
            parsed = std::move(*j);
            r.key = parsed.key;
            r.value = parsed.value;
            if (parsed.partition) r.partition = partition_id(*parsed.partition);
            r.timestamp_ms = parsed.timestamp_ms;
            if (!parsed.headers.empty()) {
                record_headers_ = headers_;
                for (const auto& [name, value] : parsed.headers)
                    record_headers_.push_back({name, value ? std::optional<std::string_view>(*value) : std::nullopt});
                r.headers = record_headers_;
            }
        } else {
            std::string_view value = piece;
            if (cmd_.fixed_key) r.key = *cmd_.fixed_key;
            if (cmd_.key_delimiter) {
                if (const auto at = piece.find(*cmd_.key_delimiter); at != std::string_view::npos) {
                    r.key = piece.substr(0, at);
                    value = piece.substr(at + cmd_.key_delimiter->size());
                }
            }
            if (!(value.empty() && cmd_.null_for_empty)) r.value = value;
        }
        const auto ec = producer_.send(r, [this](std::error_code error, const record_metadata& m) {
            if (!error) {
                delivered_.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            delivery_failed_.store(true);
            messages_.error("Message delivery failed for " + std::string(m.topic) + " [" +
                            std::to_string(m.partition.value()) + "]: " + error.message());
        });
        if (ec) {
            messages_.error("Failed to produce message (" + std::to_string(piece.size()) + " bytes) to " +
                            cmd_.topics.front() + ": " + ec.message());
            failed_ = true;
            if (cmd_.exit_on_error) return false;
        }
        ++sent_;
        progress_.add(piece.size());
        return !(cmd_.count && sent_ >= *cmd_.count);
    }

    /// Delivers what is queued; the exit status.
    int finish() {
        out_.flush();
        const auto timeout = std::chrono::seconds(60);
        if (producer_.flush(timeout)) {
            messages_.error("Timed out waiting for " + std::to_string(producer_.in_flight_count()) + " messages to be delivered");
            failed_ = true;
        }
        producer_.close(std::chrono::seconds(5));
        progress_.finish();
        messages_.info(2, "Sent " + std::to_string(sent_) + " messages, " +
                              std::to_string(delivered_.load()) + " delivered");
        return failed_ || delivery_failed_.load() ? 1 : 0;
    }

    void fail() { failed_ = true; }

private:
    const kcat_command& cmd_;
    kcat_messages messages_;
    stdout_writer out_;
    progress_meter progress_;
    std::vector<header> headers_;
    std::vector<header> record_headers_;
    producer producer_;
    std::int64_t sent_ = 0;
    std::atomic<std::int64_t> delivered_{0};
    std::atomic<bool> delivery_failed_{false};
    bool failed_ = false;
};

} // namespace

int run_produce(const kcat_command& cmd, config cfg) {
    const kcat_messages messages(cmd.verbosity);
    if (!cfg.get("partitioner"))
        cfg.set("partitioner", cmd.partition == std::optional<std::int32_t>(-1) ? "random" : "consistent_random");
    route_client_logs(cfg, cmd.verbosity);
    install_stop_signals();
    std::optional<kcat_producer> p;
    try {
        p.emplace(cmd, cfg);
    } catch (const kafkit::exception& e) {
        messages.error(e.what());
        return 1;
    }
    auto on_piece = [&](std::string_view piece) { return !stop_requested() && p->send_piece(piece); };
    std::string read_error;
    if (cmd.files.empty()) {
        if (!split_input(STDIN_FILENO, cmd.delimiter, on_piece, read_error)) {
            messages.error("Failed to read stdin: " + read_error);
            p->fail();
        }
    }
    for (const auto& file : cmd.files) {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            messages.error("Failed to open " + file + ": " + std::strerror(errno));
            p->fail();
            if (cmd.exit_on_error) break;
            continue;
        }
        bool ok = false;
        if (cmd.line_mode) {
            ok = split_input(fd, cmd.delimiter, on_piece, read_error);
        } else {
            std::string whole;
            ok = read_whole(fd, whole, read_error);
            if (ok) on_piece(whole);
        }
        ::close(fd);
        if (!ok) {
            messages.error("Failed to read " + file + ": " + read_error);
            p->fail();
        }
    }
    return p->finish();
}

} // namespace kafkit::cli
