#pragma once
// What the admin operations' files share: starting an operation on the I/O thread (or
// failing it at once when the client is closed), Kafka error codes as error_codes with the
// broker's message, and nodes from broker ids.

#include "admin/admin_engine.hpp"
#include "admin/keyed_promises.hpp"

#include "kafkit/admin/cluster.hpp"
#include "kafkit/exception.hpp"
#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/topic_partition.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::detail {

/// Kafka's error code as an error_code (empty for 0).
[[nodiscard]] inline std::error_code kafka_error(std::int16_t code) noexcept {
    return code == 0 ? std::error_code{} : make_error_code(static_cast<kafka_errc>(code));
}

/// "topic orders", "topic orders: the broker's message".
[[nodiscard]] inline std::string with_message(std::string context, const std::optional<std::string>& message) {
    if (message && !message->empty()) context += " (" + *message + ")";
    return context;
}

[[nodiscard]] inline std::string name_of(const topic_partition& tp) {
    return tp.topic + "-" + std::to_string(tp.partition.value());
}

/// The node with this id as the client's metadata knows it (host and port empty if not).
[[nodiscard]] admin::node node_from(const admin_engine& engine, std::int32_t id);

/// Starts `start` on the I/O thread and returns the futures of `promises`; a closed client
/// fails them at once with errc::closed.
template <class Key, class Value, class Start>
admin::keyed_result<Key, Value> start_keyed(admin_engine& engine, const std::shared_ptr<keyed_promises<Key, Value>>& promises,
                                            const char* what, Start start) {
    auto result = promises->result();
    auto fail_closed = [promises = std::weak_ptr(promises), what] {
        if (auto p = promises.lock()) p->fail_pending(make_error_code(errc::closed), [what](const Key&) { return std::string(what); });
    };
    if (!engine.submit(std::move(start), promises, fail_closed)) fail_closed();
    return result;
}

/// The same for an operation with one outcome.
template <class Value, class Start>
admin::future<Value> start_single(admin_engine& engine, const std::shared_ptr<std::promise<Value>>& promise,
                                  const char* what, Start start) {
    admin::future<Value> future(promise->get_future().share());
    auto fail_closed = [promise = std::weak_ptr(promise), what] {
        auto p = promise.lock();
        if (!p) return;
        try {
            p->set_exception(std::make_exception_ptr(exception(make_error_code(errc::closed), what)));
        } catch (const std::future_error&) { // it had its outcome already
        }
    };
    if (!engine.submit(std::move(start), promise, fail_closed)) fail_closed();
    return future;
}

/// Fails `promise` with kafkit::exception(code, context).
template <class Value>
void fail(std::promise<Value>& promise, std::error_code code, const std::string& context) {
    promise.set_exception(std::make_exception_ptr(exception(code, context)));
}

/// Shapes nothing: for requests whose every field exists at every version used.
struct no_fit {
    template <class Request>
    void operator()(Request&, std::int16_t) const noexcept {}
};

/// What a keyed call's answer handler reports.
enum class answer_verdict { settled, retry_open };

/// The loop most keyed operations are: send one request for the entities among `keys`
/// still open along `route`; `settle(response, version)` completes the entities the answer
/// settles and returns retry_open when some got a retriable error. Open entities are then
/// tried again after the backoff, until the deadline. An entity the answer leaves out fails
/// with UNKNOWN_SERVER_ERROR (a broker answering for other entities than asked is broken).
template <class Request, class Response, class Key, class Value, class Build, class Settle, class Context,
          class Fit = no_fit>
