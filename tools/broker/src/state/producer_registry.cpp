#include "state/producer_registry.hpp"

#include "state/broker_state.hpp"

#include <limits>

namespace kafkit::broker {
namespace {

/// Kafka's DefaultRecordBatch.incrementSequence: sequences wrap from INT32_MAX to 0.
std::int32_t increment_sequence(std::int32_t sequence, std::int64_t increment) {
    const std::int64_t max = std::numeric_limits<std::int32_t>::max();
    if (sequence > max - increment) return static_cast<std::int32_t>(increment - (max - sequence) - 1);
    return static_cast<std::int32_t>(sequence + increment);
}

/// Kafka's ProducerAppendInfo.inSequence.
bool in_sequence(std::int32_t last, std::int32_t next) {
    return static_cast<std::int64_t>(next) == static_cast<std::int64_t>(last) + 1 ||
           (next == 0 && last == std::numeric_limits<std::int32_t>::max());
}

} // namespace

producer_registry::partition_state& producer_registry::state_of(const topic& t, const partition& p) {
    const partition_key key{t.id.bytes, p.index};
    auto it = partitions_.find(key);
    if (it == partitions_.end()) {
        // A partition seen for the first time: drop the state of deleted topics while at it,
        // then rebuild this one from what its log holds.
        for (auto s = partitions_.begin(); s != partitions_.end();) {
            protocol::uuid id;
            id.bytes = s->first.first;
            s = state_.find_topic(id) ? std::next(s) : partitions_.erase(s);
        }
        it = partitions_.emplace(key, partition_state{}).first;
        for (const auto& b : p.log->batches())
            if (b.producer_id >= 0) apply(it->second.producers[b.producer_id], b);
    }
    const std::int64_t log_start = p.log->log_start_offset();
    auto& producers = it->second.producers;
    for (auto e = producers.begin(); e != producers.end();)
        e = e->second.last_offset < log_start ? producers.erase(e) : std::next(e);
    return it->second;
}

void producer_registry::apply(producer_entry& entry, const batch_summary& appended) {
    if (appended.producer_epoch != entry.epoch) {
        // A new epoch starts a new sequence space: the old batches cannot be retried.
        entry.batches.clear();
        entry.epoch = appended.producer_epoch;
        if (appended.control) entry.last_sequence = -1;
    }
    entry.last_offset = appended.last_offset;
    entry.last_timestamp = appended.max_timestamp;
    if (appended.control) return; // a marker carries no sequence
    producer_batch b;
    b.first_sequence = appended.base_sequence;
    b.last_sequence = increment_sequence(appended.base_sequence, appended.last_offset - appended.base_offset);
    b.first_offset = appended.base_offset;
    b.last_offset = appended.last_offset;
    b.max_timestamp = appended.max_timestamp;
    entry.batches.push_back(b);
    if (entry.batches.size() > batches_retained) entry.batches.pop_front();
    entry.last_sequence = b.last_sequence;
}

sequence_verdict producer_registry::check(const topic& t, const partition& p,
                                          const protocol::record_batch_header& batch,
                                          const std::string& partition_name) {
    sequence_verdict verdict;
    auto& producers = state_of(t, p).producers;
    auto it = producers.find(batch.producer_id);
    if (it == producers.end()) return verdict; // no state: any sequence is accepted
    const producer_entry& entry = it->second;
    const std::int32_t last_seq = increment_sequence(batch.base_sequence, batch.last_offset_delta);

    // A retry of one of the last batches (the producer did not see our answer).
    if (batch.producer_epoch == entry.epoch) {
        for (const auto& b : entry.batches) {
            if (b.first_sequence == batch.base_sequence && b.last_sequence == last_seq) {
                verdict.what = sequence_verdict::action::duplicate;
                verdict.original = b;
                return verdict;
            }
        }
    }
    verdict.what = sequence_verdict::action::reject;
    if (batch.producer_epoch < entry.epoch) {
        verdict.error = kafka_errc::invalid_producer_epoch;
        verdict.message = "Epoch of producer " + std::to_string(batch.producer_id) + " at offset " +
                          std::to_string(p.log->log_end_offset()) + " in " + partition_name + " is " +
                          std::to_string(batch.producer_epoch) + ", which is smaller than the last seen epoch " +
                          std::to_string(entry.epoch);
        return verdict;
    }
    if (batch.producer_epoch != entry.epoch) {
        if (batch.base_sequence != 0) {
            verdict.error = kafka_errc::out_of_order_sequence_number;
            verdict.message = "Invalid sequence number for new epoch of producer " + std::to_string(batch.producer_id) +
                              " at offset " + std::to_string(p.log->log_end_offset()) + " in partition " +
                              partition_name + ": " + std::to_string(batch.producer_epoch) + " (request epoch), " +
                              std::to_string(batch.base_sequence) + " (seq. number), " + std::to_string(entry.epoch) +
                              " (current producer epoch)";
            return verdict;
        }
    } else if (!in_sequence(entry.last_sequence, batch.base_sequence)) {
        verdict.error = kafka_errc::out_of_order_sequence_number;
        verdict.message = "Out of order sequence number for producer " + std::to_string(batch.producer_id) +
                          " at offset " + std::to_string(p.log->log_end_offset()) + " in partition " +
                          partition_name + ": " + std::to_string(batch.base_sequence) + " (incoming seq. number), " +
                          std::to_string(entry.last_sequence) + " (current end sequence number)";
        return verdict;
    }
    verdict.what = sequence_verdict::action::append;
    return verdict;
}

void producer_registry::record_append(const topic& t, const partition& p, const batch_summary& appended) {
    if (appended.producer_id < 0) return;
    apply(state_of(t, p).producers[appended.producer_id], appended);
}

sequence_verdict producer_registry::check_marker(const topic& t, const partition& p, std::int64_t producer_id,
                                                 std::int16_t epoch, std::int32_t coordinator_epoch,
                                                 const std::string& partition_name) {
    sequence_verdict verdict;
    auto& producers = state_of(t, p).producers;
    auto it = producers.find(producer_id);
    if (it == producers.end()) return verdict;
    const producer_entry& entry = it->second;
    const auto at = std::to_string(p.log->log_end_offset());
    if (epoch < entry.epoch) {
        verdict.what = sequence_verdict::action::reject;
        verdict.error = kafka_errc::invalid_producer_epoch;
        verdict.message = "Epoch of producer " + std::to_string(producer_id) + " at offset " + at + " in " +
                          partition_name + " is " + std::to_string(epoch) +
                          ", which is smaller than the last seen epoch " + std::to_string(entry.epoch);
    } else if (coordinator_epoch < entry.coordinator_epoch) {
        verdict.what = sequence_verdict::action::reject;
        verdict.error = kafka_errc::transaction_coordinator_fenced;
        verdict.message = "Invalid coordinator epoch for producer " + std::to_string(producer_id) + " at offset " +
                          at + " in partition " + partition_name + ": " + std::to_string(coordinator_epoch) +
                          " (zombie), " + std::to_string(entry.coordinator_epoch) + " (current)";
    }
    return verdict;
}

void producer_registry::record_marker(const topic& t, const partition& p, std::int64_t producer_id,
                                      std::int32_t coordinator_epoch) {
    state_of(t, p).producers[producer_id].coordinator_epoch = coordinator_epoch;
}

void producer_registry::forget_below(const topic& t, const partition& p, std::int64_t log_start_offset) {
    auto& producers = state_of(t, p).producers;
    for (auto e = producers.begin(); e != producers.end();)
        e = e->second.last_offset < log_start_offset ? producers.erase(e) : std::next(e);
}

std::vector<producer_registry::active_producer> producer_registry::producers_of(const topic& t, const partition& p) {
    std::vector<active_producer> out;
    for (const auto& [id, entry] : state_of(t, p).producers)
        out.push_back({id, entry.epoch, entry.last_sequence, entry.last_timestamp, entry.coordinator_epoch});
    return out;
}

std::int32_t producer_registry::last_sequence(const topic& t, const partition& p, std::int64_t producer_id) {
    auto& producers = state_of(t, p).producers;
    auto it = producers.find(producer_id);
    return it == producers.end() ? -1 : it->second.last_sequence;
}

} // namespace kafkit::broker
