#pragma once
// isolation.level=read_committed: which batches of a Fetch answer belong to aborted
// transactions. The answer lists each aborted transaction in range as (producer id, first
// offset); walking the batches in offset order, a producer's transactional batches are
// skipped from its first offset until its ABORT marker, as Kafka's clients do.

#include "kafkit/protocol/record_batch.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

namespace kafkit::detail {

class aborted_filter {
public:
    aborted_filter() = default;
    /// `aborted`: (producer id, first offset) pairs, by first offset.
    explicit aborted_filter(std::vector<std::pair<std::int64_t, std::int64_t>> aborted) : aborted_(std::move(aborted)) {}

    /// Whether `batch`, the next in offset order, is to be skipped (control batches are
    /// never returned either, but they are not "aborted": this says false for them).
    bool skip(const protocol::record_batch& batch) {
        if (aborted_.empty() && open_.empty()) return false;
        const auto& h = batch.header();
        while (next_ < aborted_.size() && aborted_[next_].second <= h.last_offset()) open_.insert(aborted_[next_++].first);
        if (h.is_control()) {
            if (!batch.records().empty()) {
                auto marker = protocol::read_control_record(batch.records().front());
                if (marker && marker->type == protocol::control_record_type::abort) open_.erase(h.producer_id);
            }
            return false;
        }
        return h.is_transactional() && open_.count(h.producer_id) != 0;
    }

private:
    std::vector<std::pair<std::int64_t, std::int64_t>> aborted_;
    std::size_t next_ = 0;
    std::set<std::int64_t> open_; ///< producers inside an aborted transaction here
};

} // namespace kafkit::detail
