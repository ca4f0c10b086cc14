#include "kafkit/consumer.hpp"

#include "config/consumer_settings.hpp"
#include "consumer/consumer_engine.hpp"
#include "consumer/fetched_chunk.hpp"

namespace kafkit {

consumer::consumer(const config& cfg)
    : engine_(std::make_shared<detail::consumer_engine>(detail::parse_consumer_settings(cfg))) {}

consumer::~consumer() {
    // Closed here, while this object is whole: the rebalance listener may call it.
    try {
        engine_->close(std::chrono::seconds(30));
    } catch (...) { // NOLINT(bugprone-empty-catch): a destructor reports nothing
    }
}

void consumer::subscribe(const std::vector<std::string>& topics, rebalance_listener listener) {
    engine_->subscribe(topics, std::move(listener));
}
void consumer::unsubscribe() { engine_->unsubscribe(); }
std::vector<std::string> consumer::subscription() const { return engine_->subscription(); }
void consumer::assign(const std::vector<topic_partition>& partitions) { engine_->assign(partitions); }
void consumer::incremental_assign(const std::vector<topic_partition>& partitions) {
    engine_->incremental_assign(partitions);
}
void consumer::incremental_unassign(const std::vector<topic_partition>& partitions) {
    engine_->incremental_unassign(partitions);
}
std::vector<topic_partition> consumer::assignment() const { return engine_->assignment(); }
consumer_records consumer::poll(std::chrono::milliseconds timeout) { return engine_->poll(timeout); }
void consumer::wakeup() { engine_->wakeup(); }
void consumer::seek(const topic_partition& partition, record_offset offset) { engine_->seek(partition, offset); }
void consumer::seek(const topic_partition& partition, const offset_and_metadata& position) {
    engine_->seek(partition, position.offset, position.leader_epoch);
}
void consumer::seek_to_beginning(const std::vector<topic_partition>& partitions) {
    engine_->seek_to(partitions, detail::reset_target::earliest);
}
void consumer::seek_to_end(const std::vector<topic_partition>& partitions) {
    engine_->seek_to(partitions, detail::reset_target::latest);
}
record_offset consumer::position(const topic_partition& partition, std::chrono::milliseconds timeout) {
    return engine_->position(partition, timeout);
}
void consumer::pause(const std::vector<topic_partition>& partitions) { engine_->pause(partitions); }
void consumer::resume(const std::vector<topic_partition>& partitions) { engine_->resume(partitions); }
std::vector<topic_partition> consumer::paused() const { return engine_->paused(); }
std::optional<watermark_offsets> consumer::cached_watermark_offsets(const topic_partition& partition) const {
    return engine_->cached_watermarks(partition);
}
std::vector<partition_metadata> consumer::partitions_for(const std::string& topic, std::chrono::milliseconds timeout) {
    return engine_->partitions_for(topic, timeout);
}
std::map<std::string, std::vector<partition_metadata>> consumer::list_topics(std::chrono::milliseconds timeout) {
    return engine_->list_topics(timeout);
}
watermark_offsets consumer::query_watermark_offsets(const topic_partition& partition, std::chrono::milliseconds timeout) {
    return engine_->query_watermarks(partition, timeout);
}
std::map<topic_partition, std::optional<offset_and_timestamp>>
consumer::offsets_for_times(const std::map<topic_partition, std::int64_t>& timestamps_ms, std::chrono::milliseconds timeout) {
    return engine_->offsets_for_times(timestamps_ms, timeout);
}
std::error_code consumer::commit_sync(std::chrono::milliseconds timeout) { return engine_->commit_sync(std::nullopt, timeout); }
std::error_code consumer::commit_sync(const std::map<topic_partition, offset_and_metadata>& offsets,
                                      std::chrono::milliseconds timeout) {
    return engine_->commit_sync(offsets, timeout);
}
void consumer::commit_async(commit_callback callback) { engine_->commit_async(std::nullopt, std::move(callback)); }
void consumer::commit_async(const std::map<topic_partition, offset_and_metadata>& offsets, commit_callback callback) {
    engine_->commit_async(offsets, std::move(callback));
}
std::map<topic_partition, std::optional<offset_and_metadata>>
consumer::committed(const std::vector<topic_partition>& partitions, std::chrono::milliseconds timeout) {
    return engine_->committed(partitions, timeout);
}
std::error_code consumer::close(std::chrono::milliseconds timeout) { return engine_->close(timeout); }

consumer_records::consumer_records(std::unique_ptr<detail::polled_batch> batch) noexcept : batch_(std::move(batch)) {}
consumer_records::consumer_records() noexcept = default;
consumer_records::consumer_records(consumer_records&&) noexcept = default;
consumer_records& consumer_records::operator=(consumer_records&&) noexcept = default;
consumer_records::~consumer_records() = default;

std::span<const consumer_record> consumer_records::records() const noexcept {
    if (!batch_) return {};
    return batch_->records;
}
std::span<const consumer_event> consumer_records::events() const noexcept {
    if (!batch_) return {};
    return batch_->events;
}
std::error_code consumer_records::error() const noexcept {
    for (const auto& e : events())
        if (e.what == consumer_event::kind::error) return e.error;
    return {};
}

owned_consumer_record owned_consumer_record::copy_of(const consumer_record& r) {
    owned_consumer_record out;
    out.topic = std::string(r.topic);
    out.partition = r.partition;
    out.offset = r.offset;
    out.timestamp_ms = r.timestamp_ms;
    out.timestamp_kind = r.timestamp_kind;
    if (r.key) out.key.emplace(*r.key);
    if (r.value) out.value.emplace(*r.value);
    for (const auto& h : r.headers)
        out.headers.emplace_back(std::string(h.key), h.value ? std::optional<std::string>(std::string(*h.value)) : std::nullopt);
    out.leader_epoch = r.leader_epoch;
    return out;
}

} // namespace kafkit
