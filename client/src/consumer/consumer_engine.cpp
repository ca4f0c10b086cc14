#include "consumer/consumer_engine.hpp"

#include "consumer/consumer_group_membership.hpp"
#include "consumer/group_membership.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"

#include <algorithm>
#include <future>
#include <thread>

namespace kafkit::detail {
namespace {

using clock_type = std::chrono::steady_clock;

std::string name_of(const topic_partition& tp) { return tp.topic + "-" + std::to_string(tp.partition.value()); }

timestamp_type kind_of(const protocol::record_batch& batch, const protocol::record& r) {
    if (r.magic == 0) return timestamp_type::not_available;
    return batch.header().timestamp_kind() == protocol::timestamp_type::log_append_time ? timestamp_type::log_append_time
                                                                                        : timestamp_type::create_time;
}

/// The membership group.protocol asks for.
std::unique_ptr<membership> make_membership(asio::io_context& io, const consumer_settings& settings,
                                            cluster_client& cluster, group_offsets& coordinator, group_events& events,
                                            const logger& log) {
    if (settings.group_protocol == group_protocol_kind::consumer)
        return std::make_unique<consumer_group_membership>(io, settings, cluster, coordinator, events, log);
    return std::make_unique<group_membership>(io, settings, cluster, coordinator, events, log);
}

/// Waits for `future` until `timeout`; throws kafkit::exception(timed_out, what) when it passes.
template <class T>
T wait_for(std::future<T>& future, std::chrono::milliseconds timeout, const std::string& what) {
    if (future.wait_for(timeout) != std::future_status::ready) throw exception(make_error_code(errc::timed_out), what);
    return future.get();
}

} // namespace

consumer_engine::consumer_engine(consumer_settings settings)
    : settings_(std::move(settings)), log_(settings_.client.log, settings_.client.log_level_min),
      budget_(std::make_shared<prefetch_budget>(settings_.prefetch_max_bytes)),
      cluster_(io_.context(), settings_.client, log_),
      offsets_(settings_.group_id.empty() ? nullptr
                                          : std::make_unique<group_offsets>(io_.context(), settings_, cluster_, log_)),
      fetcher_(io_.context(), settings_, cluster_, queue_, budget_, offsets_.get(), log_),
      group_events_([this] { queue_.nudge(); }),
      membership_(offsets_ ? make_membership(io_.context(), settings_, cluster_, *offsets_, group_events_, log_)
                           : nullptr) {
    budget_->on_released([this] { io_.post([this] { fetcher_.run(); }); });
    io_.run_and_wait([this] {
        cluster_.on_metadata([this] { fetcher_.run(); });
        cluster_.on_connection_change([this](std::int32_t, bool) { fetcher_.run(); });
        cluster_.start();
    });
}

consumer_engine::~consumer_engine() { close(std::chrono::seconds(30)); }

void consumer_engine::check_open() const {
    if (closed_) throw exception(make_error_code(errc::closed), "consumer");
}

consumer_engine::app_partition& consumer_engine::assigned(const topic_partition& tp) {
    check_open();
    auto it = partitions_.find(tp);
    if (it == partitions_.end()) throw exception(make_error_code(errc::invalid_state), name_of(tp) + " is not assigned");
    return it->second;
}

void consumer_engine::restart(const topic_partition& tp, app_partition& p, std::optional<std::int64_t> offset,
                              reset_target where, std::optional<std::int32_t> epoch) {
    p.version = next_version_++;
    p.position = offset.value_or(-1);
    p.eof_reported_at = -1;
    if (cursor_ && cursor_->chunk.partition == tp) cursor_.reset();
    const auto version = p.version;
    const bool paused = p.paused;
    io_.run_and_wait([&] {
        if (offset && epoch) fetcher_.set_validated_position(tp, version, *offset, *epoch);
        else fetcher_.set_position(tp, version, offset, where);
        fetcher_.pause(tp, paused);
    });
}

void consumer_engine::check_not_subscribed() const {
    check_open();
    if (!subscription_.empty())
        throw exception(make_error_code(errc::invalid_state), "the consumer is subscribed; unsubscribe() first");
}

void consumer_engine::assign(const std::vector<topic_partition>& partitions) {
    check_not_subscribed();
    std::vector<topic_partition> gone;
    for (const auto& [tp, p] : partitions_)
        if (std::find(partitions.begin(), partitions.end(), tp) == partitions.end()) gone.push_back(tp);
    remove_partitions(gone);
    std::vector<topic_partition> added;
    for (const auto& tp : partitions)
        if (partitions_.count(tp) == 0) added.push_back(tp);
    add_partitions(added);
}

void consumer_engine::incremental_assign(const std::vector<topic_partition>& partitions) {
    check_not_subscribed();
    add_partitions(partitions);
}

void consumer_engine::incremental_unassign(const std::vector<topic_partition>& partitions) {
    check_not_subscribed();
    remove_partitions(partitions);
}

void consumer_engine::add_partitions(const std::vector<topic_partition>& partitions) {
    for (const auto& tp : partitions) {
        if (partitions_.count(tp) != 0) continue;
        // The committed offset when there is a group and one, else auto.offset.reset.
        restart(tp, partitions_[tp], std::nullopt, reset_target::committed);
    }
}

void consumer_engine::remove_partitions(const std::vector<topic_partition>& partitions) {
    for (const auto& tp : partitions) {
        if (partitions_.erase(tp) == 0) continue;
        if (cursor_ && cursor_->chunk.partition == tp) cursor_.reset();
        io_.run_and_wait([&] { fetcher_.remove(tp); });
    }
}

std::vector<topic_partition> consumer_engine::assignment() const {
    std::vector<topic_partition> out;
    for (const auto& [tp, p] : partitions_) out.push_back(tp);
    return out;
}

void consumer_engine::seek(const topic_partition& tp, record_offset offset, std::optional<std::int32_t> epoch) {
    auto& p = assigned(tp);
    restart(tp, p, offset.value(), reset_target::policy, epoch);
}

void consumer_engine::seek_to(const std::vector<topic_partition>& partitions, reset_target where) {
    for (const auto& tp : partitions) {
        auto& p = assigned(tp);
        restart(tp, p, std::nullopt, where);
    }
}

record_offset consumer_engine::position(const topic_partition& tp, std::chrono::milliseconds timeout) {
    auto& p = assigned(tp);
    if (p.position >= 0) return record_offset(p.position);
    std::promise<std::pair<std::error_code, std::int64_t>> found;
    auto future = found.get_future();
    auto shared = std::make_shared<std::promise<std::pair<std::error_code, std::int64_t>>>(std::move(found));
    io_.run_and_wait([&] {
        fetcher_.when_positioned(tp, [shared](std::error_code ec, std::int64_t offset) { shared->set_value({ec, offset}); });
    });
    const auto [ec, offset] = wait_for(future, timeout, "position of " + name_of(tp));
    if (ec) throw exception(ec, "position of " + name_of(tp));
    // The fetcher's position is where poll() starts when nothing was returned yet.
    if (p.position < 0) p.position = offset;
    return record_offset(p.position);
}

void consumer_engine::pause(const std::vector<topic_partition>& partitions) {
    for (const auto& tp : partitions) {
        auto& p = assigned(tp);
        if (p.paused) continue;
        p.paused = true;
        // What was fetched ahead is dropped (a new version) and fetched again on resume.
        if (cursor_ && cursor_->chunk.partition == tp) cursor_.reset();
        p.version = next_version_++;
        io_.run_and_wait([&] { fetcher_.pause(tp, true); });
    }
}

void consumer_engine::resume(const std::vector<topic_partition>& partitions) {
    for (const auto& tp : partitions) {
        auto& p = assigned(tp);
        if (!p.paused) continue;
        p.paused = false;
        if (p.position >= 0) restart(tp, p, p.position, reset_target::policy);
        else restart(tp, p, std::nullopt, reset_target::committed);
    }
}

std::vector<topic_partition> consumer_engine::paused() const {
    std::vector<topic_partition> out;
    for (const auto& [tp, p] : partitions_)
        if (p.paused) out.push_back(tp);
    return out;
}

consumer_records consumer_engine::poll(std::chrono::milliseconds timeout) {
    check_open();
    if (fatal_) throw exception(fatal_, fatal_context_);
    // Time inside poll() counts as polling for max.poll.interval.ms.
    struct poll_scope {
        membership* m;
        explicit poll_scope(membership* member) : m(member) {
            if (m) m->note_poll(true);
        }
        ~poll_scope() {
            if (m) m->note_poll(false);
        }
        poll_scope(const poll_scope&) = delete;
        poll_scope& operator=(const poll_scope&) = delete;
    } scope(membership_.get());
    run_commit_callbacks();
    maybe_auto_commit();
    const auto deadline = clock_type::now() + timeout;
    auto batch = std::make_unique<polled_batch>();
    std::vector<std::pair<std::size_t, std::size_t>> header_ranges; // per record: first header, count
    bool first = true;
    for (;;) {
        const bool not_woken = queue_.take(ready_, first ? clock_type::now() : deadline);
        first = false;
        if (membership_ && (join_wanted_ || group_events_.pending())) handle_group_events(*batch);
        fill(*batch, header_ranges);
        if (!batch->records.empty() || !batch->events.empty() || !not_woken || clock_type::now() >= deadline) break;
    }
    for (std::size_t i = 0; i < batch->records.size(); ++i) {
        const auto [begin, count] = header_ranges[i];
        batch->records[i].headers = std::span<const header>(batch->headers.data() + begin, count);
    }
    return consumer_records(std::move(batch));
}

void consumer_engine::fill(polled_batch& out, std::vector<std::pair<std::size_t, std::size_t>>& header_ranges) {
    const auto max = static_cast<std::size_t>(settings_.max_poll_records);
    while (out.records.size() < max) {
        if (cursor_) {
            if (!decode_more(out, header_ranges)) cursor_.reset();
            continue;
        }
        if (ready_.empty()) return;
        auto chunk = std::move(ready_.front());
        ready_.pop_front();
        auto it = partitions_.find(chunk.partition);
        if (it == partitions_.end() || it->second.version != chunk.version || it->second.paused) continue; // stale
        auto& p = it->second;
        if (chunk.error) {
            out.events.push_back({consumer_event::kind::error, chunk.partition, chunk.error, record_offset(p.position)});
            continue;
        }
        if (p.position < 0 || chunk.moved) p.position = chunk.fetch_offset;
        if (chunk.records.empty()) {
            maybe_report_eof(out, chunk, p);
            continue;
        }
        decode_cursor c;
        c.reader.emplace(chunk.records, protocol::record_batch_read_options{
                                            .crc = settings_.check_crcs ? protocol::crc_check::verify : protocol::crc_check::skip});
        c.aborted = aborted_filter(chunk.aborted);
        c.chunk = std::move(chunk);
        out.buffers.push_back(c.chunk.buffer);
        out.topics.push_back(c.chunk.topic);
        cursor_ = std::move(c);
    }
}

bool consumer_engine::decode_more(polled_batch& out, std::vector<std::pair<std::size_t, std::size_t>>& header_ranges) {
    auto& c = *cursor_;
    auto& p = partitions_.at(c.chunk.partition);
    const auto max = static_cast<std::size_t>(settings_.max_poll_records);
    if (out.buffers.empty() || out.buffers.back() != c.chunk.buffer) {
        out.buffers.push_back(c.chunk.buffer); // a chunk continued from the previous poll
        out.topics.push_back(c.chunk.topic);
    }
    // So is a batch: this poll's records view its decompressed bytes too.
    if (c.batch && (out.batches.empty() || out.batches.back() != c.batch)) out.batches.push_back(c.batch);
    while (out.records.size() < max) {
        if (!c.batch || c.next_record >= c.batch->records().size()) {
            if (c.batch) p.position = std::max(p.position, c.batch->header().last_offset() + 1);
            c.batch = batch_pool_->take([] { return std::make_unique<protocol::record_batch>(); });
            c.next_record = 0;
            auto more = c.reader->next(*c.batch);
            if (!more) {
                // Corrupt data: reported, and fetched again from the position.
                log_.warning("consumer", name_of(c.chunk.partition) + ": cannot decode fetched records at offset " +
                                             std::to_string(p.position) + ": " + more.error().message());
                out.events.push_back({consumer_event::kind::error, c.chunk.partition, more.error(), record_offset(p.position)});
                const auto tp = c.chunk.partition;
                restart(tp, p, p.position, reset_target::policy);
                return false;
            }
            if (!*more) {
                maybe_report_eof(out, c.chunk, p);
                return false;
            }
            if (c.aborted.skip(*c.batch) || c.batch->header().is_control()) { // markers are not records
                c.next_record = c.batch->records().size();
                continue;
            }
            if (!c.batch->records().empty()) out.batches.push_back(c.batch);
        }
        const auto& batch = *c.batch;
        const auto& r = batch.records()[c.next_record++];
        if (r.offset < p.position) continue; // before the position (a batch starts earlier)
        consumer_record record;
        record.topic = *c.chunk.topic;
        record.partition = c.chunk.partition.partition;
        record.offset = record_offset(r.offset);
        record.timestamp_ms = r.timestamp;
        record.timestamp_kind = kind_of(batch, r);
        if (r.key) record.key = r.key->as_string();
        if (r.value) record.value = r.value->as_string();
        if (batch.header().partition_leader_epoch >= 0) record.leader_epoch = batch.header().partition_leader_epoch;
        header_ranges.emplace_back(out.headers.size(), r.headers.size());
        for (const auto& h : r.headers)
            out.headers.push_back({h.key, h.value ? std::optional<bytes_ref>(h.value->as_string()) : std::nullopt});
        out.records.push_back(record);
        p.position = r.offset + 1;
        p.last_epoch = record.leader_epoch;
    }
    return true;
}

void consumer_engine::maybe_report_eof(polled_batch& out, const fetched_chunk& chunk, app_partition& p) {
    if (!settings_.enable_partition_eof || chunk.high_watermark < 0 || p.position != chunk.high_watermark) return;
    if (p.eof_reported_at == p.position) return;
    p.eof_reported_at = p.position;
    out.events.push_back({consumer_event::kind::partition_eof, chunk.partition, {}, record_offset(p.position)});
}

std::optional<watermark_offsets> consumer_engine::cached_watermarks(const topic_partition& tp) {
    check_open();
    std::optional<watermark_offsets> out;
    io_.run_and_wait([&] { out = fetcher_.watermarks(tp); });
    return out;
}

std::map<topic_partition, std::pair<std::error_code, offset_and_timestamp>>
consumer_engine::list_offsets(const std::map<topic_partition, std::int64_t>& timestamps, std::chrono::milliseconds timeout) {
    check_open();
    using result_type = fetcher::offsets_result;
    const auto deadline = clock_type::now() + timeout;
    // Leaders may not be known yet (a topic never fetched): retried until the deadline.
    for (;;) {
        auto done = std::make_shared<std::promise<result_type>>();
        auto future = done->get_future();
        io_.run_and_wait([&] {
            std::vector<std::string> topics;
            for (const auto& [tp, ts] : timestamps) topics.push_back(tp.topic);
            cluster_.add_topics(topics);
            fetcher_.list_offsets(timestamps, [done](result_type r) { done->set_value(std::move(r)); });
        });
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now());
        auto results = wait_for(future, std::max(left, std::chrono::milliseconds(0)), "offset lookup");
        const bool retry = std::any_of(results.begin(), results.end(), [](const auto& r) {
            return r.second.first && is_retriable(r.second.first);
        });
        if (!retry || clock_type::now() + settings_.client.retry_backoff >= deadline) return results;
        io_.run_and_wait([&] { cluster_.request_metadata_update(); });
        std::this_thread::sleep_for(settings_.client.retry_backoff);
    }
}

