#include "control/control_protocol.hpp"

#include "kafkit/protocol/kafka_error.hpp"
#include "kafkit/protocol/messages/api_table.hpp"

#include <limits>
#include <optional>
#include <stdexcept>
#include <string>

namespace kafkit::broker {
namespace {

using nlohmann::json;

/// A delay longer than an hour is a mistake in a test, not a fault anyone waits for.
constexpr std::int64_t max_delay_ms = 3600000;

/// Reads the fields of one request, naming the op and field in every complaint.
class request_fields {
public:
    /// `context` prefixes every complaint: the op, and for a nested object where it is.
    request_fields(const json& request, std::string context) : request_(request), context_(std::move(context)) {}

    [[nodiscard]] const std::string& context() const noexcept { return context_; }

    /// Refuses fields the op does not take: a misspelt field must not pass silently.
    void only(std::initializer_list<const char*> allowed) const {
        for (const auto& [name, value] : request_.items()) {
            if (name == "op" || name == "id") continue;
            bool known = false;
            for (const char* a : allowed) known = known || name == a;
            if (!known) fail("unknown field \"" + name + "\"");
        }
    }

    /// An integer field in [min, max]; `fallback` when absent (required when nullopt).
    std::int64_t integer(const char* name, std::optional<std::int64_t> fallback, std::int64_t min,
                         std::int64_t max) const {
        const json* v = find(name);
        if (!v) return required(name, fallback);
        const bool fits = v->is_number_integer() &&
                          !(v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max));
        const std::int64_t value = fits ? v->get<std::int64_t>() : 0;
        if (!fits || value < min || value > max)
            fail("field \"" + std::string(name) + "\" must be an integer from " + std::to_string(min) + " to " +
                 std::to_string(max));
        return value;
    }

    bool boolean(const char* name) const {
        const json* v = find(name);
        if (!v) fail("field \"" + std::string(name) + "\" is required");
        if (!v->is_boolean()) fail("field \"" + std::string(name) + "\" must be true or false");
        return v->get<bool>();
    }

    std::string string(const char* name, std::optional<std::string> fallback) const {
        const json* v = find(name);
        if (!v) return required(name, std::move(fallback));
        if (!v->is_string()) fail("field \"" + std::string(name) + "\" must be a string");
        return v->get<std::string>();
    }

    const json& array(const char* name) const {
        const json* v = find(name);
        if (!v) fail("field \"" + std::string(name) + "\" is required");
        if (!v->is_array()) fail("field \"" + std::string(name) + "\" must be an array");
        return *v;
    }

    /// A node id: -1 (every node) only where the op allows it.
    std::int32_t node(bool any_allowed) const {
        const auto min = any_allowed ? -1 : 0;
        return static_cast<std::int32_t>(integer("node", any_allowed ? std::optional<std::int64_t>(-1) : std::nullopt,
                                                 min, std::numeric_limits<std::int32_t>::max()));
    }

    /// An api key the codec knows, or -1 where "every API" makes sense.
    std::int16_t api_key(std::optional<std::int64_t> fallback, bool any_allowed) const {
        const auto key = static_cast<std::int16_t>(
            integer("api_key", fallback, any_allowed ? -1 : 0, std::numeric_limits<std::int16_t>::max()));
        if (key != -1 && !protocol::find_api(key)) fail("unknown api_key " + std::to_string(key));
        return key;
    }

    [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(context_ + ": " + what); }

private:
    const json* find(const char* name) const {
        auto it = request_.find(name);
        return it == request_.end() ? nullptr : &*it;
    }
    template <class T>
    T required(const char* name, std::optional<T> fallback) const {
        if (!fallback) fail("field \"" + std::string(name) + "\" is required");
        return std::move(*fallback);
    }

