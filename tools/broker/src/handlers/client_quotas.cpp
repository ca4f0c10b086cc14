// DescribeClientQuotas (key 48, v0-1) and AlterClientQuotas (key 49, v0-1), KIP-546: quota
// values per user, client id, (user, client id) or IP entity, validated as the KRaft
// controller's ClientQuotaControlManager does and matched as its ClientQuotasImage does
// (EXACT, DEFAULT and SPECIFIED components, strict). Stored, never enforced.

#include "handlers/handlers.hpp"
#include "kafkit/protocol/messages/alter_client_quotas.hpp"
#include "kafkit/protocol/messages/describe_client_quotas.hpp"
#include "state/broker_state.hpp"
#include "state/quota_store.hpp"

#include <arpa/inet.h>

#include <cmath>
#include <limits>
#include <set>

namespace kafkit::broker {
namespace {

using protocol::alter_client_quotas_request;
using protocol::alter_client_quotas_response;
using protocol::describe_client_quotas_request;
using protocol::describe_client_quotas_response;

constexpr const char* user_type = "user";
constexpr const char* client_id_type = "client-id";
constexpr const char* ip_type = "ip";

/// A failed check: code and Kafka's message.
struct quota_error {
    kafka_errc error = kafka_errc::none;
    std::string message;
    explicit operator bool() const { return error != kafka_errc::none; }
};

quota_error invalid(std::string message) { return {kafka_errc::invalid_request, std::move(message)}; }

/// The type of each quota key an entity may have (QuotaConfigs): integral ones refuse
/// fractions and values past their range.
enum class quota_type { long_type, int_type, double_type };

std::map<std::string, quota_type> keys_for(const quota_entity& entity) {
    if (entity.contains(ip_type)) return {{"connection_creation_rate", quota_type::int_type}};
    return {{"producer_byte_rate", quota_type::long_type},
            {"consumer_byte_rate", quota_type::long_type},
            {"request_percentage", quota_type::double_type},
            {"controller_mutation_rate", quota_type::double_type}};
}

/// Kafka takes an IP entity name through InetAddress.getByName; the broker resolves no
/// host names, so it takes IP literals only.
bool valid_ip(const std::optional<std::string>& name) {
    if (!name) return true;
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, name->c_str(), buffer) == 1 || ::inet_pton(AF_INET6, name->c_str(), buffer) == 1;
}

/// Kafka's ClientQuotaEntity.toString, entries by type.
std::string entity_text(const quota_entity& entity) {
    std::string out = "ClientQuotaEntity(entries={";
    for (const auto& [type, name] : entity) {
        if (out.back() != '{') out += ", ";
        out += type + "=" + name.value_or("null");
    }
    return out + "})";
}

/// validateEntity and configKeysForEntityType.
quota_error invalid_entity(const quota_entity& entity) {
    if (entity.empty()) return invalid("Invalid empty client quota entity");
    for (const auto& [type, name] : entity) {
        if (type != user_type && type != client_id_type && type != ip_type)
            return {kafka_errc::unsupported_version, "Unhandled client quota entity type: " + type};
        if (name && name->empty()) return invalid("Empty " + type + " not supported");
    }
    if (entity.contains(ip_type)) {
        if (entity.size() > 1)
            return invalid("Invalid quota entity combination, IP entity should not be combined with User or ClientId");
        if (!valid_ip(entity.at(ip_type)))
            return invalid(entity.at(ip_type).value_or("null") + " is not a valid IP or resolvable host.");
    }
    return {};
}

/// validateQuotaKeyValue.
quota_error invalid_value(const std::map<std::string, quota_type>& keys, const std::string& key, double value) {
    auto it = keys.find(key);
    if (it == keys.end()) return invalid("Invalid configuration key " + key);
    if (value <= 0.0) return invalid("Quota " + key + " must be greater than 0");
    if (it->second == quota_type::double_type) return {};
    if (it->second == quota_type::int_type && value > std::numeric_limits<std::int32_t>::max())
        return invalid("Proposed value for " + key + " is too large for an INT.");
    if (it->second == quota_type::long_type && value > static_cast<double>(std::numeric_limits<std::int64_t>::max()))
        return invalid("Proposed value for " + key + " is too large for a LONG.");
    if (std::abs(std::fmod(value, 1.0)) > 1e-10) return invalid(key + " cannot be a fractional value.");
    return {};
}

/// Checks one entry and, unless `validate_only`, applies it (all its ops or none).
quota_error alter_entity(quota_store& store, const quota_entity& entity, const alter_client_quotas_request::entry_data& entry,
                         bool validate_only) {
    if (auto error = invalid_entity(entity)) return error;
    const auto keys = keys_for(entity);
    for (const auto& op : entry.ops)
        if (!op.remove)
            if (auto error = invalid_value(keys, op.key, op.value)) return error;
    if (!validate_only)
        for (const auto& op : entry.ops) store.apply(entity, op.key, op.remove ? std::nullopt : std::optional(op.value));
    return {};
}

quota_entity to_entity(const std::vector<alter_client_quotas_request::entity_data>& data) {
    quota_entity entity;
    for (const auto& e : data) entity[e.entity_type] = e.entity_name; // a repeated type: the last wins, as in Kafka
    return entity;
}

bool has_duplicate_key(const alter_client_quotas_request::entry_data& entry) {
    std::set<std::string> seen;
    for (const auto& op : entry.ops)
        if (!seen.insert(op.key).second) return true;
    return false;
}

/// A DescribeClientQuotas filter: types that must have this name (null: the default
/// entity), and types that must be present with any name.
struct quota_filter {
    std::map<std::string, std::optional<std::string>> exact;
    std::set<std::string> specified;
    bool strict = false;