watermark_offsets consumer_engine::query_watermarks(const topic_partition& tp, std::chrono::milliseconds timeout) {
    const auto deadline = clock_type::now() + timeout;
    auto left = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()); };
    auto low = list_offsets({{tp, -2}}, timeout).at(tp);
    if (low.first) throw exception(low.first, "log start of " + name_of(tp));
    auto high = list_offsets({{tp, -1}}, std::max(left(), std::chrono::milliseconds(0))).at(tp);
    if (high.first) throw exception(high.first, "log end of " + name_of(tp));
    return {low.second.offset, high.second.offset};
}

std::map<topic_partition, std::optional<offset_and_timestamp>>
consumer_engine::offsets_for_times(const std::map<topic_partition, std::int64_t>& timestamps,
                                   std::chrono::milliseconds timeout) {
    std::map<topic_partition, std::optional<offset_and_timestamp>> out;
    for (const auto& [tp, outcome] : list_offsets(timestamps, timeout)) {
        if (outcome.first) throw exception(outcome.first, "offset for time in " + name_of(tp));
        if (outcome.second.offset.value() >= 0) out[tp] = outcome.second;
        else out[tp] = std::nullopt; // no record that late
    }
    return out;
}

std::map<topic_partition, offset_and_metadata>
consumer_engine::offsets_to_commit(std::optional<std::map<topic_partition, offset_and_metadata>> given) const {
    if (given) return std::move(*given);
    std::map<topic_partition, offset_and_metadata> out;
    for (const auto& [tp, p] : partitions_)
        if (p.position >= 0) out[tp] = offset_and_metadata{record_offset(p.position), p.last_epoch, {}};
    return out;
}

