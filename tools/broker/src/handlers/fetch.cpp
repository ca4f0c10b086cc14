// Fetch (key 1, v0-17): sessions (KIP-227), then a read of every partition; answered at
// once when there is enough data (min_bytes), an error, or nothing to wait for, else held
// until data arrives on one of its partitions (a long poll woken by
// partition::notify_append) or max_wait_ms passes, as Kafka's DelayedFetch does.

#include "data/fetch_reader.hpp"
#include "handlers/handlers.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <chrono>
#include <memory>

namespace kafkit::broker {
namespace {

using protocol::fetch_request;
using protocol::fetch_response;
using std::chrono::milliseconds;

/// How often a held fetch looks whether its client is still connected.
constexpr milliseconds connection_check_interval{1000};

/// A fetch being answered, possibly later. Kept alive by its timer; the partitions it
/// waits on hold it weakly. Answers exactly once; wake-ups after that are ignored.
class delayed_fetch final : public append_listener, public std::enable_shared_from_this<delayed_fetch> {
public:
    delayed_fetch(request_context& ctx, const fetch_request& request, fetch_context context)
        : state_(ctx.state), node_(ctx.node), version_(ctx.api_version), min_bytes_(request.min_bytes),
          max_wait_(std::max(request.max_wait_ms, 0)), context_(std::move(context)), reply_(ctx) {
        options_.version = ctx.api_version;
        options_.read_committed = ctx.api_version >= 4 && request.isolation_level == 1;
        options_.max_bytes = ctx.api_version >= 3 ? request.max_bytes : 0x7fffffff;
    }

    /// Answers now if Kafka would (ReplicaManager.fetchMessages), else starts waiting.
    void start() {
        auto reads = read_partitions(state_, node_, context_.targets, options_);
        if (max_wait_.count() == 0 || context_.targets.empty() || ready(reads)) {
            answer(reads);
            return;
        }
        deadline_ = scheduler::now() + max_wait_;
        arm_timer();
        wait_for_data();
    }

    void on_append() override {
        if (done_) return;
        if (!reply_.connection_open()) return give_up();
        auto reads = read_partitions(state_, node_, context_.targets, options_);
        if (ready(reads)) answer(reads);
        else wait_for_data();
    }

private:
    [[nodiscard]] bool ready(const std::vector<partition_read>& reads) const {
        return bytes_read(reads) >= static_cast<std::size_t>(std::max(min_bytes_, 0)) || needs_immediate_answer(reads) ||
               state_.stopping(); // a stopping broker answers held fetches at once
    }

    void arm_timer() {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline_ - scheduler::now());
        const auto delay = std::clamp(left, milliseconds(0), connection_check_interval);
        timer_ = state_.timers().after(delay, [self = shared_from_this()] { self->on_timer(); });
    }

    void on_timer() {
        if (done_) return;
        if (!reply_.connection_open()) return give_up();
        if (scheduler::now() < deadline_) return arm_timer();
        auto reads = read_partitions(state_, node_, context_.targets, options_);
        answer(reads);
    }

    /// Registers with every partition of the fetch that this node leads.
    void wait_for_data() {
        const auto self = shared_from_this();
        for (const auto& target : context_.targets) {
            topic* t = version_ >= 13 ? state_.find_topic(target.topic_id) : state_.find_topic(target.topic);
            partition* p = t ? t->find_partition(target.partition) : nullptr;
            if (p) state_.fetch_sessions().waiters().wait(*p, self);
        }
    }

    /// The client is gone: nothing to send, nothing more to wait for.
    void give_up() {
        done_ = true;
        timer_.cancel();
    }

    void answer(std::vector<partition_read>& reads) {
        done_ = true;
        timer_.cancel();
        auto& sessions = state_.fetch_sessions();
        std::vector<bool> include(reads.size(), true);
        if (context_.type == fetch_context::kind::incremental)
            for (std::size_t i = 0; i < reads.size(); ++i) include[i] = changed_since_sent(context_.targets[i], reads[i]);
        std::vector<fetch_outcome> outcomes(reads.size());
        for (std::size_t i = 0; i < reads.size(); ++i) {
            outcomes[i].high_watermark = reads[i].data.high_watermark;
            outcomes[i].log_start_offset = reads[i].data.log_start_offset;
            outcomes[i].had_error = reads[i].error;
            outcomes[i].sent = include[i];
        }
        auto response = build_fetch_response(state_, context_.targets, reads, include, version_);
        if (context_.type == fetch_context::kind::full) {
            response.session_id = sessions.create_session(context_, outcomes, node_.id, false, scheduler::wall_clock_ms());
        } else if (context_.type == fetch_context::kind::incremental) {
            response.session_id = context_.session_id;
            sessions.update_session(context_, outcomes);
        }
        reply_.send(response);
    }

    broker_state& state_;
    const broker_node& node_;
    std::int16_t version_;
    std::int32_t min_bytes_;
    milliseconds max_wait_;
    fetch_read_options options_;
    fetch_context context_;
    reply<fetch_response> reply_;
    timer_handle timer_;
    std::chrono::steady_clock::time_point deadline_{};
    bool done_ = false;
};

/// Session errors are the response's own (KIP-227); any other injected error goes to every
/// partition asked for.
void answer_injected(request_context& ctx, const fetch_request& request) {
    const auto error = static_cast<kafka_errc>(ctx.injected_error);
    fetch_response response;
    if (error == kafka_errc::fetch_session_id_not_found || error == kafka_errc::invalid_fetch_session_epoch ||
        error == kafka_errc::fetch_session_topic_id_error) {
        response.error_code = ctx.injected_error;
    } else {
        for (const auto& topic : request.topics) {
            fetch_response::fetchable_topic_response t;
            t.topic = topic.topic;
            t.topic_id = topic.topic_id;
            for (const auto& p : topic.partitions) {
                fetch_response::partition_data d;
                d.partition_index = p.partition;
                d.error_code = ctx.injected_error;
                d.high_watermark = -1;
                d.aborted_transactions = std::nullopt;
                d.records = protocol::bytes_view{};
                t.partitions.push_back(std::move(d));
            }
            response.responses.push_back(std::move(t));
        }
    }
    reply<fetch_response>(ctx).send(response);
}

} // namespace

void handle_fetch(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<fetch_request>(ctx, body);
    if (!request) return;
    if (ctx.injected_error != 0) return answer_injected(ctx, *request);
    auto context = ctx.state.fetch_sessions().new_context(*request, ctx.api_version, ctx.node.id,
                                                          scheduler::wall_clock_ms());
    if (context.type == fetch_context::kind::error) {
        fetch_response response;
        response.error_code = static_cast<std::int16_t>(context.error);
        reply<fetch_response>(ctx).send(response);
        return;
    }
    std::make_shared<delayed_fetch>(ctx, *request, std::move(context))->start();
}

} // namespace kafkit::broker
