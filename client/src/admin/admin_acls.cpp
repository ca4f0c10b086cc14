// ACL operations: create, describe, delete, each to any broker (which forwards to the
// controller where it must).

#include "admin/admin_ops.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/protocol/messages/create_acls.hpp"
#include "kafkit/protocol/messages/delete_acls.hpp"
#include "kafkit/protocol/messages/describe_acls.hpp"

#include <algorithm>

namespace kafkit {
namespace detail {
namespace {

using admin::acl_binding;
using admin::acl_binding_filter;

std::int8_t code(auto e) { return static_cast<std::int8_t>(e); }

std::string binding_context(const acl_binding& b) {
    return "ACL " + b.entry.principal + " on " + b.pattern.name;
}
std::string filter_context(const acl_binding_filter& f) {
    return "ACL filter on " + f.name.value_or("any name") + " for " + f.principal.value_or("any principal");
}

/// Writes `f` into a DescribeAcls request or a DeleteAcls filter (same field names).
template <class Out>
void fill_filter(const acl_binding_filter& f, Out& out) {
    out.resource_type_filter = code(f.type);
    out.resource_name_filter = f.name;
    out.pattern_type_filter = code(f.pattern);
    out.principal_filter = f.principal;
    out.host_filter = f.host;
    out.operation = code(f.operation);
    out.permission_type = code(f.permission);
}

/// Patterns other than literal exist from v1 (KIP-290); v0 knows literal names only.
template <class Filter>
void fit_pattern_filter(Filter& f, std::int16_t version) {
    if (version < 1) f.pattern_type_filter = 3;
}

acl_binding binding_of(std::int8_t type, const std::string& name, std::int8_t pattern, const std::string& principal,
                       const std::string& host, std::int8_t operation, std::int8_t permission) {
    return acl_binding{{static_cast<admin::resource_type>(type), name, static_cast<admin::pattern_type>(pattern)},
                       {principal, host, static_cast<admin::acl_operation>(operation),
                        static_cast<admin::acl_permission_type>(permission)}};
}

} // namespace
} // namespace detail

admin::keyed_result<admin::acl_binding, void> admin_client::create_acls(const std::vector<admin::acl_binding>& bindings,
                                                                        const admin::acl_options& options) {
    auto promises = std::make_shared<detail::keyed_promises<admin::acl_binding, void>>(bindings);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "create_acls", [&engine, promises, deadline] {
        detail::keyed_call<protocol::create_acls_request, protocol::create_acls_response>(
            engine, promises, promises->pending(), detail::admin_route::any(), deadline,
            [promises](const std::vector<admin::acl_binding>& open, detail::admin_engine::clock_type::time_point) {
                protocol::create_acls_request request;
                for (const auto& b : open) {
                    auto& c = request.creations.emplace_back();
                    c.resource_type = detail::code(b.pattern.type);
                    c.resource_name = b.pattern.name;
                    c.resource_pattern_type = detail::code(b.pattern.pattern);
                    c.principal = b.entry.principal;
                    c.host = b.entry.host;
                    c.operation = detail::code(b.entry.operation);
                    c.permission_type = detail::code(b.entry.permission);
                }
                return request;
            },
            [promises](const protocol::create_acls_response& response, std::int16_t) {
                // Results are in the order of the creations, which were the open bindings.
                const auto asked = promises->pending();
                for (std::size_t i = 0; i < asked.size() && i < response.results.size(); ++i) {
                    const auto& r = response.results[i];
                    if (const auto ec = detail::kafka_error(r.error_code))
                        promises->fail(asked[i], ec, detail::with_message(detail::binding_context(asked[i]), r.error_message));
                    else promises->succeed(asked[i]);
                }
                return detail::answer_verdict::settled;
            },
            detail::binding_context,
            [](protocol::create_acls_request& r, std::int16_t version) {
                if (version >= 1) return;
                for (auto& c : r.creations) c.resource_pattern_type = 3;
            });
    });
}

admin::future<std::vector<admin::acl_binding>> admin_client::describe_acls(const admin::acl_binding_filter& filter,
                                                                                const admin::acl_options& options) {
    auto promise = std::make_shared<std::promise<std::vector<admin::acl_binding>>>();
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_single(engine, promise, "describe_acls", [&engine, promise, filter, deadline] {
        protocol::describe_acls_request request;
        detail::fill_filter(filter, request);
        detail::single_call<protocol::describe_acls_request, protocol::describe_acls_response>(
            engine, request, deadline,
            [promise](std::error_code ec, const protocol::describe_acls_response& response) {
                if (ec) return detail::fail(*promise, ec, detail::with_message("describe_acls", response.error_message));
                std::vector<admin::acl_binding> out;
                for (const auto& r : response.resources)
                    for (const auto& a : r.acls)
                        out.push_back(detail::binding_of(r.resource_type, r.resource_name, r.pattern_type, a.principal,
                                                         a.host, a.operation, a.permission_type));
                std::sort(out.begin(), out.end());
                promise->set_value(std::move(out));
            },
            [](protocol::describe_acls_request& r, std::int16_t version) { detail::fit_pattern_filter(r, version); });
    });
}

admin::keyed_result<admin::acl_binding_filter, std::vector<admin::acl_binding>> admin_client::delete_acls(
    const std::vector<admin::acl_binding_filter>& filters, const admin::acl_options& options) {
    using deleted = std::vector<admin::acl_binding>;
    auto promises = std::make_shared<detail::keyed_promises<admin::acl_binding_filter, deleted>>(filters);
    auto& engine = *engine_;
    const auto deadline = engine.deadline(options.timeout);
    return detail::start_keyed(engine, promises, "delete_acls", [&engine, promises, deadline] {
        detail::keyed_call<protocol::delete_acls_request, protocol::delete_acls_response>(
            engine, promises, promises->pending(), detail::admin_route::any(), deadline,
            [](const std::vector<admin::acl_binding_filter>& open, detail::admin_engine::clock_type::time_point) {
                protocol::delete_acls_request request;
                for (const auto& f : open) detail::fill_filter(f, request.filters.emplace_back());
                return request;
            },
            [promises](const protocol::delete_acls_response& response, std::int16_t) {
                const auto asked = promises->pending(); // results follow the filters' order
                for (std::size_t i = 0; i < asked.size() && i < response.filter_results.size(); ++i) {
                    const auto& r = response.filter_results[i];
                    if (const auto ec = detail::kafka_error(r.error_code)) {
                        promises->fail(asked[i], ec, detail::with_message(detail::filter_context(asked[i]), r.error_message));
                        continue;
                    }
                    deleted out;
                    for (const auto& m : r.matching_acls)
                        out.push_back(detail::binding_of(m.resource_type, m.resource_name, m.pattern_type, m.principal,
                                                         m.host, m.operation, m.permission_type));
                    std::sort(out.begin(), out.end());
                    promises->succeed(asked[i], std::move(out));
                }
                return detail::answer_verdict::settled;
            },
            detail::filter_context,
            [](protocol::delete_acls_request& r, std::int16_t version) {
                for (auto& f : r.filters) detail::fit_pattern_filter(f, version);
            });
    });
}

} // namespace kafkit