namespace {
std::error_code first_error(const group_offsets::commit_result& result) {
    for (const auto& [tp, ec] : result)
        if (ec) return ec;
    return {};
}
} // namespace

std::error_code consumer_engine::commit_sync(std::optional<std::map<topic_partition, offset_and_metadata>> given,
                                             std::chrono::milliseconds timeout) {
    check_open();
    run_commit_callbacks();
    if (!offsets_) return kafka_errc::invalid_group_id;
    auto offsets = offsets_to_commit(std::move(given));
    if (offsets.empty()) return {};
    // Subscribed between generations: nothing may be committed (as Java's
    // RebalanceInProgressException).
    if (!subscription_.empty() && member_.generation < 0) return kafka_errc::rebalance_in_progress;
    auto done = std::make_shared<std::promise<std::error_code>>();
    auto future = done->get_future();
    io_.run_and_wait([&] {
        offsets_->commit(std::move(offsets), committer(),
                         [done](group_offsets::commit_result r) { done->set_value(first_error(r)); });
    });
    if (future.wait_for(timeout) != std::future_status::ready) return errc::timed_out;
    return future.get();
}

void consumer_engine::commit_async(std::optional<std::map<topic_partition, offset_and_metadata>> given,
                                   commit_callback callback) {
    check_open();
    auto offsets = offsets_to_commit(std::move(given));
    auto report = [this, callback = std::move(callback)](std::error_code ec,
                                                          std::map<topic_partition, offset_and_metadata> offsets) {
        if (!callback) return;
        std::lock_guard lock(completed_mutex_);
        completed_commits_.push_back([callback, ec, offsets = std::move(offsets)] { callback(ec, offsets); });
    };
    if (!offsets_) {
        report(make_error_code(kafka_errc::invalid_group_id), std::move(offsets));
        return;
    }
    if (offsets.empty()) {
        report({}, {});
        return;
    }
    if (!subscription_.empty() && member_.generation < 0) {
        report(make_error_code(kafka_errc::rebalance_in_progress), std::move(offsets));
        return;
    }
    io_.run_and_wait([&] {
        offsets_->commit(offsets, committer(),
                         [report, offsets](group_offsets::commit_result r) { report(first_error(r), offsets); });
    });
}

