#pragma once
// Every request handler the broker has, one per API (a file each, or a family's file).
// Each decodes its request with decode_request<>, answers through reply<>, and honours
// ctx.injected_error.

#include "server/request_context.hpp"

namespace kafkit::broker {

void handle_api_versions(request_context& ctx, protocol::bytes_view body);
void handle_metadata(request_context& ctx, protocol::bytes_view body);
void handle_produce(request_context& ctx, protocol::bytes_view body);
void handle_fetch(request_context& ctx, protocol::bytes_view body);
void handle_list_offsets(request_context& ctx, protocol::bytes_view body);
void handle_delete_records(request_context& ctx, protocol::bytes_view body);
void handle_init_producer_id(request_context& ctx, protocol::bytes_view body);
void handle_offset_for_leader_epoch(request_context& ctx, protocol::bytes_view body);

// The classic group coordinator (group/group_coordinator.hpp).
void handle_find_coordinator(request_context& ctx, protocol::bytes_view body);
void handle_join_group(request_context& ctx, protocol::bytes_view body);
void handle_sync_group(request_context& ctx, protocol::bytes_view body);
void handle_heartbeat(request_context& ctx, protocol::bytes_view body);
void handle_leave_group(request_context& ctx, protocol::bytes_view body);
void handle_offset_commit(request_context& ctx, protocol::bytes_view body);
void handle_offset_fetch(request_context& ctx, protocol::bytes_view body);
void handle_list_groups(request_context& ctx, protocol::bytes_view body);
void handle_describe_groups(request_context& ctx, protocol::bytes_view body);
void handle_delete_groups(request_context& ctx, protocol::bytes_view body);
void handle_offset_delete(request_context& ctx, protocol::bytes_view body);

// KIP-848 consumer groups (group/consumer_group_coordinator.hpp).
void handle_consumer_group_heartbeat(request_context& ctx, protocol::bytes_view body);
void handle_consumer_group_describe(request_context& ctx, protocol::bytes_view body);

// Topics, configs and cluster administration.
void handle_create_topics(request_context& ctx, protocol::bytes_view body);
void handle_delete_topics(request_context& ctx, protocol::bytes_view body);
void handle_create_partitions(request_context& ctx, protocol::bytes_view body);
void handle_describe_configs(request_context& ctx, protocol::bytes_view body);
void handle_alter_configs(request_context& ctx, protocol::bytes_view body);
void handle_incremental_alter_configs(request_context& ctx, protocol::bytes_view body);
void handle_describe_cluster(request_context& ctx, protocol::bytes_view body);
void handle_describe_log_dirs(request_context& ctx, protocol::bytes_view body);

// ACLs (handlers/acls.cpp): stored and listed, not enforced.
void handle_create_acls(request_context& ctx, protocol::bytes_view body);
void handle_describe_acls(request_context& ctx, protocol::bytes_view body);
void handle_delete_acls(request_context& ctx, protocol::bytes_view body);

// SCRAM credentials and client quotas: stored, not enforced.
void handle_describe_user_scram_credentials(request_context& ctx, protocol::bytes_view body);
void handle_alter_user_scram_credentials(request_context& ctx, protocol::bytes_view body);
void handle_describe_client_quotas(request_context& ctx, protocol::bytes_view body);
void handle_alter_client_quotas(request_context& ctx, protocol::bytes_view body);

// Replica placement: leader elections, reassignments, log directories.
void handle_elect_leaders(request_context& ctx, protocol::bytes_view body);
void handle_alter_partition_reassignments(request_context& ctx, protocol::bytes_view body);
void handle_list_partition_reassignments(request_context& ctx, protocol::bytes_view body);
void handle_alter_replica_log_dirs(request_context& ctx, protocol::bytes_view body);

// Delegation tokens (refused: no SASL), the KRaft quorum, client metrics resources and
// transactions as an admin sees them, without a transaction coordinator yet.
void handle_create_delegation_token(request_context& ctx, protocol::bytes_view body);
void handle_renew_delegation_token(request_context& ctx, protocol::bytes_view body);
void handle_expire_delegation_token(request_context& ctx, protocol::bytes_view body);
void handle_describe_delegation_token(request_context& ctx, protocol::bytes_view body);
void handle_describe_quorum(request_context& ctx, protocol::bytes_view body);
void handle_list_client_metrics_resources(request_context& ctx, protocol::bytes_view body);
void handle_list_transactions(request_context& ctx, protocol::bytes_view body);
void handle_describe_producers(request_context& ctx, protocol::bytes_view body);
void handle_describe_topic_partitions(request_context& ctx, protocol::bytes_view body);
void handle_describe_transactions(request_context& ctx, protocol::bytes_view body);
void handle_write_txn_markers(request_context& ctx, protocol::bytes_view body);
void handle_update_features(request_context& ctx, protocol::bytes_view body);
void handle_unregister_broker(request_context& ctx, protocol::bytes_view body);

} // namespace kafkit::broker
