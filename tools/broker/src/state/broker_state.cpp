#include "state/broker_state.hpp"

#include "group/group_coordinator.hpp"
#include "server/scheduler.hpp"
#include "state/fault_injector.hpp"
#include "state/fetch_session_cache.hpp"
#include "state/producer_registry.hpp"
#include "state/replica_assignment.hpp"
#include "state/topic_config.hpp"

#include <algorithm>
#include <set>

namespace kafkit::broker {

broker_state::broker_state(const broker_config& config, scheduler& timers, std::vector<broker_node> nodes)
    : config_(config), static_config_(config), timers_(timers), nodes_(std::move(nodes)),
      random_(std::random_device{}()) {
    cluster_id_ = config_.cluster_id;
    if (config_.data_dir) load_metadata();
    apply_dynamic_configs();
    if (cluster_id_.empty()) cluster_id_ = random_uuid().to_string();
    groups_ = std::make_unique<group_coordinator>(*this);
    producers_ = std::make_unique<producer_registry>(*this);
    fetch_sessions_ = std::make_unique<fetch_session_cache>(*this);
    faults_ = std::make_unique<fault_injector>();
    if (config_.data_dir) save_metadata();
}

broker_state::~broker_state() = default;

broker_node* broker_state::find_node(std::int32_t id) noexcept {
    for (auto& n : nodes_)
        if (n.id == id) return &n;
    return nullptr;
}

std::int32_t broker_state::controller_id() const noexcept {
    for (const auto& n : nodes_)
        if (n.up) return n.id;
    return -1;
}

topic* broker_state::find_topic(std::string_view name) const noexcept {
    auto it = topics_.find(name);
    return it == topics_.end() ? nullptr : it->second.get();
}

topic* broker_state::find_topic(const protocol::uuid& id) const noexcept {
    if (id.is_zero()) return nullptr;
    for (const auto& [name, t] : topics_)
        if (t->id == id) return t.get();
    return nullptr;
}

std::string broker_state::invalid_topic_name_reason(std::string_view name) {
    // Kafka's rules (org.apache.kafka.common.internals.Topic): 1 to 249 characters of
    // [a-zA-Z0-9._-], and not "." or "..".
    if (name.empty()) return "Topic name is illegal, it can't be empty";
    if (name == "." || name == "..") return "Topic name cannot be \".\" or \"..\"";
    if (name.size() > 249)
        return "Topic name is illegal, it can't be longer than 249 characters, topic name: " + std::string(name);
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '_' || c == '-';
        if (!ok)
            return "Topic name \"" + std::string(name) +
                   "\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'";
    }
    return {};
}

std::vector<std::int32_t> broker_state::automatic_replicas(std::int32_t index, std::int16_t replication_factor) {
    std::vector<std::int32_t> replicas;
    const auto n = static_cast<std::int32_t>(nodes_.size());
    const auto start = static_cast<std::int32_t>(placement_counter_ % static_cast<std::uint32_t>(n));
    for (std::int32_t r = 0; r < replication_factor; ++r)
        replicas.push_back(nodes_[static_cast<std::size_t>((start + index + r) % n)].id);
    return replicas;
}

std::unique_ptr<partition_log> broker_state::make_log(const std::string& topic_name, std::int32_t index) {
    if (!config_.data_dir) return make_memory_log(config_.log_segment_bytes);
    return open_file_log(*config_.data_dir / (topic_name + "-" + std::to_string(index)), config_.log_segment_bytes);
}

std::unique_ptr<partition> broker_state::make_partition(const std::string& topic_name, std::int32_t index,
                                                        std::vector<std::int32_t> replicas) {
    auto p = std::make_unique<partition>();
    p->index = index;
    p->replicas = std::move(replicas);
    p->leader = p->replicas.empty() ? -1 : p->replicas.front();
    p->log = make_log(topic_name, index);
    return p;
}

