#pragma once
// Helpers of the storage tests: a temporary directory removed at the end, valid v2 batches
// with their base offset patched in as the produce path does, and a log of either kind.

#include "kafkit/protocol/record_batch.hpp"
#include "storage/partition_log.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace kafkit::testing {

/// A fresh directory under the system temp dir, removed with everything in it at the end.
class temp_dir {
public:
    temp_dir() {
        static std::atomic<int> counter{0};
        std::random_device rd;
        path_ = std::filesystem::temp_directory_path() /
                ("kafkit-storage-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                 std::to_string(rd()));
        std::filesystem::create_directories(path_);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    /// The directory.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

/// How a test batch is built.
struct batch_spec {
    std::int32_t records = 1;           ///< record count
    std::int64_t timestamp = 1000;      ///< of the first record; later ones add `step`
    std::int64_t step = 1;              ///< timestamp increment between records
    std::size_t value_size = 20;        ///< bytes of each value
    protocol::compression_codec codec = protocol::compression_codec::none;
    std::int64_t producer_id = -1;
    std::int16_t producer_epoch = -1;
    std::int32_t base_sequence = -1;
    std::int32_t leader_epoch = -1;
    bool transactional = false;
    /// Explicit record timestamps (overrides timestamp/step when not empty).
    std::vector<std::int64_t> timestamps;
};

/// A valid v2 batch built with base offset 0, then given `base_offset` by writing bytes 0-7
/// (outside the CRC), as the produce path assigns offsets.
inline std::vector<std::uint8_t> make_batch(std::int64_t base_offset, const batch_spec& spec = {}) {
    protocol::record_batch_options options;
    options.codec = spec.codec;
    options.producer_id = spec.producer_id;
    options.producer_epoch = spec.producer_epoch;
    options.base_sequence = spec.base_sequence;
    options.partition_leader_epoch = spec.leader_epoch;
    options.transactional = spec.transactional;
    protocol::record_batch_builder builder(options);
    for (std::int32_t i = 0; i < spec.records; ++i) {
        std::string value(spec.value_size, static_cast<char>('a' + (base_offset + i) % 26));
        std::string key("k");
        key += std::to_string(base_offset + i); // (not "k" + ...: g++ 12 warns -Wrestrict there)
        const std::int64_t ts = spec.timestamps.empty() ? spec.timestamp + i * spec.step
                                                        : spec.timestamps[static_cast<std::size_t>(i)];
        builder.append(ts, protocol::bytes_view::of(key), protocol::bytes_view::of(value));
    }
    std::vector<std::uint8_t> out;
    REQUIRE(builder.finish(out).has_value());
    for (int i = 0; i < 8; ++i)
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(base_offset) >> (56 - 8 * i));
    return out;
}

/// Appends a batch to `log` with its summary, as the produce path does; returns the batch.
inline std::vector<std::uint8_t> append_batch(broker::partition_log& log, const batch_spec& spec = {}) {
    auto batch = make_batch(log.log_end_offset(), spec);
    auto summary = broker::summarize_batch(protocol::bytes_view(batch.data(), batch.size()));
    REQUIRE(summary.has_value());
    REQUIRE_FALSE(log.append(protocol::bytes_view(batch.data(), batch.size()), *summary));
    return batch;
}

/// Everything `log` returns for a read, as a vector.
inline std::vector<std::uint8_t> read_all(const broker::partition_log& log, std::int64_t offset,
                                          std::size_t max_bytes = std::size_t{1} << 30, bool at_least_one = true) {
    std::vector<std::uint8_t> out;
    const std::size_t n = log.read(offset, max_bytes, at_least_one, out);
    CHECK(n == out.size());
    return out;
}

/// Base offsets of the batches in a read result.
inline std::vector<std::int64_t> base_offsets(const std::vector<std::uint8_t>& bytes) {
    std::vector<std::int64_t> offsets;
    auto batches = protocol::read_record_batches(protocol::bytes_view(bytes.data(), bytes.size()));
    REQUIRE(batches.has_value());
    for (const auto& b : *batches) offsets.push_back(b.header().base_offset);
    return offsets;
}

/// The two implementations under test.
enum class log_kind { memory, file };

/// A log of either kind; the file one lives in its own temp dir and can be reopened.
class test_log {
public:
    test_log(log_kind kind, std::int64_t segment_bytes) : kind_(kind), segment_bytes_(segment_bytes) { reopen(); }

    /// Closes and opens the file log again (recovery); the memory log is kept.
    void reopen() {
        if (kind_ == log_kind::memory) {
            if (!log_) log_ = broker::make_memory_log(segment_bytes_);
            return;
        }
        log_.reset();
        log_ = broker::open_file_log(dir(), segment_bytes_);
    }
    /// Closes the file log (to edit its files).
    void close() { log_.reset(); }
    /// The partition directory of the file log.
    [[nodiscard]] std::filesystem::path dir() const { return temp_.path() / "topic-0"; }
    /// The log.
    broker::partition_log& operator*() { return *log_; }
    broker::partition_log* operator->() { return log_.get(); }
    /// Which implementation this is.
    [[nodiscard]] log_kind kind() const noexcept { return kind_; }
    /// "memory" or "file", for CAPTURE.
    [[nodiscard]] std::string name() const { return kind_ == log_kind::memory ? "memory" : "file"; }

private:
    log_kind kind_;
    std::int64_t segment_bytes_;
    temp_dir temp_;
    std::unique_ptr<broker::partition_log> log_;
};

/// Segment base offsets present in a file log's directory (from the .log names), ascending.
inline std::vector<std::int64_t> segment_files(const std::filesystem::path& dir) {
    std::vector<std::int64_t> bases;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.size() == 24 && name.substr(20) == ".log") bases.push_back(std::stoll(name.substr(0, 20)));
    }
    std::sort(bases.begin(), bases.end());
    return bases;
}

/// Compares two batch summaries field by field.
inline void check_same_summary(const broker::batch_summary& a, const broker::batch_summary& b) {
    CHECK(a.base_offset == b.base_offset);
    CHECK(a.last_offset == b.last_offset);
    CHECK(a.max_timestamp == b.max_timestamp);
    CHECK(a.offset_of_max_timestamp == b.offset_of_max_timestamp);
    CHECK(a.leader_epoch == b.leader_epoch);
    CHECK(a.producer_id == b.producer_id);
    CHECK(a.producer_epoch == b.producer_epoch);
    CHECK(a.base_sequence == b.base_sequence);
    CHECK(a.record_count == b.record_count);
    CHECK(a.transactional == b.transactional);
    CHECK(a.control == b.control);
}

} // namespace kafkit::testing
