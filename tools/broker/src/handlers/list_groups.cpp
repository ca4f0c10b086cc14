// ListGroups (key 16, v0-5): the groups this node coordinates (clients ask every node), with
// their protocol type, state (v4+, filterable by state, KIP-518) and type (v5+, filterable,
// KIP-848: "classic" or "consumer"). Filters match case-insensitively. Consumer groups report
// protocol type "consumer" and their own states (Empty, Assigning, Reconciling, Stable).

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/list_groups.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <cctype>

namespace kafkit::broker {
namespace {

/// The group types of classic and KIP-848 consumer groups.
constexpr std::string_view classic_group_type = "classic";
constexpr std::string_view consumer_group_type = "consumer";

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

/// An empty filter lets everything through.
bool passes(const std::vector<std::string>& filter, std::string_view value) {
    return filter.empty() ||
           std::any_of(filter.begin(), filter.end(), [&](const std::string& f) { return equals_ignoring_case(f, value); });
}

} // namespace

void handle_list_groups(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<protocol::list_groups_request>(ctx, body);
    if (!request) return;
    protocol::list_groups_response response;
    if (ctx.injected_error != 0) {
        response.error_code = ctx.injected_error;
        return reply<protocol::list_groups_response>(ctx).send(response);
    }
    auto& groups = ctx.state.groups();
    auto list = [&](const std::string& id, std::string_view protocol_type, std::string_view state,
                    std::string_view type) {
        if (groups.coordinator_node(id) != ctx.node.id) return;
        if (!passes(request->states_filter, state) || !passes(request->types_filter, type)) return;
        protocol::list_groups_response::listed_group listed;
        listed.group_id = id;
        listed.protocol_type = std::string(protocol_type);
        listed.group_state = std::string(state);
        listed.group_type = std::string(type);
        response.groups.push_back(std::move(listed));
    };
    for (const auto& [id, group] : groups.groups())
        if (!group->is(group_state::dead))
            list(id, group->protocol_type().value_or(""), group_state_name(group->state()), classic_group_type);
    for (const auto& [id, group] : groups.consumer_groups().groups())
        list(id, consumer_protocol_type, consumer_group_state_name(group->state()), consumer_group_type);
    reply<protocol::list_groups_response>(ctx).send(response);
}

} // namespace kafkit::broker