topic_result broker_state::create_topic(const topic_spec& spec, bool validate_only) {
    // The order of checks is the KRaft controller's (ReplicationControlManager.createTopics):
    // name, existence, name collisions, configs, then partitions and replicas.
    if (auto reason = invalid_topic_name_reason(spec.name); !reason.empty())
        return {kafka_errc::invalid_topic_exception, reason};
    if (find_topic(spec.name))
        return {kafka_errc::topic_already_exists, "Topic '" + spec.name + "' already exists."};
    if (spec.name.find_first_of("._") != std::string::npos) {
        // '.' and '_' collide in metric names (Topic.hasCollisionChars).
        auto unify = [](std::string n) {
            std::replace(n.begin(), n.end(), '.', '_');
            return n;
        };
        for (const auto& [existing, t] : topics_)
            if (unify(existing) == unify(spec.name))
                return {kafka_errc::invalid_topic_exception,
                        "Topic '" + spec.name + "' collides with existing topic: " + existing};
    }
    if (auto reason = topic_configs_error(spec.configs); !reason.empty()) return {kafka_errc::invalid_config, reason};
    if (!spec.assignment.empty() && spec.replication_factor != -1)
        return {kafka_errc::invalid_request,
                "A manual partition assignment was specified, but replication factor was not set to -1."};
    if (!spec.assignment.empty() && spec.partitions != -1)
        return {kafka_errc::invalid_request,
                "A manual partition assignment was specified, but numPartitions was not set to -1."};
    const std::int32_t partitions = spec.partitions == -1 ? config_.num_partitions : spec.partitions;
    const std::int16_t replication = spec.replication_factor == -1 ? config_.default_replication_factor
                                                                   : spec.replication_factor;
    if (spec.assignment.empty() && (spec.replication_factor < -1 || spec.replication_factor == 0))
        return {kafka_errc::invalid_replication_factor,
                "Replication factor must be larger than 0, or -1 to use the default value."};
    if (spec.assignment.empty() && partitions <= 0)
        return {kafka_errc::invalid_partitions, "Number of partitions was set to an invalid non-positive value."};
    if (spec.assignment.empty() && static_cast<std::size_t>(replication) > nodes_.size())
        return {kafka_errc::invalid_replication_factor,
                "Unable to replicate the partition " + std::to_string(replication) +
                    " time(s): The target replication factor of " + std::to_string(replication) +
                    " cannot be reached because only " + std::to_string(nodes_.size()) +
                    " broker(s) are registered."};
    if (auto reason = assignment_error(spec.assignment, nodes_, 0); !reason.empty())
        return {kafka_errc::invalid_replica_assignment, reason};
    if (validate_only) return {};

    auto t = std::make_unique<topic>();
    t->name = spec.name;
    t->id = random_uuid();
    t->configs = spec.configs;
    t->internal = spec.name == "__consumer_offsets" || spec.name == "__transaction_state";
    const auto count = spec.assignment.empty() ? partitions : static_cast<std::int32_t>(spec.assignment.size());
    for (std::int32_t i = 0; i < count; ++i)
        t->partitions.push_back(make_partition(
            spec.name, i, spec.assignment.empty() ? automatic_replicas(i, replication) : spec.assignment[static_cast<std::size_t>(i)]));
    ++placement_counter_;
    topic* created = t.get();
    topics_.emplace(spec.name, std::move(t));
    save_metadata();
    return {kafka_errc::none, {}, created};
}

topic_result broker_state::auto_create_topic(std::string_view name) {
    if (!config_.auto_create_topics) return {kafka_errc::unknown_topic_or_partition, "This server does not host this topic-partition."};
    topic_spec spec;
    spec.name = std::string(name);
    auto result = create_topic(spec, false);
    // Kafka answers the request that created a topic with LEADER_NOT_AVAILABLE only while
    // its leaders are being elected; ours are ready at once.
    return result;
}

