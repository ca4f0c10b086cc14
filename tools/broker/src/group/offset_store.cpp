#include "group/offset_store.hpp"

#include <system_error>

namespace kafkit::broker {

offset_store::offset_store(const std::optional<std::filesystem::path>& data_dir, bool sync) {
    if (!data_dir) return;
    std::error_code ec;
    std::filesystem::create_directories(*data_dir, ec);
    if (ec) throw std::system_error(ec, "cannot create " + data_dir->string());
    std::vector<offset_record> replayed;
    log_ = std::make_unique<offset_log>(*data_dir / file_name, sync, replayed);
    for (const auto& record : replayed) apply(record);
}

offset_store::~offset_store() = default;

void offset_store::apply(const offset_record& record) {
    switch (record.kind) {
    case offset_record_kind::commit: {
        auto& group = offsets_[record.group];
        for (const auto& [tp, value] : record.offsets) group[tp] = value;
        break;
    }
    case offset_record_kind::delete_offsets: {
        auto it = offsets_.find(record.group);
        if (it == offsets_.end()) break;
        for (const auto& entry : record.offsets) it->second.erase(entry.first);
        if (it->second.empty()) offsets_.erase(it);
        break;
    }
    case offset_record_kind::delete_group:
        if (auto it = offsets_.find(record.group); it != offsets_.end()) offsets_.erase(it);
        break;
    }
}

bool offset_store::log_and_apply(const offset_record& record) {
    if (log_ && !log_->append(record)) return false;
    apply(record);
    maybe_compact();
    return true;
}

void offset_store::maybe_compact() {
    if (!log_ || !log_->wants_compaction()) return;
    // Kafka compacts __consumer_offsets to the last value per key; here the whole state is
    // one commit record per group. A failed rewrite keeps the old (longer) file: no loss.
    std::vector<offset_record> snapshot;
    for (const auto& [group, partitions] : offsets_) {
        offset_record record;
        record.kind = offset_record_kind::commit;
        record.group = group;
        record.offsets.assign(partitions.begin(), partitions.end());
        snapshot.push_back(std::move(record));
    }
    (void)log_->rewrite(snapshot);
}

bool offset_store::commit(const std::string& group,
                          const std::vector<std::pair<topic_partition, committed_offset>>& offsets) {
    if (offsets.empty()) return true;
    offset_record record;
    record.kind = offset_record_kind::commit;
    record.group = group;
    record.offsets = offsets;
    return log_and_apply(record);
}

bool offset_store::remove(const std::string& group, const std::vector<topic_partition>& partitions) {
    const auto* existing = group_offsets(group);
    if (!existing) return true;
    offset_record record;
    record.kind = offset_record_kind::delete_offsets;
    record.group = group;
    for (const auto& tp : partitions)
        if (existing->count(tp)) record.offsets.emplace_back(tp, committed_offset{});
    if (record.offsets.empty()) return true;
    return log_and_apply(record);
}

bool offset_store::remove_group(const std::string& group) {
    if (!group_offsets(group)) return true;
    offset_record record;
    record.kind = offset_record_kind::delete_group;
    record.group = group;
    return log_and_apply(record);
}

std::size_t offset_store::remove_if(
    const std::function<bool(const std::string&, const topic_partition&, const committed_offset&)>& doomed) {
    std::vector<std::pair<std::string, std::vector<topic_partition>>> selected;
    for (const auto& [group, partitions] : offsets_) {
        std::vector<topic_partition> keys;
        for (const auto& [tp, value] : partitions)
            if (doomed(group, tp, value)) keys.push_back(tp);
        if (!keys.empty()) selected.emplace_back(group, std::move(keys));
    }
    std::size_t count = 0;
    for (const auto& [group, keys] : selected)
        if (remove(group, keys)) count += keys.size();
    return count;
}

const committed_offset* offset_store::find(std::string_view group, const topic_partition& tp) const {
    const auto* partitions = group_offsets(group);
    if (!partitions) return nullptr;
    auto it = partitions->find(tp);
    return it == partitions->end() ? nullptr : &it->second;
}

const partition_offsets* offset_store::group_offsets(std::string_view group) const {
    auto it = offsets_.find(group);
    return it == offsets_.end() ? nullptr : &it->second;
}

std::vector<std::string> offset_store::groups() const {
    std::vector<std::string> out;
    for (const auto& [group, partitions] : offsets_) out.push_back(group);
    return out;
}

} // namespace kafkit::broker