void consumer_engine::run_commit_callbacks() {
    std::vector<std::function<void()>> due;
    {
        std::lock_guard lock(completed_mutex_);
        due.swap(completed_commits_);
    }
    for (auto& callback : due) {
        try {
            callback();
        } catch (const std::exception& e) {
            log_.error("consumer", std::string("a commit callback threw: ") + e.what());
        }
    }
}

std::map<topic_partition, std::optional<offset_and_metadata>>
consumer_engine::committed(const std::vector<topic_partition>& partitions, std::chrono::milliseconds timeout) {
    check_open();
    if (!offsets_) throw exception(make_error_code(kafka_errc::invalid_group_id), "committed offsets need a group.id");
    auto done = std::make_shared<std::promise<group_offsets::fetch_result>>();
    auto future = done->get_future();
    io_.run_and_wait([&] {
        offsets_->fetch(partitions, [done](group_offsets::fetch_result r) { done->set_value(std::move(r)); });
    });
    std::map<topic_partition, std::optional<offset_and_metadata>> out;
    for (auto& [tp, outcome] : wait_for(future, timeout, "committed offsets")) {
        if (outcome.first) throw exception(outcome.first, "committed offset of " + name_of(tp));
        out[tp] = std::move(outcome.second);
    }
    return out;
}

std::error_code consumer_engine::close(std::chrono::milliseconds timeout) {
    if (closed_) return {};
    const auto deadline = clock_type::now() + timeout;
    run_commit_callbacks();
    if (!subscription_.empty()) leave_group(deadline);
    else if (settings_.enable_auto_commit && offsets_) commit_before_giving_up(assignment(), deadline);
    closed_ = true;
    budget_->detach();
    io_.run_and_wait([this] {
        if (membership_) membership_->stop();
        if (offsets_) offsets_->stop();
        fetcher_.stop();
        cluster_.shut_down();
    });
    io_.stop();
    cursor_.reset();
    ready_.clear();
    return {};
}

} // namespace kafkit::detail
