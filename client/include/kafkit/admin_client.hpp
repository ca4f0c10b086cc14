#pragma once
// kafkit::admin_client: Kafka's Admin API.
//
//   kafkit::admin_client admin({{"bootstrap.servers", "localhost:9092"}});
//   auto created = admin.create_topics({{.name = "orders", .partitions = 6, .replication_factor = 3}});
//   created.all().get();                         // throws kafkit::exception on the first failure
//   for (const auto& [name, topic] : admin.describe_topics({"orders"}).all().get()) ...
//
// Every operation returns at once with futures: one per entity it names (topic, group,
// config resource, partition) and one for all, as the Java client's KafkaFutures. A future's
// get() returns the entity's value or throws kafkit::exception whose code() is the Kafka
// error for that entity (kafka_errc), errc::timed_out once the operation's timeout
// (default.api.timeout.ms unless its options say) passed, or errc::closed. Requests go where
// Kafka routes them (the controller, a partition's leader, a group's coordinator, any
// broker); retriable errors (NOT_CONTROLLER, NOT_COORDINATOR, a lost connection, ...) are
// retried with backoff until the timeout.
//
// Thread-safe: any thread may start operations; futures complete on the client's I/O thread.

#include "kafkit/admin/cluster.hpp"
#include "kafkit/admin/configs.hpp"
#include "kafkit/admin/groups.hpp"
#include "kafkit/admin/offsets.hpp"
#include "kafkit/admin/result.hpp"
#include "kafkit/admin/topics.hpp"
#include "kafkit/config.hpp"
#include "kafkit/topic_partition.hpp"

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kafkit {

namespace detail {
class admin_engine;
}

class admin_client {
public:
    /// Validates `cfg` (throws kafkit::exception naming the first bad property) and starts
    /// connecting to bootstrap.servers.
    explicit admin_client(const config& cfg);
    /// close().
    ~admin_client();
    admin_client(const admin_client&) = delete;
    admin_client& operator=(const admin_client&) = delete;

    /// Ends every operation still open (their futures fail with errc::closed) and closes the
    /// connections. Later calls fail their futures with errc::closed. Idempotent.
    void close();

    // Topics.

    /// Creates topics (CreateTopics, to the controller). A name listed twice is created once.
    admin::keyed_result<std::string, admin::created_topic> create_topics(const std::vector<admin::new_topic>& topics,
                                                                         const admin::create_topics_options& options = {});
    /// Deletes topics by name (DeleteTopics, to the controller).
    admin::keyed_result<std::string, void> delete_topics(const std::vector<std::string>& names,
                                                         const admin::delete_topics_options& options = {});
    /// Deletes topics by id (DeleteTopics v6+, KIP-516).
    admin::keyed_result<protocol::uuid, void> delete_topics_by_id(const std::vector<protocol::uuid>& ids,
                                                                  const admin::delete_topics_options& options = {});
    /// The cluster's topics, by name; internal ones only with list_internal.
    std::shared_future<std::map<std::string, admin::topic_listing>> list_topics(
        const admin::list_topics_options& options = {});
    /// Partitions, leaders, replicas and in-sync replicas of each topic (Metadata).
    admin::keyed_result<std::string, admin::topic_description> describe_topics(
        const std::vector<std::string>& names, const admin::describe_topics_options& options = {});
    /// Raises topics' partition counts (CreatePartitions, to the controller).
    admin::keyed_result<std::string, void> create_partitions(const std::map<std::string, admin::new_partitions>& topics,
                                                             const admin::create_partitions_options& options = {});

    // Configs.

    /// Configs of topics, brokers, broker loggers, client metrics resources and groups
    /// (DescribeConfigs: a broker's own resources to that broker, the rest to any broker).
    admin::keyed_result<admin::config_resource, std::vector<admin::config_entry>> describe_configs(
        const std::vector<admin::config_resource>& resources, const admin::describe_configs_options& options = {});
    /// Sets, deletes, appends to or subtracts from config values (IncrementalAlterConfigs).
    admin::keyed_result<admin::config_resource, void> incremental_alter_configs(
        const std::map<admin::config_resource, std::vector<admin::alter_config_op>>& changes,
        const admin::alter_configs_options& options = {});
    /// Replaces each resource's whole dynamic config with the values given (AlterConfigs;
    /// what is not listed goes back to its default). Prefer incremental_alter_configs.
    admin::keyed_result<admin::config_resource, void> alter_configs(
        const std::map<admin::config_resource, std::map<std::string, std::string>>& configs,
        const admin::alter_configs_options& options = {});

    // Records and offsets.

    /// Offsets of partitions by spec (ListOffsets, to each partition's leader).
    admin::keyed_result<topic_partition, admin::listed_offset> list_offsets(
        const std::map<topic_partition, admin::offset_spec>& partitions, const admin::list_offsets_options& options = {});
    /// Deletes the records before each offset (DeleteRecords, to each partition's leader);
    /// record_offset(-1) deletes up to the high watermark.
    admin::keyed_result<topic_partition, admin::deleted_records> delete_records(
        const std::map<topic_partition, record_offset>& before, const admin::delete_records_options& options = {});

    // Consumer groups.

    /// Every broker's groups (ListGroups to each broker).
    std::shared_future<admin::consumer_group_listings> list_consumer_groups(
        const admin::list_consumer_groups_options& options = {});
    /// Members, assignments, state and coordinator of each group (ConsumerGroupDescribe for
    /// KIP-848 groups where the broker has it, DescribeGroups otherwise).
    admin::keyed_result<std::string, admin::consumer_group_description> describe_consumer_groups(
        const std::vector<std::string>& group_ids, const admin::describe_consumer_groups_options& options = {});
    /// Deletes empty groups and their offsets (DeleteGroups, to each coordinator).
    admin::keyed_result<std::string, void> delete_consumer_groups(const std::vector<std::string>& group_ids,
                                                                  const admin::call_options& options = {});
    /// Each group's committed offsets: of the partitions given, or of every partition it has
    /// committed when nullopt (OffsetFetch, groups batched per coordinator at v8+).
    admin::keyed_result<std::string, std::map<topic_partition, offset_and_metadata>> list_consumer_group_offsets(
        const std::map<std::string, std::optional<std::vector<topic_partition>>>& groups,
        const admin::list_consumer_group_offsets_options& options = {});
    /// Commits offsets for a group that has no active members (OffsetCommit outside any
    /// generation, as Kafka's tools do).
    admin::keyed_result<topic_partition, void> alter_consumer_group_offsets(
        const std::string& group_id, const std::map<topic_partition, offset_and_metadata>& offsets,
        const admin::call_options& options = {});
    /// Deletes a group's committed offsets of partitions it no longer subscribes to (OffsetDelete).
    admin::keyed_result<topic_partition, void> delete_consumer_group_offsets(const std::string& group_id,
                                                                             const std::set<topic_partition>& partitions,
                                                                             const admin::call_options& options = {});
    /// Removes members from a group (LeaveGroup v3+): the static members named, or every
    /// member. Keyed by group.instance.id, or by member id when removing every member.
    admin::keyed_result<std::string, void> remove_members_from_consumer_group(
        const std::string& group_id, const admin::remove_members_options& options = {});
    /// A group's lag per partition it has committed: committed offset next to the log end.
    std::shared_future<std::map<topic_partition, admin::partition_lag>> consumer_group_lag(
        const std::string& group_id, const admin::list_offsets_options& options = {});

    // Cluster.

    /// Brokers, controller and cluster id (DescribeCluster where the broker has it, Metadata
    /// otherwise).
    std::shared_future<admin::cluster_description> describe_cluster(const admin::describe_cluster_options& options = {});

private:
    std::unique_ptr<detail::admin_engine> engine_;
};

} // namespace kafkit
