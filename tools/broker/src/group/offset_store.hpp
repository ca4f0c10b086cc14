#pragma once
// Committed offsets per group and partition (what OffsetCommit writes and OffsetFetch
// reads), kept in memory and, with a data dir, in `group-offsets.log` (see offset_log.hpp):
// every change is appended before it is applied, so an answered commit survives a restart.

#include "group/offset_log.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kafkit::broker {

/// A group's committed offsets, by partition.
using partition_offsets = std::map<topic_partition, committed_offset>;

/// The offsets of every group. I/O thread only (and the constructor).
class offset_store {
public:
    /// The name of the log file in the data dir.
    static constexpr const char* file_name = "group-offsets.log";

    /// In memory when `data_dir` is empty; otherwise opens `<data_dir>/group-offsets.log`
    /// and replays it. Throws std::system_error when the file cannot be opened or read.
    offset_store(const std::optional<std::filesystem::path>& data_dir, bool sync);
    ~offset_store();
    offset_store(const offset_store&) = delete;
    offset_store& operator=(const offset_store&) = delete;

    /// Stores `offsets` for `group` (logged first). False when the log write failed; nothing
    /// changed then.
    bool commit(const std::string& group, const std::vector<std::pair<topic_partition, committed_offset>>& offsets);
    /// Deletes the offsets of `partitions` (those it has); false when the log write failed.
    bool remove(const std::string& group, const std::vector<topic_partition>& partitions);
    /// Deletes every offset of `group`; false when the log write failed.
    bool remove_group(const std::string& group);
    /// Deletes the offsets `doomed` selects (expired ones, those of a deleted topic), logged
    /// as offset deletions; returns how many. Groups are visited in name order.
    std::size_t remove_if(const std::function<bool(const std::string& group, const topic_partition& tp,
                                                   const committed_offset& value)>& doomed);

    /// The committed offset of one partition; nullptr when there is none.
    [[nodiscard]] const committed_offset* find(std::string_view group, const topic_partition& tp) const;
    /// All offsets of a group; nullptr when it has none.
    [[nodiscard]] const partition_offsets* group_offsets(std::string_view group) const;
    /// The groups that have offsets, in name order.
    [[nodiscard]] std::vector<std::string> groups() const;

    /// True when offsets are persisted.
    [[nodiscard]] bool persistent() const noexcept { return log_ != nullptr; }
    /// The log file's size in bytes (0 in memory).
    [[nodiscard]] std::uint64_t log_size() const noexcept { return log_ ? log_->size() : 0; }
    /// The size below which the log is never compacted (tests lower it).
    void set_compaction_threshold(std::uint64_t bytes) noexcept {
        if (log_) log_->set_compaction_threshold(bytes);
    }

private:
    void apply(const offset_record& record);
    bool log_and_apply(const offset_record& record);
    void maybe_compact();

    std::map<std::string, partition_offsets, std::less<>> offsets_;
    std::unique_ptr<offset_log> log_;
};

} // namespace kafkit::broker
