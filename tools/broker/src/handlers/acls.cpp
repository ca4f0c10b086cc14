// CreateAcls (key 30), DescribeAcls (key 29) and DeleteAcls (key 31), v0-3 (KIP-140,
// prefixed patterns KIP-290): the cluster's ACL bindings, validated and matched as Kafka's
// AclControlManager and AclBindingFilter do. Stored and persisted with the metadata, never
// enforced: the broker has no authorizer.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/create_acls.hpp"
#include "kafkit/protocol/messages/delete_acls.hpp"
#include "kafkit/protocol/messages/describe_acls.hpp"
#include "state/acl_store.hpp"
#include "state/broker_state.hpp"

#include <set>

namespace kafkit::broker {
namespace {

using protocol::create_acls_request;
using protocol::create_acls_response;
using protocol::delete_acls_request;
using protocol::delete_acls_response;
using protocol::describe_acls_request;
using protocol::describe_acls_response;

constexpr auto invalid_request = static_cast<std::int16_t>(kafka_errc::invalid_request);

acl_binding to_binding(const create_acls_request::acl_creation& c) {
    return {c.resource_type, c.resource_name, c.resource_pattern_type, c.principal, c.host, c.operation,
            c.permission_type};
}

/// DescribeAcls and DeleteAcls filters carry the same fields under the same names.
template <class Wire>
acl_filter to_filter(const Wire& f) {
    return {f.resource_type_filter, f.resource_name_filter, f.pattern_type_filter, f.principal_filter,
            f.host_filter,          f.operation,            f.permission_type};
}

/// Groups bindings (already ordered by resource pattern) into DescribeAcls resources.
std::vector<describe_acls_response::describe_acls_resource> group_by_resource(const std::vector<acl_binding>& bindings) {
    std::vector<describe_acls_response::describe_acls_resource> out;
    for (const auto& b : bindings) {
        if (out.empty() || out.back().resource_type != b.resource_type || out.back().resource_name != b.resource_name ||
            out.back().pattern_type != b.pattern_type)
            out.push_back({b.resource_type, b.resource_name, b.pattern_type, {}, {}});
        out.back().acls.push_back({b.principal, b.host, b.operation, b.permission_type, {}});
    }
    return out;
}

delete_acls_response::delete_acls_matching_acl to_matching(const acl_binding& b) {
    return {0, std::nullopt, b.resource_type, b.resource_name, b.pattern_type, b.principal, b.host, b.operation,
            b.permission_type, {}};
}

/// Answers `out` with the injected error or Kafka's INVALID_REQUEST `reason`; false when
/// there is neither and the request goes ahead.
template <class Out>
bool refused(const request_context& ctx, const std::string& reason, Out& out) {
    if (ctx.injected_error != 0) {
        out.error_code = ctx.injected_error;
        return true;
    }
    if (reason.empty()) return false;
    out.error_code = invalid_request;
    out.error_message = reason;
    return true;
}

} // namespace

void handle_create_acls(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<create_acls_request>(ctx, body);
    if (!request) return;
    create_acls_response response;
    bool changed = false;
    for (const auto& c : request->creations) {
        // Kafka leaves a success's message at its default, "" (AclApis.handleCreateAcls).
        create_acls_response::acl_creation_result out;
        const auto binding = to_binding(c);
        if (!refused(ctx, invalid_acl_reason(binding), out))
            changed |= ctx.state.acls().add(binding); // an existing binding is a success
        response.results.push_back(std::move(out));
    }
    if (changed) ctx.state.save_metadata();
    reply<create_acls_response>(ctx).send(response);
}

void handle_describe_acls(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_acls_request>(ctx, body);
    if (!request) return;
    describe_acls_response response;
    const auto filter = to_filter(*request);
    if (!refused(ctx, invalid_acl_filter_reason(filter), response))
        response.resources = group_by_resource(ctx.state.acls().matching(filter));
    reply<describe_acls_response>(ctx).send(response);
}

void handle_delete_acls(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<delete_acls_request>(ctx, body);
    if (!request) return;
    auto& acls = ctx.state.acls();
    delete_acls_response response;
    // A binding two filters match is deleted by, and listed under, the first
    // (AclControlManager.deleteAcls).
    std::set<acl_binding> deleted;
    for (const auto& f : request->filters) {
        delete_acls_response::delete_acls_filter_result out;
        out.error_message = std::nullopt; // ApiError.NONE's message
        const auto filter = to_filter(f);
        if (!refused(ctx, invalid_acl_filter_reason(filter), out))
            for (const auto& b : acls.matching(filter))
                if (deleted.insert(b).second) out.matching_acls.push_back(to_matching(b));
        response.filter_results.push_back(std::move(out));
    }
    for (const auto& b : deleted) acls.remove(b);
    if (!deleted.empty()) ctx.state.save_metadata();
    reply<delete_acls_response>(ctx).send(response);
}

} // namespace kafkit::broker
