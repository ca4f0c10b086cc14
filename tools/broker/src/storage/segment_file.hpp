#pragma once
// The two files of one log segment, named like Kafka's by the segment's base offset:
// `00000000000000000000.log` (batches back to back, as appended) and
// `00000000000000000000.index` (one entry per batch, see index_entry).

#include "kafkit/protocol/bytes_view.hpp"
#include "storage/posix_io.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace kafkit::broker {

/// Bytes of one index entry on disk: three big-endian uint32.
inline constexpr std::size_t index_entry_size = 12;

/// One batch in the offset index. Kafka's index is sparse and holds (relative offset,
/// position); ours has an entry per batch and a third field, the batch's
/// offset_of_max_timestamp relative to its base, so that recovery needs only the batch
/// headers and CRCs, not decompressed records, while the index is intact.
struct index_entry {
    std::uint32_t relative_offset = 0; ///< base offset minus the segment's base offset
    std::uint32_t position = 0;        ///< byte position of the batch in the .log file
    /// offset_of_max_timestamp - base offset; no_max_timestamp when the batch has none.
    std::uint32_t max_timestamp_delta = 0;

    friend bool operator==(const index_entry&, const index_entry&) = default;
};

/// max_timestamp_delta of a batch whose records carry no timestamp.
inline constexpr std::uint32_t no_max_timestamp = 0xFFFFFFFFu;

/// The file name of a segment file: the base offset in 20 digits, then `extension`.
std::string segment_file_name(std::int64_t base_offset, std::string_view extension);

/// The base offset a segment file name encodes, when it is one (20 digits + `extension`).
std::optional<std::int64_t> parse_segment_file_name(std::string_view name, std::string_view extension);

/// The open .log and .index files of one segment. Writes append with write(2); reads use
/// pread(2). Move-only; closes its files on destruction (without syncing).
class segment_file {
public:
    /// How open() treats files already there.
    enum class mode : std::uint8_t {
        create, ///< new, empty segment: existing files are truncated
        recover ///< existing segment: its .log must exist, its .index is created if missing
    };

    /// Opens the segment `base_offset` in `dir`. Errors: errno's from open(2)/fstat(2).
    static std::error_code open(const std::filesystem::path& dir, std::int64_t base_offset, mode how,
                                segment_file& out);

    /// The segment's base offset.
    [[nodiscard]] std::int64_t base_offset() const noexcept { return base_offset_; }
    /// Bytes in the .log file.
    [[nodiscard]] std::uint64_t log_size() const noexcept { return log_size_; }
    /// Bytes in the .index file (a multiple of index_entry_size unless it was torn).
    [[nodiscard]] std::uint64_t index_size() const noexcept { return index_size_; }
    /// True when something was written since the last sync().
    [[nodiscard]] bool dirty() const noexcept { return dirty_; }

    /// Appends a batch to the .log and its entry to the .index. On an error both files are
    /// cut back to what they held, so the segment never keeps half a batch.
    std::error_code append(protocol::bytes_view batch, const index_entry& entry);
    /// Reads `size` bytes at `position` of the .log into `out`.
    std::error_code read(std::uint64_t position, std::size_t size, std::uint8_t* out) const;
    /// The entries of the .index (a trailing partial entry left out).
    std::error_code read_index(std::vector<index_entry>& out) const;
    /// Replaces the .index with `entries` (recovery: the index is derived data).
    std::error_code rewrite_index(const std::vector<index_entry>& entries);
    /// Cuts the .log to `size` bytes (a torn tail found by recovery).
    std::error_code truncate_log(std::uint64_t size);
    /// Closes the .index of a segment that will not be appended to any more (no longer the
    /// active one), so a log of many segments holds one descriptor per segment, not two.
    /// Only sync(), read() and remove() may follow.
    void seal() noexcept { index_.reset(); }
    /// fdatasyncs the .log and the .index when dirty (a sealed .index is reopened for it:
    /// fsync flushes a file's pages whichever descriptor asks).
    std::error_code sync();
    /// Closes and deletes both files. Errors: unlink(2)'s (a missing file is not one).
    std::error_code remove();

private:
    std::filesystem::path log_path_;
    std::filesystem::path index_path_;
    unique_fd log_;
    unique_fd index_;
    std::int64_t base_offset_ = 0;
    std::uint64_t log_size_ = 0;
    std::uint64_t index_size_ = 0;
    bool dirty_ = false;
};

} // namespace kafkit::broker
