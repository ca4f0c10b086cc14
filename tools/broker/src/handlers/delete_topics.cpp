// DeleteTopics (key 20, v0-6): deletes topics by name, and from v6 by topic id (KIP-516),
// with the checks and answers of Kafka's ControllerApis.deleteTopics: a topic given twice,
// by both name and id, or by neither is INVALID_REQUEST; an unknown name
// UNKNOWN_TOPIC_OR_PARTITION, an unknown id UNKNOWN_TOPIC_ID. Answers carry the name and
// (v6) the id of each deleted topic.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/delete_topics.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <set>

namespace kafkit::broker {
namespace {

using protocol::delete_topics_request;
using protocol::delete_topics_response;
using protocol::uuid;

struct deletion {
    std::vector<std::string> names; ///< unique, in request order
    std::vector<uuid> ids;          ///< unique, in request order
    delete_topics_response response;

    void answer(std::optional<std::string> name, const uuid& id, kafka_errc error, std::optional<std::string> message) {
        delete_topics_response::deletable_topic_result r;
        r.name = std::move(name);
        r.topic_id = id;
        r.error_code = static_cast<std::int16_t>(error);
        r.error_message = std::move(message);
        response.responses.push_back(std::move(r));
    }
};

/// Sorts what the request names into unique names and ids, answering the malformed entries.
void collect(const delete_topics_request& request, std::int16_t version, deletion& d) {
    std::vector<std::string> names;
    std::vector<uuid> ids;
    if (version < 6) names = request.topic_names;
    for (const auto& t : request.topics) {
        if (!t.name && t.topic_id.is_zero())
            d.answer(std::nullopt, uuid{}, kafka_errc::invalid_request, "Neither topic name nor id were specified.");
        else if (t.name && !t.topic_id.is_zero())
            d.answer(t.name, t.topic_id, kafka_errc::invalid_request, "You may not specify both topic name and topic id.");
        else if (t.name)
            names.push_back(*t.name);
        else
            ids.push_back(t.topic_id);
    }
    std::set<std::string> reported_names;
    for (const auto& n : names) {
        if (std::count(names.begin(), names.end(), n) > 1) {
            if (reported_names.insert(n).second)
                d.answer(n, uuid{}, kafka_errc::invalid_request, "Duplicate topic name.");
        } else {
            d.names.push_back(n);
        }
    }
    std::vector<uuid> reported_ids;
    for (const auto& id : ids) {
        if (std::count(ids.begin(), ids.end(), id) > 1) {
            if (std::find(reported_ids.begin(), reported_ids.end(), id) == reported_ids.end()) {
                reported_ids.push_back(id);
                d.answer(std::nullopt, id, kafka_errc::invalid_request, "Duplicate topic id.");
            }
        } else {
            d.ids.push_back(id);
        }
    }
}

} // namespace

void handle_delete_topics(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<delete_topics_request>(ctx, body);
    if (!request) return;
    auto& state = ctx.state;
    deletion d;
    if (ctx.injected_error != 0) {
        const auto error = static_cast<kafka_errc>(ctx.injected_error);
        for (const auto& n : request->topic_names) d.answer(n, uuid{}, error, std::nullopt);
        for (const auto& t : request->topics) d.answer(t.name, t.topic_id, error, std::nullopt);
        reply<delete_topics_response>(ctx).send(d.response);
        return;
    }
    collect(*request, ctx.api_version, d);

    // Resolve ids to names, then names to ids; a name whose id was also given is refused.
    std::vector<std::pair<std::string, uuid>> doomed;
    for (const auto& id : d.ids) {
        if (const topic* t = state.find_topic(id)) doomed.emplace_back(t->name, id);
        else d.answer(std::nullopt, id, kafka_errc::unknown_topic_id, "This server does not host this topic ID.");
    }
    for (const auto& name : d.names) {
        const topic* t = state.find_topic(name);
        if (!t) {
            d.answer(name, uuid{}, kafka_errc::unknown_topic_or_partition,
                     "This server does not host this topic-partition.");
            continue;
        }
        auto same = std::find_if(doomed.begin(), doomed.end(), [&](const auto& e) { return e.second == t->id; });
        if (same != doomed.end()) {
            doomed.erase(same);
            d.answer(name, t->id, kafka_errc::invalid_request,
                     "The provided topic name maps to an ID that was already supplied.");
            continue;
        }
        doomed.emplace_back(name, t->id);
    }
    for (const auto& [name, id] : doomed) {
        auto result = state.delete_topic(name);
        d.answer(name, id, result.error, result.error == kafka_errc::none ? std::nullopt : std::optional(result.message));
    }
    reply<delete_topics_response>(ctx).send(d.response);
}

} // namespace kafkit::broker
