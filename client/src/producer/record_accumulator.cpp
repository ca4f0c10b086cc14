#include "producer/record_accumulator.hpp"

#include <algorithm>
#include <array>
#include <iterator>

namespace kafkit::detail {
namespace {

std::uint64_t next_instance() noexcept {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
}

protocol::bytes_view as_bytes(std::string_view s) noexcept { return protocol::bytes_view::of(s); }

std::optional<protocol::bytes_view> as_bytes(const std::optional<bytes_ref>& s) noexcept {
    if (!s) return std::nullopt;
    return as_bytes(*s);
}

} // namespace

std::int64_t estimated_record_size(const producer_record& record) noexcept {
    constexpr std::int64_t record_overhead = 21; // DefaultRecord.MAX_RECORD_OVERHEAD
    constexpr std::int64_t header_overhead = 10; // two varint lengths
    std::int64_t size = record_overhead;
    if (record.key) size += static_cast<std::int64_t>(record.key->size());
    if (record.value) size += static_cast<std::int64_t>(record.value->size());
    for (const auto& h : record.headers)
        size += header_overhead + static_cast<std::int64_t>(h.key.size()) +
                (h.value ? static_cast<std::int64_t>(h.value->size()) : 0);
    return size;
}

record_accumulator::record_accumulator(const producer_settings& settings, std::shared_ptr<partitioner> partitioner,
                                       std::function<void()> wake)
    : settings_(settings), partitioner_(std::move(partitioner)), wake_(std::move(wake)),
      buffers_(static_cast<std::size_t>(settings.buffer_memory / 2)), instance_(next_instance()) {
    batch_options_.codec = settings.compression;
    batch_options_.compression_level =
        settings.compression_level < 0 ? protocol::default_compression_level : settings.compression_level;
}

topic_state& record_accumulator::topic(std::string_view name, bool& created) {
    created = false;
    // Most applications send to one topic from a thread for a long while: remember the
    // last one per thread and skip the map and its lock.
    struct last_topic {
        std::uint64_t owner = 0;
        topic_state* topic = nullptr;
    };
    thread_local last_topic last;
    if (last.owner == instance_ && last.topic->name == name) return *last.topic;
    topic_state* found = nullptr;
    {
        std::shared_lock lock(topics_mutex_);
        if (auto it = topics_.find(std::string(name)); it != topics_.end()) found = it->second.get();
    }
    if (found == nullptr) {
        std::unique_lock lock(topics_mutex_);
        auto [it, inserted] = topics_.try_emplace(std::string(name));
        if (inserted) {
            it->second = std::make_unique<topic_state>(std::string(name));
            created = true;
        }
        found = it->second.get();
    }
    last = {instance_, found};
    return *found;
}

std::vector<topic_state*> record_accumulator::topics() const {
    std::vector<topic_state*> out;
    topics(out);
    return out;
}

void record_accumulator::topics(std::vector<topic_state*>& out) const {
    out.clear();
    std::shared_lock lock(topics_mutex_);
    for (const auto& [name, t] : topics_) out.push_back(t.get());
}

partition_queue& record_accumulator::queue(topic_state& topic, std::int32_t partition) {
    // Callers checked `partition` against partition_count, published after the table.
    return *(*topic.table.load(std::memory_order_acquire))[static_cast<std::size_t>(partition)];
}

std::int32_t record_accumulator::choose_partition(topic_state& topic, const producer_record& record) {
    return choose_partition(topic, record, topic.partition_count.load(std::memory_order_acquire));
}

std::int32_t record_accumulator::choose_partition(topic_state& topic, const producer_record& record,
                                                  std::int32_t count) {
    const auto key = settings_.partitioner_ignore_keys ? std::nullopt : record.key;
    const auto chosen = partitioner_->partition(topic.name, key, count).value();
    // A user partitioner out of range is a bug in it; keep the record anyway.
    if (chosen < 0 || chosen >= count) return static_cast<std::int32_t>(static_cast<std::uint32_t>(chosen) % static_cast<std::uint32_t>(count));
    return chosen;
}

void record_accumulator::append(topic_state& topic, std::int32_t partition, const producer_record& record,
                                std::int64_t timestamp_ms, std::int64_t reserved_bytes, delivery_target target) {
    std::array<protocol::record_header, 8> inline_headers;
    std::vector<protocol::record_header> heap_headers;
    std::span<const protocol::record_header> headers;
    if (record.headers.size() <= inline_headers.size()) {
        for (std::size_t i = 0; i < record.headers.size(); ++i)
            inline_headers[i] = {record.headers[i].key, as_bytes(record.headers[i].value)};
        headers = std::span(inline_headers.data(), record.headers.size());
    } else {
        for (const auto& h : record.headers) heap_headers.push_back({h.key, as_bytes(h.value)});
        headers = heap_headers;
    }

    auto& q = queue(topic, partition);
    bool wake = false;
    // Full batches are compressed after the lock is released: the sender (and other
    // threads appending to this partition) need not wait for the codec.
    std::array<std::unique_ptr<producer_batch>, 2> full;
    {
        std::lock_guard lock(q.mutex);
        if (q.open && q.open->record_count() > 0 &&
            (static_cast<std::int64_t>(q.open->builder.uncompressed_size()) + reserved_bytes > settings_.batch_size ||
             q.open->record_count() >= settings_.batch_num_messages)) {
            full[0] = detach_for_seal(q);
            wake = true;
        }
        if (!q.open) {
            q.open = std::make_unique<producer_batch>(topic, partition, batch_options_);
            q.open->builder.reset(batch_options_, buffers_.take());
            q.open->created = clock_type::now();
            wake = true; // the sender arms linger.ms for it
        }
        auto& batch = *q.open;
        batch.builder.append(timestamp_ms, as_bytes(record.key), as_bytes(record.value), headers);
        batch.entries.push_back({std::move(target), timestamp_ms,
                                 record.key ? static_cast<std::int32_t>(record.key->size()) : -1,
                                 record.value ? static_cast<std::int32_t>(record.value->size()) : -1});
        batch.reserved_bytes += reserved_bytes;
        ++q.queued_records;
        q.queued_bytes += reserved_bytes;
        if (static_cast<std::int64_t>(batch.builder.uncompressed_size()) >= settings_.batch_size ||
            batch.record_count() >= settings_.batch_num_messages) {
            full[1] = detach_for_seal(q);
            wake = true;
        }
    }
    bool sealed_full = false;
    for (auto& batch : full) {
        if (!batch) continue;
        finish_seal(q, std::move(batch));
        sealed_full = true;
    }
    if (sealed_full) notify_new_batch(topic, partition);
    if (wake) wake_();
}

namespace {
void store_sealed_bytes(producer_batch& batch) {
    if (auto bytes = batch.builder.release()) batch.bytes = std::move(*bytes);
    else batch.last_error = bytes.error(); // failed by the sender, on the I/O thread
}
} // namespace

bool record_accumulator::seal_locked(topic_state&, std::int32_t, partition_queue& queue) {
    if (!queue.open) return false;
    auto batch = std::move(queue.open);
    batch->is_sealed = true;
    batch->seal_ticket = queue.next_seal_ticket++;
    store_sealed_bytes(*batch);
    queue.ready.push_back(std::move(batch));
    return true;
}

std::unique_ptr<producer_batch> record_accumulator::detach_for_seal(partition_queue& queue) {
    auto batch = std::move(queue.open);
    batch->is_sealed = true;
    batch->seal_ticket = queue.next_seal_ticket++;
    queue.sealing.push_back(batch->seal_ticket);
    return batch;
}

void record_accumulator::finish_seal(partition_queue& queue, std::unique_ptr<producer_batch> batch) {
    store_sealed_bytes(*batch);
    std::lock_guard lock(queue.mutex);
    std::erase(queue.sealing, batch->seal_ticket);
    // After every batch sealed before it (a later one may have been sealed meanwhile).
    auto pos = queue.ready.end();
    while (pos != queue.ready.begin() && (*std::prev(pos))->seal_ticket > batch->seal_ticket) --pos;
    queue.ready.insert(pos, std::move(batch));
}

bool record_accumulator::head_sendable(const partition_queue& queue) noexcept {
    if (queue.ready.empty()) return false;
    const auto ticket = queue.ready.front()->seal_ticket;
    return std::all_of(queue.sealing.begin(), queue.sealing.end(), [&](std::uint64_t t) { return t > ticket; });
}

void record_accumulator::recycle(producer_batch& batch) {
    buffers_.give(std::move(batch.bytes));
    buffers_.give(batch.builder.take_storage());
}

void record_accumulator::notify_new_batch(topic_state& topic, std::int32_t partition) {
    partitioner_->on_new_batch(topic.name, partition_id(partition), topic.partition_count.load());
}

std::optional<delivery_target> record_accumulator::add_pending(topic_state& topic, const producer_record& record,
                                                               std::int64_t timestamp_ms, std::int64_t reserved_bytes,
                                                               delivery_target target) {
    std::lock_guard lock(topic.pending_mutex);
    // Metadata may have arrived since the caller looked: then the pending records are in
    // their batches already and this one goes straight after them.
    if (topic.partition_count.load(std::memory_order_acquire) > 0) return target;
    pending_record p;
    if (record.partition) p.partition = record.partition->value();
    if (record.key) p.key.emplace(*record.key);
    if (record.value) p.value.emplace(*record.value);
    for (const auto& h : record.headers)
        p.headers.emplace_back(std::string(h.key),
                               h.value ? std::optional<std::string>(std::string(*h.value)) : std::nullopt);
    p.timestamp_ms = timestamp_ms;
    p.reserved_bytes = reserved_bytes;
    p.created = clock_type::now();
    p.target = std::move(target);
    topic.pending.push_back(std::move(p));
    topic.has_pending.store(true, std::memory_order_release);
    return std::nullopt;
}

std::vector<pending_record> record_accumulator::set_partition_count(topic_state& topic, std::int32_t count) {
    if (topic.partitions.size() < static_cast<std::size_t>(count)) {
        while (topic.partitions.size() < static_cast<std::size_t>(count))
            topic.partitions.push_back(std::make_unique<partition_queue>());
        auto table = std::make_unique<std::vector<partition_queue*>>();
        for (const auto& q : topic.partitions) table->push_back(q.get());
        topic.table.store(table.get(), std::memory_order_release);
        topic.tables.push_back(std::move(table));
    }
    const auto known = static_cast<std::int32_t>(topic.partitions.size());
    // The pending records are placed before partition_count is published, under the
    // pending lock: a send() that sees the count appends after them, one that does not
    // queues behind them (add_pending), so a key's records keep their order.
    std::lock_guard lock(topic.pending_mutex);
    std::vector<pending_record> pending;
    pending.swap(topic.pending);
    std::vector<pending_record> refused;
    for (auto& p : pending) {
        std::vector<header> headers;
        for (const auto& [k, v] : p.headers)
            headers.push_back({k, v ? std::optional<bytes_ref>(*v) : std::nullopt});
        producer_record record;
        record.topic = topic.name;
        if (p.key) record.key = *p.key;
        if (p.value) record.value = *p.value;
        record.headers = headers;
        if (p.partition && (*p.partition < 0 || *p.partition >= count)) {
            refused.push_back(std::move(p));
            continue;
        }
        const auto partition = p.partition ? *p.partition : choose_partition(topic, record, known);
        append(topic, partition, record, p.timestamp_ms, p.reserved_bytes, std::move(p.target));
    }
    topic.partition_count.store(known, std::memory_order_release);
    topic.has_pending.store(false, std::memory_order_release);
    return refused;
}

} // namespace kafkit::detail