topic_result broker_state::delete_topic(std::string_view name) {
    auto it = topics_.find(name);
    if (it == topics_.end()) return {kafka_errc::unknown_topic_or_partition, "This server does not host this topic-partition."};
    for (auto& p : it->second->partitions) {
        p->notify_append(); // wake long-polling fetches: they answer UNKNOWN_TOPIC_OR_PARTITION
        p->log->destroy();
    }
    groups_->forget_topic(name); // committed offsets go with the topic, as in Kafka
    topics_.erase(it);
    save_metadata();
    return {};
}

topic_result broker_state::add_partitions(std::string_view name, std::int32_t total,
                                          const std::vector<std::vector<std::int32_t>>& assignment,
                                          bool validate_only) {
    // KRaft's ReplicationControlManager.createPartitions checks and messages.
    topic* t = find_topic(name);
    if (!t) return {kafka_errc::unknown_topic_or_partition, {}};
    const auto current = static_cast<std::int32_t>(t->partitions.size());
    if (total == current)
        return {kafka_errc::invalid_partitions, "Topic already has " + std::to_string(current) + " partition(s)."};
    if (total < current)
        return {kafka_errc::invalid_partitions, "The topic " + t->name + " currently has " + std::to_string(current) +
                                                    " partition(s); " + std::to_string(total) +
                                                    " would not be an increase."};
    if (!assignment.empty() && static_cast<std::int32_t>(assignment.size()) != total - current)
        return {kafka_errc::invalid_replica_assignment,
                "Attempted to add " + std::to_string(total - current) + " additional partition(s), but only " +
                    std::to_string(assignment.size()) + " assignment(s) were specified."};
    if (auto reason = assignment_error(assignment, nodes_, t->partitions.front()->replicas.size()); !reason.empty())
        return {kafka_errc::invalid_replica_assignment, reason};
    if (validate_only) return {kafka_errc::none, {}, t};
    const auto replication = static_cast<std::int16_t>(t->partitions.front()->replicas.size());
    for (std::int32_t i = current; i < total; ++i)
        t->partitions.push_back(make_partition(
            t->name, i, assignment.empty() ? automatic_replicas(i, replication) : assignment[static_cast<std::size_t>(i - current)]));
    save_metadata();
    return {kafka_errc::none, {}, t};
}

bool broker_state::move_leader(topic& t, std::int32_t index, std::int32_t node_id) {
    partition* p = t.find_partition(index);
    if (!p || !find_node(node_id)) return false;
    p->new_leader(node_id);
    if (std::find(p->replicas.begin(), p->replicas.end(), node_id) == p->replicas.end())
        p->replicas.insert(p->replicas.begin(), node_id);
    save_metadata();
    p->notify_append(); // fetchers waiting on the old leader answer NOT_LEADER_OR_FOLLOWER
    return true;
}

void broker_state::flush_all() {
    for (auto& [name, t] : topics_)
        for (auto& p : t->partitions) (void)p->log->flush();
}

void broker_state::begin_shutdown() {
    stopping_ = true;
    for (auto& [name, t] : topics_)
        for (auto& p : t->partitions) p->notify_append();
}

void broker_state::apply_retention() {
    const auto now = scheduler::wall_clock_ms();
    for (auto& [name, t] : topics_) {
        const auto cfg = resolve_topic_config(config_, *t);
        for (auto& p : t->partitions) p->log->apply_retention(now, cfg.retention_ms, cfg.retention_bytes);
    }
}

std::int64_t broker_state::next_producer_id() {
    const auto id = next_producer_id_++;
    save_metadata();
    return id;
}

protocol::uuid broker_state::random_uuid() {
    protocol::uuid id;
    do {
        for (std::size_t i = 0; i < 16; i += 8) {
            const auto v = random_();
            for (std::size_t b = 0; b < 8; ++b) id.bytes[i + b] = static_cast<std::uint8_t>(v >> (8 * b));
        }
        id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0f) | 0x40); // version 4
        id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3f) | 0x80); // IETF variant
    } while (id.is_zero());
    return id;
}

} // namespace kafkit::broker
