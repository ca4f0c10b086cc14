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

#include "kafkit/admin/acls.hpp"
#include "kafkit/admin/cluster.hpp"
#include "kafkit/admin/configs.hpp"
#include "kafkit/admin/features.hpp"
#include "kafkit/admin/groups.hpp"
#include "kafkit/admin/offsets.hpp"
#include "kafkit/admin/replicas.hpp"
#include "kafkit/admin/result.hpp"
#include "kafkit/admin/security.hpp"
#include "kafkit/admin/tokens.hpp"
#include "kafkit/admin/topics.hpp"
#include "kafkit/admin/transactions.hpp"
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
    admin::future<std::map<std::string, admin::topic_listing>> list_topics(
        const admin::list_topics_options& options = {});
    /// Partitions, leaders, replicas and in-sync replicas of each topic: DescribeTopicPartitions
    /// (KIP-966), page by page, where the broker has it, Metadata otherwise.
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
    admin::future<admin::consumer_group_listings> list_consumer_groups(
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
    /// Removes static members from a group by group.instance.id (LeaveGroup v3+).
    admin::keyed_result<std::string, void> remove_members_from_consumer_group(
        const std::string& group_id, const admin::remove_members_options& options = {});
    /// Removes every member the group has now (its description, then one LeaveGroup);
    /// gives the member ids removed. The options' instance ids are not used.
    admin::future<std::vector<std::string>> remove_all_members_from_consumer_group(
        const std::string& group_id, const admin::remove_members_options& options = {});
    /// A group's lag per partition it has committed: committed offset next to the log end.
    admin::future<std::map<topic_partition, admin::partition_lag>> consumer_group_lag(
        const std::string& group_id, const admin::list_offsets_options& options = {});

    // Cluster.

    /// Brokers, controller and cluster id (DescribeCluster where the broker has it, Metadata
    /// otherwise).
    admin::future<admin::cluster_description> describe_cluster(const admin::describe_cluster_options& options = {});

    /// The cluster's finalized feature levels and what the answering broker supports
    /// (ApiVersions v3+).
    admin::future<admin::feature_metadata> describe_features(const admin::call_options& options = {});
    /// Raises or lowers finalized feature levels (UpdateFeatures, to the controller).
    admin::keyed_result<std::string, void> update_features(const std::map<std::string, admin::feature_update>& updates,
                                                           const admin::update_features_options& options = {});
    /// The KRaft metadata quorum's leader, voters and observers (DescribeQuorum).
    admin::future<admin::quorum_info> describe_metadata_quorum(const admin::call_options& options = {});
    /// Removes a broker's registration from a KRaft cluster (UnregisterBroker).
    admin::future<void> unregister_broker(std::int32_t broker_id, const admin::call_options& options = {});
    /// The names of the client metrics resources (KIP-714; ListClientMetricsResources).
    admin::future<std::vector<std::string>> list_client_metrics_resources(const admin::call_options& options = {});

    /// Each broker's log directories and the replicas in them (DescribeLogDirs, to each broker).
    admin::keyed_result<std::int32_t, std::map<std::string, admin::log_dir_description>> describe_log_dirs(
        const std::vector<std::int32_t>& brokers, const admin::call_options& options = {});
    /// Which directory holds each replica, and where it is being moved (DescribeLogDirs).
    admin::keyed_result<admin::topic_partition_replica, admin::replica_log_dir_info> describe_replica_log_dirs(
        const std::vector<admin::topic_partition_replica>& replicas, const admin::call_options& options = {});
    /// Moves replicas between a broker's log directories (AlterReplicaLogDirs).
    admin::keyed_result<admin::topic_partition_replica, void> alter_replica_log_dirs(
        const std::map<admin::topic_partition_replica, std::string>& moves, const admin::call_options& options = {});
    /// Elects leaders of the partitions given, or of every partition when nullopt
    /// (ElectLeaders, to the controller). Each partition's outcome is its error_code:
    /// empty, ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE, ...
    admin::future<std::map<topic_partition, std::error_code>> elect_leaders(
        admin::election_type type, const std::optional<std::set<topic_partition>>& partitions = std::nullopt,
        const admin::elect_leaders_options& options = {});
    /// Moves partitions to new replicas, or cancels a move with nullopt
    /// (AlterPartitionReassignments, to the controller).
    admin::keyed_result<topic_partition, void> alter_partition_reassignments(
        const std::map<topic_partition, std::optional<std::vector<std::int32_t>>>& reassignments,
        const admin::call_options& options = {});
    /// The reassignments in progress, of the partitions given or of all.
    admin::future<std::map<topic_partition, admin::partition_reassignment>> list_partition_reassignments(
        const std::optional<std::set<topic_partition>>& partitions = std::nullopt, const admin::call_options& options = {});

    // Security.

    /// Creates ACL bindings (CreateAcls).
    admin::keyed_result<admin::acl_binding, void> create_acls(const std::vector<admin::acl_binding>& bindings,
                                                              const admin::acl_options& options = {});
    /// The bindings matching `filter` (DescribeAcls), sorted.
    admin::future<std::vector<admin::acl_binding>> describe_acls(const admin::acl_binding_filter& filter,
                                                                      const admin::acl_options& options = {});
    /// Deletes the bindings matching each filter (DeleteAcls); each filter's future gives
    /// the bindings it deleted.
    admin::keyed_result<admin::acl_binding_filter, std::vector<admin::acl_binding>> delete_acls(
        const std::vector<admin::acl_binding_filter>& filters, const admin::acl_options& options = {});
    /// The SCRAM mechanisms and iterations of the users named, or of every user with
    /// credentials when nullopt (DescribeUserScramCredentials). A named user without any
    /// fails the future with RESOURCE_NOT_FOUND.
    admin::future<std::map<std::string, admin::user_scram_credentials>> describe_user_scram_credentials(
        const std::optional<std::vector<std::string>>& users = std::nullopt, const admin::call_options& options = {});
    /// Sets and removes SCRAM credentials (AlterUserScramCredentials), keyed by user.
    admin::keyed_result<std::string, void> alter_user_scram_credentials(const std::vector<admin::scram_upsertion>& upsertions,
                                                                        const std::vector<admin::scram_deletion>& deletions = {},
                                                                        const admin::call_options& options = {});
    /// Quotas of the entities matching `filter` (DescribeClientQuotas).
    admin::future<std::map<admin::client_quota_entity, std::map<std::string, double>>> describe_client_quotas(
        const admin::client_quota_filter& filter, const admin::call_options& options = {});
    /// Sets and removes quota values (AlterClientQuotas), keyed by entity.
    admin::keyed_result<admin::client_quota_entity, void> alter_client_quotas(
        const std::vector<admin::client_quota_alteration>& alterations, const admin::alter_client_quotas_options& options = {});

    /// A delegation token for the caller, or for another owner (CreateDelegationToken).
    admin::future<admin::delegation_token> create_delegation_token(
        const admin::create_delegation_token_options& options = {});
    /// Extends a token's expiry by `renew_period_ms` (-1: the broker's default); gives the new expiry.
    admin::future<std::int64_t> renew_delegation_token(const std::vector<std::uint8_t>& hmac, std::int64_t renew_period_ms = -1,
                                                            const admin::call_options& options = {});
    /// Moves a token's expiry to now plus `expiry_time_period_ms` (-1: at once); gives the new expiry.
    admin::future<std::int64_t> expire_delegation_token(const std::vector<std::uint8_t>& hmac,
                                                             std::int64_t expiry_time_period_ms = -1,
                                                             const admin::call_options& options = {});
    /// The tokens of the owners given, or every token the caller may describe.
    admin::future<std::vector<admin::delegation_token>> describe_delegation_tokens(
        const admin::describe_delegation_token_options& options = {});

    // Producers and transactions.

    /// The producers writing to each partition (DescribeProducers, to its leader or the
    /// broker the options name).
    admin::keyed_result<topic_partition, std::vector<admin::producer_state>> describe_producers(
        const std::vector<topic_partition>& partitions, const admin::describe_producers_options& options = {});
    /// Every broker's transactions (ListTransactions to each).
    admin::future<admin::transaction_listings> list_transactions(const admin::list_transactions_options& options = {});
    /// State, producer and partitions of each transaction (DescribeTransactions, to its coordinator).
    admin::keyed_result<std::string, admin::transaction_description> describe_transactions(
        const std::vector<std::string>& transactional_ids, const admin::call_options& options = {});
    /// Aborts a hanging transaction on one partition (WriteTxnMarkers to its leader), as
    /// Kafka's kafka-transactions.sh abort does.
    admin::future<void> abort_transaction(const admin::abort_transaction_spec& spec,
                                               const admin::call_options& options = {});
    /// Fences the producers of these transactional ids (InitProducerId to each coordinator:
    /// the epoch is bumped and any open transaction aborted).
    admin::keyed_result<std::string, admin::fenced_producer> fence_producers(
        const std::vector<std::string>& transactional_ids, const admin::fence_producers_options& options = {});

private:
    std::unique_ptr<detail::admin_engine> engine_;
};

} // namespace kafkit
