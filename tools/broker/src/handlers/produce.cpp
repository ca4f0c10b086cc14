// Produce (key 0, v0-11): validates each partition's records, checks idempotent producers'
// sequences, assigns offsets and appends, as Kafka 3.9's KafkaApis.handleProduceRequest and
// ReplicaManager.appendRecords do. No transactions: a transactional id or transactional
// records are refused with TRANSACTIONAL_ID_AUTHORIZATION_FAILED (what Kafka answers a
// producer that may not use that transactional id). acks=0 gets no answer, and on any
// error the connection is closed so the client notices, as Kafka does.

#include "data/partition_access.hpp"
#include "data/produce_records.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/produce.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"
#include "state/producer_registry.hpp"
#include "state/topic_config.hpp"

#include <set>

namespace kafkit::broker {
namespace {

using protocol::produce_request;
using protocol::produce_response;
using partition_response = produce_response::partition_produce_response;

/// Everything one produce request shares across its partitions.
struct produce_job {
    request_context& ctx;
    const produce_request& request;
    std::set<std::int32_t> leader_hints;  ///< nodes named in CurrentLeader (KIP-951)
    std::vector<partition*> appended;     ///< partitions whose fetchers to wake
    bool any_error = false;
};

void fail(produce_job& job, partition_response& out, kafka_errc error, std::string message) {
    out.error_code = static_cast<std::int16_t>(error);
    out.base_offset = -1;
    out.log_append_time_ms = -1;
    out.log_start_offset = -1;
    if (job.ctx.api_version >= 8 && !message.empty()) out.error_message = std::move(message);
    job.any_error = true;
}

/// True when any batch of the request is transactional (attributes bit 4 of a v2 batch).
bool has_transactional_records(const produce_request& request) {
    for (const auto& t : request.topic_data)
        for (const auto& p : t.partition_data) {
            if (!p.records) continue;
            const auto r = *p.records;
            std::size_t pos = 0;
            while (r.size() - pos >= 23) {
                const std::size_t length = (std::size_t{r[pos + 8]} << 24) | (std::size_t{r[pos + 9]} << 16) |
                                           (std::size_t{r[pos + 10]} << 8) | std::size_t{r[pos + 11]};
                if (r[pos + 16] == 2 && (r[pos + 22] & protocol::batch_attr_transactional) != 0) return true;
                if (length > r.size() - pos - 12) break;
                pos += 12 + length;
            }
        }
    return false;
}

/// Appends validated batches (or acknowledges a retried one) and fills the answer.
void append(produce_job& job, topic& t, partition& p, partition_records& records, const record_rules& rules,
            partition_response& out) {
    auto& state = job.ctx.state;
    out.log_append_time_ms = -1;
    if (records.batches.empty()) { // Produce v0-2 with nothing whole in it
        out.base_offset = -1;
        out.log_start_offset = p.log->log_start_offset();
        return;
    }
    for (std::size_t i = 0; i < records.batches.size(); ++i) {
        const auto& h = records.batches[i].header;
        if (h.producer_id < 0) continue;
        auto verdict = state.producers().check(t, p, h, rules.partition_name);
        if (verdict.what == sequence_verdict::action::reject) return fail(job, out, verdict.error, verdict.message);
        if (verdict.what == sequence_verdict::action::duplicate && i == 0) {
            // Kafka answers a retried batch with where it was written the first time.
            out.base_offset = verdict.original.first_offset;
            out.log_append_time_ms = verdict.original.max_timestamp;
            out.log_start_offset = p.log->log_start_offset();
            return;
        }
    }
    out.base_offset = p.log->log_end_offset();
    for (auto& batch : records.batches) {
        const auto summary = stamp_batch(batch, p.log->log_end_offset(), p.leader_epoch, rules);
        if (auto ec = p.log->append(protocol::bytes_view(batch.bytes.data(), batch.bytes.size()), summary); ec)
            return fail(job, out, kafka_errc::kafka_storage_error, "Error while appending records to " +
                                                                      rules.partition_name + ": " + ec.message());
        state.producers().record_append(t, p, summary);
    }
    job.appended.push_back(&p);
    if (job.request.acks == -1 && state.config().sync) {
        if (auto ec = p.log->flush(); ec)
            return fail(job, out, kafka_errc::kafka_storage_error, "Error while flushing " + rules.partition_name +
                                                                      ": " + ec.message());
    }
    if (rules.log_append_time) out.log_append_time_ms = rules.now_ms;
    out.log_start_offset = p.log->log_start_offset();
}

partition_response produce_partition(produce_job& job, topic* t, const produce_request::partition_produce_data& data,
                                     kafka_errc request_error) {
    partition_response out;
    out.index = data.index;
    auto& ctx = job.ctx;
    if (request_error != kafka_errc::none) {
        fail(job, out, request_error, {});
        return out;
    }
    auto access = access_partition(t, data.index, ctx.node, no_leader_epoch);
    if (access.error == kafka_errc::unknown_topic_or_partition) {
        fail(job, out, access.error, "This server does not host this topic-partition.");
        return out;
    }
    if (t->internal) {
        fail(job, out, kafka_errc::invalid_topic_exception, "Cannot append to internal topic " + t->name);
        return out;
    }
    if (access.error != kafka_errc::none) {
        fail(job, out, access.error,
             "Leader not local for partition " + partition_name(t->name, data.index) + " on broker " +
                 std::to_string(ctx.node.id));
        if (ctx.api_version >= 10) {
            const auto hint = current_leader(ctx.state, *t->find_partition(data.index));
            out.current_leader.leader_id = hint.leader_id;
            out.current_leader.leader_epoch = hint.leader_epoch;
            if (hint.node) job.leader_hints.insert(hint.leader_id);
        }
        return out;
    }
    const auto rules = rules_for(*t, resolve_topic_config(ctx.state.config(), *t), ctx.api_version, data.index,
                                 scheduler::wall_clock_ms());
    auto records = validate_records(data.records, rules);
    if (records.error != kafka_errc::none) {
        fail(job, out, records.error, records.message);
        if (ctx.api_version >= 8)
            for (auto& [index, message] : records.record_errors) {
                produce_response::batch_index_and_error_message e;
                e.batch_index = index;
                e.batch_index_error_message = std::move(message);
                out.record_errors.push_back(std::move(e));
            }
        return out;
    }
    append(job, *t, *access.part, records, rules, out);
    return out;
}

} // namespace

void handle_produce(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<produce_request>(ctx, body);
    if (!request) return;
    produce_job job{ctx, *request, {}, {}, false};

    kafka_errc request_error = kafka_errc::none;
    if (ctx.injected_error != 0) request_error = static_cast<kafka_errc>(ctx.injected_error);
    else if (request->transactional_id || has_transactional_records(*request))
        request_error = kafka_errc::transactional_id_authorization_failed;
    else if (request->acks != 0 && request->acks != 1 && request->acks != -1)
        request_error = kafka_errc::invalid_required_acks;

    produce_response response;
    for (const auto& topic_data : request->topic_data) {
        produce_response::topic_produce_response tr;
        tr.name = topic_data.name;
        topic* t = ctx.state.find_topic(topic_data.name);
        for (const auto& data : topic_data.partition_data)
            tr.partition_responses.push_back(produce_partition(job, t, data, request_error));
        response.responses.push_back(std::move(tr));
    }
    if (ctx.api_version >= 10) {
        for (auto id : job.leader_hints) {
            const broker_node* n = ctx.state.find_node(id);
            produce_response::node_endpoint e;
            e.node_id = n->id;
            e.host = n->host;
            e.port = n->port;
            e.rack = n->rack;
            response.node_endpoints.push_back(std::move(e));
        }
    }
    if (request->acks == 0) {
        // The client is not listening for an answer: an error can only be signalled by
        // closing the connection, which makes it refresh its metadata (Kafka does this).
        if (job.any_error) ctx.sink->close("a Produce request with acks=0 failed");
        else reply<produce_response>(ctx).none();
    } else {
        reply<produce_response>(ctx).send(response);
    }
    // Long-polling fetchers run after the answer is on its way.
    for (partition* p : job.appended) p->notify_append();
}

} // namespace kafkit::broker