void keyed_call(admin_engine& engine, std::shared_ptr<keyed_promises<Key, Value>> promises, std::vector<Key> keys,
                admin_route route, admin_engine::clock_type::time_point deadline, Build build, Settle settle,
                Context context_of, Fit fit = {}) {
    if (keys.empty()) return;
    engine.retry(
        deadline,
        [&engine, promises, keys, route, build, settle, context_of, fit](const std::shared_ptr<retry_loop>& loop) {
            Request request = build(promises->pending_among(keys), loop->deadline());
            auto on_answer = [promises, keys, loop, settle, context_of](std::error_code ec, Response response,
                                                                        std::int16_t version) {
                if (ec && admin_engine::retriable(ec)) return loop->again();
                if (ec) return promises->fail_among(keys, ec, context_of);
                const auto verdict = settle(response, version);
                if (promises->pending_among(keys).empty()) return;
                if (verdict == answer_verdict::retry_open) return loop->again();
                promises->fail_among(keys, make_error_code(kafka_errc::unknown_server_error), context_of);
            };
            engine.dispatch(route, loop->deadline(),
                            make_request<Request, Response>(std::move(request), std::move(on_answer),
                                                            client_versions(Request::api_key), fit));
        },
        [promises, keys, context_of](std::error_code why) { promises->fail_among(keys, why, context_of); });
}

/// Sends `request` to any broker until it is answered (a response with a top-level
/// error_code); `done` gets the error (the call's or the answer's) and the answer.
template <class Request, class Response, class Done, class Fit = no_fit>
void single_call(admin_engine& engine, Request request, admin_engine::clock_type::time_point deadline, Done done,
                 Fit fit = {}) {
    engine.retry(
        deadline,
        [&engine, request, done, fit](const std::shared_ptr<retry_loop>& loop) {
            engine.dispatch(admin_route::any(), loop->deadline(),
                            make_request<Request, Response>(
                                request,
                                [loop, done](std::error_code ec, Response response, std::int16_t) {
                                    if (!ec) ec = kafka_error(response.error_code);
                                    if (ec && admin_engine::retriable(ec)) return loop->again();
                                    done(ec, response);
                                },
                                client_versions(Request::api_key), fit));
        },
        [done](std::error_code why) { done(why, Response{}); });
}

/// What an operation asking every broker gathers: the answers' content and the brokers
/// that failed, completed once the last broker is done.
template <class Out>
struct broker_gather {
    Out out;
    std::vector<std::pair<node_id, std::error_code>> errors;
    std::size_t outstanding = 0;
};

/// Sends `request` to every broker the cluster lists (a fresh Metadata answer), each
/// retried until answered or the deadline; `take(gather, response, version)` folds one
/// answer in, a broker that fails for good is listed in `errors`; `done(gather)` runs once
/// every broker is done, or `failed(error)` when the brokers cannot be listed.
template <class Request, class Response, class Out, class Take, class Done, class Failed>
void ask_every_broker(admin_engine& engine, Request request, admin_engine::clock_type::time_point deadline, Take take,
                      Done done, Failed failed) {
    engine.fetch_metadata(
        std::vector<std::string>{}, deadline, false,
        [&engine, request, deadline, take, done, failed](std::error_code ec, const protocol::metadata_response& response) {
            if (ec) return failed(ec);
            auto gather = std::make_shared<broker_gather<Out>>();
            gather->outstanding = response.brokers.size();
            if (gather->outstanding == 0) return done(*gather);
            auto one_done = [gather, done] {
                if (--gather->outstanding == 0) done(*gather);
            };
            for (const auto& b : response.brokers) {
                const auto node = b.node_id;
                engine.retry(
                    deadline,
                    [&engine, request, node, gather, take, one_done](const std::shared_ptr<retry_loop>& loop) {
                        engine.send<Request, Response>(
                            admin_route::to(node), loop->deadline(), request,
                            [node, gather, take, one_done, loop](std::error_code ec, Response r, std::int16_t version) {
                                if (!ec) ec = kafka_error(r.error_code);
                                if (ec && admin_engine::retriable(ec)) return loop->again();
                                if (ec) gather->errors.emplace_back(node_id(node), ec);
                                else take(*gather, r, version);
                                one_done();
                            });
                    },
                    [node, gather, one_done](std::error_code why) {
                        gather->errors.emplace_back(node_id(node), why);
                        one_done();
                    });
            }
        });
}

/// Milliseconds left before `deadline`, for a request's own timeout field (at least 1).
[[nodiscard]] inline std::int32_t ms_left(admin_engine::clock_type::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - admin_engine::clock_type::now());
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(left.count(), 1, std::numeric_limits<std::int32_t>::max()));
}

} // namespace kafkit::detail
