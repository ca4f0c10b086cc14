#pragma once
// The loop of keyed operations whose entities live on particular brokers (partitions on
// their leaders, groups on their coordinators): each attempt looks up where the open
// entities are, sends one request per broker with its entities, and settles what the
// answers settle. Entities the lookup cannot place now, whose broker could not be reached,
// or whose answer carried a retriable error stay open for the next attempt after the
// backoff, until the deadline.

#include "admin/admin_ops.hpp"

#include <map>
#include <memory>
#include <type_traits>
#include <vector>

namespace kafkit::detail {

/// Where the open entities are: broker id to its entities. A lookup completes entities it
/// can answer itself (an unknown topic) and leaves out those it cannot place now.
template <class Key>
using placement = std::map<std::int32_t, std::vector<Key>>;

/// Calls `settle(response, version, keys)`, or with the answering broker's id too when the
/// step wants it (a group's coordinator in its description).
template <class Settle, class Response, class Key>
void settle_answer(const Settle& settle, const Response& response, std::int16_t version, const std::vector<Key>& keys,
                   std::int32_t node) {
    if constexpr (std::is_invocable_v<const Settle&, const Response&, std::int16_t, const std::vector<Key>&, std::int32_t>)
        settle(response, version, keys, node);
    else settle(response, version, keys);
}

template <class Request, class Response, class Key, class Value, class Lookup, class Build, class Settle,
          class Context, class Fit = no_fit>
void routed_call(admin_engine& engine, std::shared_ptr<keyed_promises<Key, Value>> promises,
                 admin_engine::clock_type::time_point deadline, Lookup lookup, Build build, Settle settle,
                 Context context_of, Fit fit = {}) {
    if (promises->pending().empty()) return;
    engine.retry(
        deadline,
        [&engine, promises, lookup, build, settle, context_of, fit](const std::shared_ptr<retry_loop>& loop) {
            lookup(promises->pending(), loop->deadline(), [&engine, promises, loop, build, settle, context_of, fit](placement<Key> where) {
                if (promises->pending().empty()) return;
                if (where.empty()) return loop->again(); // nothing placeable yet
                auto outstanding = std::make_shared<std::size_t>(where.size());
                auto answered = [promises, loop, outstanding] {
                    if (--*outstanding == 0 && !promises->pending().empty()) loop->again();
                };
                for (auto& [node, keys] : where) {
                    auto on_answer = [promises, keys, node, settle, context_of, answered](std::error_code ec, Response response,
                                                                                     std::int16_t version) {
                        // A failed request leaves its entities open, unless the failure is final.
                        if (ec && !admin_engine::retriable(ec)) promises->fail_among(keys, ec, context_of);
                        else if (!ec) settle_answer(settle, response, version, keys, node);
                        answered();
                    };
                    engine.dispatch(admin_route::to(node), loop->deadline(),
                                    make_request<Request, Response>(build(node, keys, loop->deadline()), std::move(on_answer),
                                                                    client_versions(Request::api_key), fit));
                }
            });
        },
        [promises, context_of](std::error_code why) { promises->fail_pending(why, context_of); });
}

} // namespace kafkit::detail