    [[nodiscard]] bool matches(const quota_entity& entity) const {
        if (strict && entity.size() != exact.size() + specified.size()) return false;
        for (const auto& [type, name] : exact) {
            auto it = entity.find(type);
            if (it == entity.end() || it->second != name) return false;
        }
        for (const auto& type : specified)
            if (!entity.contains(type)) return false;
        return true;
    }
};

constexpr std::int8_t match_exact = 0, match_default = 1, match_specified = 2;

/// Builds the filter, or the error ClientQuotasImage.describe throws.
quota_error build_filter(const describe_client_quotas_request& request, quota_filter& filter) {
    filter.strict = request.strict;
    for (const auto& c : request.components) {
        const auto& type = c.entity_type;
        if (type.empty()) return invalid("Invalid empty entity type.");
        if (filter.exact.contains(type) || filter.specified.contains(type))
            return invalid("Entity type " + type + " cannot appear more than once in the filter.");
        if (type != user_type && type != client_id_type && type != ip_type)
            return {kafka_errc::unsupported_version, "Unsupported entity type " + type};
        if (c.match_type == match_exact) {
            if (!c.match) return invalid("Request specified MATCH_TYPE_EXACT, but set match string to null.");
            filter.exact[type] = c.match;
        } else if (c.match_type == match_default || c.match_type == match_specified) {
            const bool is_default = c.match_type == match_default;
            if (c.match)
                return invalid(std::string("Request specified ") + (is_default ? "MATCH_TYPE_DEFAULT" : "MATCH_TYPE_SPECIFIED") +
                               ", but also specified a match string.");
            if (is_default) filter.exact[type] = std::nullopt;
            else filter.specified.insert(type);
        } else {
            return invalid("Unknown match type " + std::to_string(c.match_type));
        }
    }
    auto uses = [&](const char* type) { return filter.exact.contains(type) || filter.specified.contains(type); };
    if (uses(ip_type) && (uses(user_type) || uses(client_id_type)))
        return invalid("Invalid entity filter component combination. IP filter component should not be used with user "
                       "or clientId filter component.");
    return {};
}

describe_client_quotas_response::entry_data describe_entry(const quota_entity& entity, const quota_values& values) {
    describe_client_quotas_response::entry_data out;
    for (const auto& [type, name] : entity) out.entity.push_back({type, name, {}});
    for (const auto& [key, value] : values) out.values.push_back({key, value, {}});
    return out;
}

} // namespace

void handle_describe_client_quotas(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<describe_client_quotas_request>(ctx, body);
    if (!request) return;
    describe_client_quotas_response response;
    response.error_message = std::nullopt;
    quota_filter filter;
    quota_error error = ctx.injected_error != 0 ? quota_error{static_cast<kafka_errc>(ctx.injected_error), {}}
                                                : build_filter(*request, filter);
    if (error) {
        // An error answer carries no entries (DescribeClientQuotasRequest.getErrorResponse).
        response.error_code = static_cast<std::int16_t>(error.error);
        if (!error.message.empty()) response.error_message = error.message;
        response.entries = std::nullopt;
    } else {
        for (const auto& [entity, values] : ctx.state.client_quotas().entities())
            if (filter.matches(entity)) response.entries->push_back(describe_entry(entity, values));
    }
    reply<describe_client_quotas_response>(ctx).send(response);
}

void handle_alter_client_quotas(request_context& ctx, protocol::bytes_view body) {
    auto request = decode_request<alter_client_quotas_request>(ctx, body);
    if (!request) return;
    auto& store = ctx.state.client_quotas();
    alter_client_quotas_response response;
    // One answer per entity (AlterClientQuotasResponse.fromQuotaEntities): a repeated entity
    // turns the first answer into an error, though the first alteration stays applied.
    std::map<quota_entity, std::size_t> answered;
    bool changed = false;
    for (const auto& entry : request->entries) {
        const auto entity = to_entity(entry.entity);
        const auto [at, first] = answered.emplace(entity, response.entries.size());
        quota_error error;
        if (ctx.injected_error != 0) error = {static_cast<kafka_errc>(ctx.injected_error), {}};
        // Kafka reports a repeated key with the repeated-entity message too
        // (ClientQuotaControlManager.alterClientQuotas overwrites its own error).
        else if (!first || has_duplicate_key(entry)) error = invalid("Ignoring duplicate entity " + entity_text(entity));
        else if ((error = alter_entity(store, entity, entry, request->validate_only)); !error)
            changed |= !request->validate_only && !entry.ops.empty();
        if (first) {
            response.entries.emplace_back();
            for (const auto& [type, name] : entity) response.entries.back().entity.push_back({type, name, {}});
        }
        auto& out = response.entries[at->second];
        out.error_code = static_cast<std::int16_t>(error.error);
        out.error_message = error.message.empty() ? std::nullopt : std::optional(error.message);
    }
    if (changed) ctx.state.save_metadata();
    reply<alter_client_quotas_response>(ctx).send(response);
}

} // namespace kafkit::broker
