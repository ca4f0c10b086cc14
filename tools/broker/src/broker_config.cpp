#include "kafkit/broker/broker_config.hpp"

#include <charconv>
#include <fstream>
#include <limits>
#include <stdexcept>

namespace kafkit::broker {
namespace {

[[noreturn]] void bad_value(const std::string& name, const std::string& value, const std::string& why) {
    throw std::invalid_argument("invalid value \"" + value + "\" for property " + name + ": " + why);
}

template <class T>
T parse_integer(const std::string& name, const std::string& value, T min = std::numeric_limits<T>::min(),
                T max = std::numeric_limits<T>::max()) {
    long long parsed = 0;
    const auto* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, parsed);
    if (ec != std::errc{} || ptr != end) bad_value(name, value, "not an integer");
    if (parsed < static_cast<long long>(min) || parsed > static_cast<long long>(max))
        bad_value(name, value, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return static_cast<T>(parsed);
}

bool parse_bool(const std::string& name, const std::string& value) {
    if (value == "true") return true;
    if (value == "false") return false;
    bad_value(name, value, "must be true or false");
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

} // namespace

listen_address parse_listen_address(const std::string& text, const std::string& what) {
    // Accepts Kafka's listener form too: "PLAINTEXT://host:port".
    std::string rest = text;
    if (auto scheme = rest.find("://"); scheme != std::string::npos) {
        if (rest.substr(0, scheme) != "PLAINTEXT")
            throw std::invalid_argument("invalid " + what + " \"" + text + "\": only PLAINTEXT listeners are served");
        rest = rest.substr(scheme + 3);
    }
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("invalid " + what + " \"" + text + "\": expected HOST:PORT");
    listen_address out;
    out.host = rest.substr(0, colon);
    if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    if (out.host.empty()) out.host = "127.0.0.1";
    out.port = parse_integer<std::uint16_t>(what, rest.substr(colon + 1));
    return out;
}

void set_property(broker_config& c, const std::string& name, const std::string& value) {
    if (name == "listeners") {
        c.listeners.clear();
        std::string item;
        for (std::size_t start = 0; start <= value.size();) {
            const auto comma = value.find(',', start);
            item = trim(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
            if (!item.empty()) c.listeners.push_back(parse_listen_address(item, name));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        if (c.listeners.empty()) bad_value(name, value, "no listener given");
    } else if (name == "brokers") {
        c.brokers = parse_integer<int>(name, value, 1, 64);
    } else if (name == "node.id" || name == "broker.id") {
        c.first_node_id = parse_integer<std::int32_t>(name, value, 0);
    } else if (name == "rack.prefix") {
        c.rack_prefix = value;
    } else if (name == "data.dir" || name == "log.dirs" || name == "log.dir") {
        if (value.empty()) c.data_dir.reset();
        else c.data_dir = value;
    } else if (name == "sync") {
        c.sync = parse_bool(name, value);
    } else if (name == "cluster.id") {
        c.cluster_id = value;
    } else if (name == "num.partitions") {
        c.num_partitions = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "default.replication.factor") {
        c.default_replication_factor = parse_integer<std::int16_t>(name, value, 1);
    } else if (name == "auto.create.topics.enable") {
        c.auto_create_topics = parse_bool(name, value);
    } else if (name == "log.segment.bytes") {
        c.log_segment_bytes = parse_integer<std::int64_t>(name, value, 14);
    } else if (name == "log.retention.ms") {
        c.log_retention_ms = parse_integer<std::int64_t>(name, value, -1);
    } else if (name == "log.retention.minutes") {
        c.log_retention_ms = parse_integer<std::int64_t>(name, value, -1) * 60000;
    } else if (name == "log.retention.hours") {
        c.log_retention_ms = parse_integer<std::int64_t>(name, value, -1) * 3600000;
    } else if (name == "log.retention.bytes") {
        c.log_retention_bytes = parse_integer<std::int64_t>(name, value, -1);
    } else if (name == "log.retention.check.interval.ms") {
        c.log_retention_check_interval_ms = parse_integer<std::int64_t>(name, value, 1);
    } else if (name == "message.max.bytes") {
        c.message_max_bytes = parse_integer<std::int32_t>(name, value, 0);
    } else if (name == "socket.request.max.bytes") {
        c.socket_request_max_bytes = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "group.initial.rebalance.delay.ms") {
        c.group_initial_rebalance_delay_ms = parse_integer<std::int32_t>(name, value, 0);
    } else if (name == "group.min.session.timeout.ms") {
        c.group_min_session_timeout_ms = parse_integer<std::int32_t>(name, value, 0);
    } else if (name == "group.max.session.timeout.ms") {
        c.group_max_session_timeout_ms = parse_integer<std::int32_t>(name, value, 0);
    } else if (name == "group.consumer.session.timeout.ms") {
        c.group_consumer_session_timeout_ms = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "group.consumer.heartbeat.interval.ms") {
        c.group_consumer_heartbeat_interval_ms = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "group.consumer.max.size") {
        c.group_consumer_max_size = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "offsets.retention.minutes") {
        c.offsets_retention_minutes = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "transactional.id.expiration.ms") {
        c.transactional_id_expiration_ms = parse_integer<std::int32_t>(name, value, 1);
    } else if (name == "control.listener") {
        if (value.empty()) c.control_listener.reset();
        else c.control_listener = parse_listen_address(value, name);
    } else if (name == "log.level") {
        c.log_level = parse_integer<int>(name, value, 0, 3);
    } else {
        throw std::invalid_argument("unknown property " + name);
    }
}

void load_properties_file(broker_config& config, const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw std::invalid_argument("cannot read properties file " + file.string());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        const std::string text = trim(line);
        if (text.empty() || text[0] == '#' || text[0] == '!') continue;
        const auto sep = text.find_first_of("=:");
        if (sep == std::string::npos)
            throw std::invalid_argument(file.string() + ":" + std::to_string(number) + ": expected name=value");
        try {
            set_property(config, trim(text.substr(0, sep)), trim(text.substr(sep + 1)));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(file.string() + ":" + std::to_string(number) + ": " + e.what());
        }
    }
}

void validate(const broker_config& c) {
    if (c.listeners.empty()) throw std::invalid_argument("property listeners: at least one listener is needed");
    if (c.brokers < 1) throw std::invalid_argument("property brokers: must be at least 1");
    if (static_cast<std::size_t>(c.brokers) < c.listeners.size())
        throw std::invalid_argument("property listeners: " + std::to_string(c.listeners.size()) +
                                    " listeners given for " + std::to_string(c.brokers) + " broker(s)");
    if (c.default_replication_factor > c.brokers)
        throw std::invalid_argument("property default.replication.factor: " +
                                    std::to_string(c.default_replication_factor) + " is more than the " +
                                    std::to_string(c.brokers) + " broker(s)");
    if (c.group_min_session_timeout_ms > c.group_max_session_timeout_ms)
        throw std::invalid_argument("property group.min.session.timeout.ms: larger than group.max.session.timeout.ms");
    // Kafka's GroupCoordinatorConfig requires the same of KIP-848 groups.
    if (c.group_consumer_heartbeat_interval_ms >= c.group_consumer_session_timeout_ms)
        throw std::invalid_argument(
            "property group.consumer.heartbeat.interval.ms: must be less than group.consumer.session.timeout.ms");
}

} // namespace kafkit::broker
