// ListTransactions (66, v0-1) and DescribeTransactions (65, v0), KIP-664. This broker has no
// transaction coordinator yet, so no transaction exists: ListTransactions lists none (and
// reports the state filters Kafka would not know), DescribeTransactions answers each id
// TRANSACTIONAL_ID_NOT_FOUND on its coordinator and NOT_COORDINATOR elsewhere.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/describe_transactions.hpp"
#include "kafkit/protocol/messages/list_transactions.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace kafkit::broker {
namespace {

/// Kafka's TransactionState names, the ones a state filter may give.
constexpr std::array<std::string_view, 8> transaction_states{
    "Empty", "Ongoing", "PrepareCommit", "PrepareAbort", "CompleteCommit", "CompleteAbort", "Dead", "PrepareEpochFence"};

} // namespace

void handle_list_transactions(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::list_transactions_request>(ctx, body);
    if (!request) return;
    protocol::list_transactions_response response;
    response.error_code = ctx.injected_error;
    for (const auto& f : request->state_filters)
        if (std::find(transaction_states.begin(), transaction_states.end(), f) == transaction_states.end())
            response.unknown_state_filters.push_back(f);
    reply<protocol::list_transactions_response>(ctx).send(response);
}

void handle_describe_transactions(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::describe_transactions_request>(ctx, body);
    if (!request) return;
    protocol::describe_transactions_response response;
    for (const auto& id : request->transactional_ids) {
        auto& t = response.transaction_states.emplace_back();
        t.transactional_id = id;
        kafka_errc error = kafka_errc::transactional_id_not_found;
        if (ctx.injected_error != 0) error = static_cast<kafka_errc>(ctx.injected_error);
        else if (ctx.state.groups().coordinator_node(id) != ctx.node.id) error = kafka_errc::not_coordinator;
        t.error_code = static_cast<std::int16_t>(error);
    }
    reply<protocol::describe_transactions_response>(ctx).send(response);
}

} // namespace kafkit::broker
