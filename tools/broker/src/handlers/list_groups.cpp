// ListGroups (key 16, v0-5): the groups this node coordinates (clients ask every node), with
// their protocol type, state (v4+, filterable by state, KIP-518) and type (v5+, filterable,
// KIP-848: all groups here are "classic"). Filters match case-insensitively.

#include "group/group_coordinator.hpp"
#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/list_groups.hpp"
#include "state/broker_state.hpp"

#include <algorithm>
#include <cctype>

namespace kafkit::broker {
namespace {

/// The group type of classic groups.
constexpr std::string_view classic_group_type = "classic";

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
    for (const auto& [id, group] : groups.groups()) {
        if (groups.coordinator_node(id) != ctx.node.id || group->is(group_state::dead)) continue;
        const auto state = group_state_name(group->state());
        if (!passes(request->states_filter, state) || !passes(request->types_filter, classic_group_type)) continue;
        protocol::list_groups_response::listed_group listed;
        listed.group_id = id;
        listed.protocol_type = group->protocol_type().value_or("");
        listed.group_state = std::string(state);
        listed.group_type = std::string(classic_group_type);
        response.groups.push_back(std::move(listed));
    }
    reply<protocol::list_groups_response>(ctx).send(response);
}

} // namespace kafkit::broker