    const json& request_;
    std::string context_;
};

std::vector<injected_error> read_errors(const request_fields& fields) {
    const json& list = fields.array("errors");
    if (list.empty()) fields.fail("field \"errors\" must not be empty");
    std::vector<injected_error> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        request_fields entry(list[i], fields.context() + ": errors[" + std::to_string(i) + "]");
        if (!list[i].is_object()) entry.fail("must be an object {\"code\":N,\"delay_ms\":N}");
        entry.only({"code", "delay_ms"});
        const auto code = static_cast<std::int16_t>(entry.integer("code", std::nullopt, -1, 32767));
        // Only codes Kafka defines: a client cannot be expected to handle anything else.
        if (!find_kafka_error(code)) entry.fail("unknown Kafka error code " + std::to_string(code));
        injected_error e;
        e.error_code = code;
        e.delay = std::chrono::milliseconds(entry.integer("delay_ms", 0, 0, max_delay_ms));
        out.push_back(e);
    }
    return out;
}

/// Runs one parsed request; returns the response fields besides "ok".
json run(const json& request, control_target& target, bool& shutdown) {
    if (!request.is_object()) throw std::invalid_argument("a request must be a JSON object with an \"op\"");
    auto op_field = request.find("op");
    if (op_field == request.end() || !op_field->is_string())
        throw std::invalid_argument("field \"op\" is required and must be a string");
    const std::string op = op_field->get<std::string>();
    const request_fields f(request, op);
    json out = json::object();
    if (op == "push_request_errors") {
        f.only({"node", "api_key", "errors"});
        const auto node = f.node(true);
        const auto key = f.api_key(std::nullopt, false);
        target.push_request_errors(node, key, read_errors(f));
    } else if (op == "set_response_delay") {
        f.only({"node", "api_key", "delay_ms"});
        const auto node = f.node(true);
        const auto key = f.api_key(-1, true);
        target.set_response_delay(node, key, std::chrono::milliseconds(f.integer("delay_ms", std::nullopt, 0, max_delay_ms)));
    } else if (op == "drop_connections") {
        f.only({"node", "client_id"});
        const auto node = f.node(true);
        out["dropped"] = target.drop_connections(node, f.string("client_id", std::string()));
    } else if (op == "set_node_up") {
        f.only({"node", "up"});
        const auto node = f.node(false);
        target.set_node_up(node, f.boolean("up"));
    } else if (op == "set_partition_leader") {
        f.only({"topic", "partition", "node"});
        const auto topic = f.string("topic", std::nullopt);
        const auto partition = static_cast<std::int32_t>(f.integer("partition", std::nullopt, 0, std::numeric_limits<std::int32_t>::max()));
        target.set_partition_leader(topic, partition, f.node(false));
    } else if (op == "create_topic") {
        f.only({"topic", "partitions", "replication_factor"});
        const auto topic = f.string("topic", std::nullopt);
        const auto partitions = static_cast<std::int32_t>(f.integer("partitions", 1, 1, 100000));
        const auto replication = static_cast<std::int16_t>(f.integer("replication_factor", -1, -1, 32767));
        if (replication == 0) f.fail("field \"replication_factor\" must be -1 (the default) or positive");
        target.create_topic(topic, partitions, replication);
    } else if (op == "clear") {
        f.only({});
        target.clear();
    } else if (op == "describe") {
        f.only({});
        out = target.describe();
    } else if (op == "shutdown") {
        f.only({});
        shutdown = true;
    } else {
        throw std::invalid_argument("unknown op \"" + op +
                                    "\" (push_request_errors, set_response_delay, drop_connections, set_node_up, "
                                    "set_partition_leader, create_topic, clear, describe, shutdown)");
    }
    return out;
}

std::string serialize(const json& response) {
    // Error messages may quote bytes from the request: never fail on bad UTF-8.
    return response.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace

control_reply handle_control_line(std::string_view line, control_target& target) {
    control_reply reply;
    json request;
    try {
        request = json::parse(line);
    } catch (const json::exception& e) {
        reply.line = serialize({{"ok", false}, {"error", std::string("malformed JSON: ") + e.what()}});
        return reply;
    }
    json response;
    try {
        bool shutdown = false;
        response = run(request, target, shutdown);
        response["ok"] = true;
        reply.shutdown = shutdown;
    } catch (const std::exception& e) {
        response = {{"ok", false}, {"error", e.what()}};
    }
    if (request.is_object())
        if (auto id = request.find("id"); id != request.end()) response["id"] = *id;
    reply.line = serialize(response);
    return reply;
}

} // namespace kafkit::broker
