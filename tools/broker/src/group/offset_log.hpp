#pragma once
// The durable side of committed offsets: `group-offsets.log` in the data dir, an append-only
// file of checksummed records (our stand-in for Kafka's __consumer_offsets), replayed on
// start and rewritten whole (compacted) when it has grown well past what it holds.
//
// Record framing: [u32 payload size][u32 CRC32C of the payload][payload], big-endian.
// Payload: u8 kind, string group, u32 count, then per entry: string topic, i32 partition and,
// for commits, i64 offset, i32 leader epoch, string metadata, i64 commit timestamp,
// i64 expire timestamp. Strings are u32 length + bytes (any bytes: group ids and metadata
// are not necessarily UTF-8). A record cut short or failing its checksum ends the log: the
// file is truncated there on open (a torn last write after a crash is dropped).
//
// Group membership is not written: after a restart members rejoin (their heartbeats get
// UNKNOWN_MEMBER_ID and they join again), which every client handles.

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kafkit::broker {

/// A partition of a topic, as offsets are keyed.
struct topic_partition {
    std::string topic;
    std::int32_t partition = 0;
    friend auto operator<=>(const topic_partition&, const topic_partition&) = default;
};

/// One committed offset (OffsetCommit's fields as stored).
struct committed_offset {
    std::int64_t offset = -1;
    std::int32_t leader_epoch = -1;
    std::string metadata;
    std::int64_t commit_timestamp_ms = 0;
    std::int64_t expire_timestamp_ms = -1; ///< from OffsetCommit v1-4 retention; -1: none
    friend bool operator==(const committed_offset&, const committed_offset&) = default;
};

/// What a record of the log says.
enum class offset_record_kind : std::uint8_t {
    commit = 1,         ///< these offsets were committed
    delete_offsets = 2, ///< these partitions' offsets were deleted (values unused)
    delete_group = 3,   ///< the group and all its offsets were deleted
};

/// One record: a kind, the group, and the partitions it concerns.
struct offset_record {
    offset_record_kind kind = offset_record_kind::commit;
    std::string group;
    std::vector<std::pair<topic_partition, committed_offset>> offsets;
};

/// The log file. Not thread-safe: used on the I/O thread (and in the constructor).
class offset_log {
public:
    /// Opens (creating when missing) `file` and reads every whole record, in order, into
    /// `replayed`; a torn or corrupt tail is truncated away. Throws std::system_error when the
    /// file cannot be opened, read or truncated.
    offset_log(std::filesystem::path file, bool sync, std::vector<offset_record>& replayed);
    ~offset_log();
    offset_log(const offset_log&) = delete;
    offset_log& operator=(const offset_log&) = delete;

    /// Appends one record (fdatasync when `sync`). False when the write failed; the file is
    /// then cut back to its previous size so no partial record stays.
    bool append(const offset_record& record);
    /// True when the file is larger than the compaction threshold and than twice its size
    /// after the last rewrite.
    [[nodiscard]] bool wants_compaction() const noexcept;
    /// Replaces the file by `snapshot` (written to a temporary file, fsynced, renamed over).
    /// False on failure, the old file staying in use.
    bool rewrite(const std::vector<offset_record>& snapshot);
    /// The file's size in bytes.
    [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
    /// The size below which the file is never compacted (default 4 MiB; tests lower it).
    void set_compaction_threshold(std::uint64_t bytes) noexcept { threshold_ = bytes; }

    /// The record framed as it is written (exposed for tests of the format).
    [[nodiscard]] static std::vector<std::uint8_t> encode(const offset_record& record);

private:
    bool write_all(int fd, const std::vector<std::uint8_t>& bytes);

    std::filesystem::path path_;
    bool sync_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
    std::uint64_t size_after_rewrite_ = 0;
    std::uint64_t threshold_ = 4u << 20;
};

} // namespace kafkit::broker
