#include "kafkit/protocol/kafka_error.hpp"

#include <array>
#include <cstddef>
#include <string>

namespace kafkit {
namespace {

using enum kafka_errc;

constexpr bool retry = true;
constexpr bool no_retry = false;

// Names, numbers and retriability follow Apache Kafka's `Errors` enum up to 4.4. A code is
// retriable exactly where the exception Java builds for it extends RetriableException (directly,
// or through RefreshRetriableException / InvalidMetadataException). The descriptions are ours.
constexpr std::array<kafka_error_info, 138> table{{
    {unknown_server_error, "UNKNOWN_SERVER_ERROR", no_retry, "the broker hit an unexpected error"},
    {none, "NONE", no_retry, "no error"},
    {offset_out_of_range, "OFFSET_OUT_OF_RANGE", no_retry, "the offset is outside the log's range"},
    {corrupt_message, "CORRUPT_MESSAGE", retry, "the message is corrupt (bad CRC or size)"},
    {unknown_topic_or_partition, "UNKNOWN_TOPIC_OR_PARTITION", retry,
     "the broker does not host this topic-partition"},
    {invalid_fetch_size, "INVALID_FETCH_SIZE", no_retry, "the fetch size is not valid"},
    {leader_not_available, "LEADER_NOT_AVAILABLE", retry,
     "the partition has no leader (election in progress)"},
    {not_leader_or_follower, "NOT_LEADER_OR_FOLLOWER", retry,
     "the broker is not the leader, or not a replica, of the partition"},
    {request_timed_out, "REQUEST_TIMED_OUT", retry, "the broker timed the request out"},
    {broker_not_available, "BROKER_NOT_AVAILABLE", no_retry, "the broker is not available"},
    {replica_not_available, "REPLICA_NOT_AVAILABLE", retry,
     "the replica is not available for the partition"},
    {message_too_large, "MESSAGE_TOO_LARGE", no_retry,
     "a message is larger than the broker accepts"},
    {stale_controller_epoch, "STALE_CONTROLLER_EPOCH", no_retry,
     "the controller has moved to another broker"},
    {offset_metadata_too_large, "OFFSET_METADATA_TOO_LARGE", no_retry,
     "the committed offset's metadata is too large"},
    {network_exception, "NETWORK_EXCEPTION", retry,
     "the connection closed before a response arrived"},
    {coordinator_load_in_progress, "COORDINATOR_LOAD_IN_PROGRESS", retry,
     "the coordinator is still loading its state"},
    {coordinator_not_available, "COORDINATOR_NOT_AVAILABLE", retry,
     "the coordinator is not available"},
    {not_coordinator, "NOT_COORDINATOR", retry, "the broker is not the coordinator for this key"},
    {invalid_topic_exception, "INVALID_TOPIC_EXCEPTION", no_retry,
     "the topic is invalid for this operation"},
    {record_list_too_large, "RECORD_LIST_TOO_LARGE", no_retry,
     "the record batch is larger than the segment size"},
    {not_enough_replicas, "NOT_ENOUGH_REPLICAS", retry,
     "too few in-sync replicas; the records were rejected"},
    {not_enough_replicas_after_append, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", retry,
     "the records were written, but to too few in-sync replicas"},
    {invalid_required_acks, "INVALID_REQUIRED_ACKS", no_retry, "the acks value is not valid"},
    {illegal_generation, "ILLEGAL_GENERATION", no_retry,
     "the group generation id is not the current one"},
    {inconsistent_group_protocol, "INCONSISTENT_GROUP_PROTOCOL", no_retry,
     "the member's protocols do not match the group's"},
    {invalid_group_id, "INVALID_GROUP_ID", no_retry, "the group id is not valid"},
    {unknown_member_id, "UNKNOWN_MEMBER_ID", no_retry, "the coordinator does not know this member"},
    {invalid_session_timeout, "INVALID_SESSION_TIMEOUT", no_retry,
     "the session timeout is outside the broker's allowed range"},
    {rebalance_in_progress, "REBALANCE_IN_PROGRESS", no_retry,
     "the group is rebalancing; the member must rejoin"},
    {invalid_commit_offset_size, "INVALID_COMMIT_OFFSET_SIZE", no_retry,
     "the offset commit is too large"},
    {topic_authorization_failed, "TOPIC_AUTHORIZATION_FAILED", no_retry,
     "not authorized for the topic"},
    {group_authorization_failed, "GROUP_AUTHORIZATION_FAILED", no_retry,
     "not authorized for the group"},
    {cluster_authorization_failed, "CLUSTER_AUTHORIZATION_FAILED", no_retry,
     "not authorized for the cluster operation"},
    {invalid_timestamp, "INVALID_TIMESTAMP", no_retry,
     "a record timestamp is outside the accepted range"},
    {unsupported_sasl_mechanism, "UNSUPPORTED_SASL_MECHANISM", no_retry,
     "the broker does not offer this SASL mechanism"},
    {illegal_sasl_state, "ILLEGAL_SASL_STATE", no_retry,
     "the request is not allowed in the current SASL state"},
    {unsupported_version, "UNSUPPORTED_VERSION", no_retry,
     "the broker does not support this API version"},
    {topic_already_exists, "TOPIC_ALREADY_EXISTS", no_retry, "a topic with this name exists"},
    {invalid_partitions, "INVALID_PARTITIONS", no_retry, "the partition count is not valid"},
    {invalid_replication_factor, "INVALID_REPLICATION_FACTOR", no_retry,
     "the replication factor is not valid for this cluster"},
    {invalid_replica_assignment, "INVALID_REPLICA_ASSIGNMENT", no_retry,
     "the replica assignment is not valid"},
    {invalid_config, "INVALID_CONFIG", no_retry, "the configuration is not valid"},
    {not_controller, "NOT_CONTROLLER", retry, "the broker is not the active controller"},
    {invalid_request, "INVALID_REQUEST", no_retry,
     "the broker found the request malformed or incompatible"},
    {unsupported_for_message_format, "UNSUPPORTED_FOR_MESSAGE_FORMAT", no_retry,
     "the topic's message format does not support the request"},
    {policy_violation, "POLICY_VIOLATION", no_retry, "the request breaks a configured policy"},
    {out_of_order_sequence_number, "OUT_OF_ORDER_SEQUENCE_NUMBER", no_retry,
     "the producer sequence number is out of order"},
    {duplicate_sequence_number, "DUPLICATE_SEQUENCE_NUMBER", no_retry,
     "the producer sequence number was already written"},
    {invalid_producer_epoch, "INVALID_PRODUCER_EPOCH", no_retry,
     "the producer epoch is older than the current one"},
    {invalid_txn_state, "INVALID_TXN_STATE", no_retry,
     "the transactional operation is not allowed in this state"},
    {invalid_producer_id_mapping, "INVALID_PRODUCER_ID_MAPPING", no_retry,
     "the producer id is not assigned to this transactional id"},
    {invalid_transaction_timeout, "INVALID_TRANSACTION_TIMEOUT", no_retry,
     "the transaction timeout exceeds the broker's maximum"},
    {concurrent_transactions, "CONCURRENT_TRANSACTIONS", retry,
     "another operation on this transaction is in progress"},
    {transaction_coordinator_fenced, "TRANSACTION_COORDINATOR_FENCED", no_retry,
     "the transaction coordinator is no longer current"},
    {transactional_id_authorization_failed, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", no_retry,
     "not authorized for the transactional id"},
    {security_disabled, "SECURITY_DISABLED", no_retry, "security features are disabled"},
    {operation_not_attempted, "OPERATION_NOT_ATTEMPTED", no_retry,
     "the broker skipped this operation after another in the batch failed"},
    {kafka_storage_error, "KAFKA_STORAGE_ERROR", retry,
     "the broker could not access the log on disk"},
    {log_dir_not_found, "LOG_DIR_NOT_FOUND", no_retry, "the log directory is not configured"},
    {sasl_authentication_failed, "SASL_AUTHENTICATION_FAILED", no_retry,
     "SASL authentication failed"},
    {unknown_producer_id, "UNKNOWN_PRODUCER_ID", no_retry,
     "the broker has no state for this producer id"},
    {reassignment_in_progress, "REASSIGNMENT_IN_PROGRESS", no_retry,
     "a partition reassignment is in progress"},
    {delegation_token_auth_disabled, "DELEGATION_TOKEN_AUTH_DISABLED", no_retry,
     "delegation tokens are disabled"},
    {delegation_token_not_found, "DELEGATION_TOKEN_NOT_FOUND", no_retry,
     "the delegation token does not exist"},
    {delegation_token_owner_mismatch, "DELEGATION_TOKEN_OWNER_MISMATCH", no_retry,
     "the principal does not own or renew the token"},
    {delegation_token_request_not_allowed, "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", no_retry,
     "token requests are not allowed on this connection"},
    {delegation_token_authorization_failed, "DELEGATION_TOKEN_AUTHORIZATION_FAILED", no_retry,
     "not authorized for the delegation token"},
    {delegation_token_expired, "DELEGATION_TOKEN_EXPIRED", no_retry,
     "the delegation token has expired"},
    {invalid_principal_type, "INVALID_PRINCIPAL_TYPE", no_retry,
     "the principal type is not supported"},
    {non_empty_group, "NON_EMPTY_GROUP", no_retry, "the group still has members"},
    {group_id_not_found, "GROUP_ID_NOT_FOUND", no_retry, "the group does not exist"},
    {fetch_session_id_not_found, "FETCH_SESSION_ID_NOT_FOUND", retry,
     "the fetch session is unknown to the broker"},
    {invalid_fetch_session_epoch, "INVALID_FETCH_SESSION_EPOCH", retry,
     "the fetch session epoch is wrong"},
    {listener_not_found, "LISTENER_NOT_FOUND", retry,
     "the leader has no listener matching this connection's"},
    {topic_deletion_disabled, "TOPIC_DELETION_DISABLED", no_retry,
     "topic deletion is disabled on the cluster"},
    {fenced_leader_epoch, "FENCED_LEADER_EPOCH", retry,
     "the request's leader epoch is older than the broker's"},
    {unknown_leader_epoch, "UNKNOWN_LEADER_EPOCH", retry,
     "the request's leader epoch is newer than the broker's"},
    {unsupported_compression_type, "UNSUPPORTED_COMPRESSION_TYPE", no_retry,
     "the client cannot read the partition's compression type"},
    {stale_broker_epoch, "STALE_BROKER_EPOCH", no_retry, "the broker epoch is out of date"},
    {offset_not_available, "OFFSET_NOT_AVAILABLE", retry,
     "the new leader's high watermark has not caught up yet"},
    {member_id_required, "MEMBER_ID_REQUIRED", no_retry,
     "the member must rejoin with the member id it was given"},
    {preferred_leader_not_available, "PREFERRED_LEADER_NOT_AVAILABLE", retry,
     "the preferred leader is not available"},
    {group_max_size_reached, "GROUP_MAX_SIZE_REACHED", no_retry, "the group is full"},
    {fenced_instance_id, "FENCED_INSTANCE_ID", no_retry,
     "another member registered with the same group.instance.id"},
    {eligible_leaders_not_available, "ELIGIBLE_LEADERS_NOT_AVAILABLE", retry,
     "no eligible leader is available for the partition"},
    {election_not_needed, "ELECTION_NOT_NEEDED", retry,
     "the partition needs no leader election"},
    {no_reassignment_in_progress, "NO_REASSIGNMENT_IN_PROGRESS", no_retry,
     "no partition reassignment is in progress"},
    {group_subscribed_to_topic, "GROUP_SUBSCRIBED_TO_TOPIC", no_retry,
     "the group is subscribed to the topic whose offsets would be deleted"},
    {invalid_record, "INVALID_RECORD", no_retry, "the broker rejected a record as invalid"},
    {unstable_offset_commit, "UNSTABLE_OFFSET_COMMIT", retry,
     "pending transactional offsets must settle first"},
    {throttling_quota_exceeded, "THROTTLING_QUOTA_EXCEEDED", retry,
     "the request exceeded a throttling quota"},
    {producer_fenced, "PRODUCER_FENCED", no_retry,
     "a newer producer with the same transactional id fenced this one"},
    {resource_not_found, "RESOURCE_NOT_FOUND", no_retry, "a referenced resource does not exist"},
    {duplicate_resource, "DUPLICATE_RESOURCE", no_retry,
     "the request names the same resource twice"},
    {unacceptable_credential, "UNACCEPTABLE_CREDENTIAL", no_retry,
     "the credential does not meet the acceptance criteria"},
    {inconsistent_voter_set, "INCONSISTENT_VOTER_SET", no_retry,
     "the sender or receiver is not an expected voter"},
    {invalid_update_version, "INVALID_UPDATE_VERSION", no_retry,
     "the feature update version is not valid"},
    {feature_update_failed, "FEATURE_UPDATE_FAILED", no_retry,
     "the finalized features could not be updated"},
    {principal_deserialization_failure, "PRINCIPAL_DESERIALIZATION_FAILURE", no_retry,
     "a forwarded request's principal could not be deserialized"},
    {snapshot_not_found, "SNAPSHOT_NOT_FOUND", no_retry, "the snapshot does not exist"},
    {position_out_of_range, "POSITION_OUT_OF_RANGE", no_retry,
     "the snapshot position is out of range"},
    {unknown_topic_id, "UNKNOWN_TOPIC_ID", retry, "the broker does not host this topic id"},
    {duplicate_broker_registration, "DUPLICATE_BROKER_REGISTRATION", no_retry,
     "the broker id is already registered"},
    {broker_id_not_registered, "BROKER_ID_NOT_REGISTERED", no_retry,
     "the broker id is not registered"},
    {inconsistent_topic_id, "INCONSISTENT_TOPIC_ID", retry,
     "the log's topic id differs from the request's"},
    {inconsistent_cluster_id, "INCONSISTENT_CLUSTER_ID", no_retry,
     "the cluster id differs from the server's"},
    {transactional_id_not_found, "TRANSACTIONAL_ID_NOT_FOUND", no_retry,
     "the transactional id does not exist"},
    {fetch_session_topic_id_error, "FETCH_SESSION_TOPIC_ID_ERROR", retry,
     "the fetch session mixes topic ids inconsistently"},
    {ineligible_replica, "INELIGIBLE_REPLICA", no_retry,
     "the proposed ISR contains an ineligible replica"},
    {new_leader_elected, "NEW_LEADER_ELECTED", no_retry,
     "the partition state changed but a new leader was elected"},
    {offset_moved_to_tiered_storage, "OFFSET_MOVED_TO_TIERED_STORAGE", no_retry,
     "the offset now lives in tiered storage"},
    {fenced_member_epoch, "FENCED_MEMBER_EPOCH", no_retry,
     "the member epoch is fenced; the member must rejoin"},
    {unreleased_instance_id, "UNRELEASED_INSTANCE_ID", no_retry,
     "another member still holds this instance id"},
    {unsupported_assignor, "UNSUPPORTED_ASSIGNOR", no_retry,
     "the group does not support this assignor or version"},
    {stale_member_epoch, "STALE_MEMBER_EPOCH", no_retry,
     "the member epoch is stale; wait for the current one from a heartbeat"},
    {mismatched_endpoint_type, "MISMATCHED_ENDPOINT_TYPE", no_retry,
     "the request went to the wrong kind of endpoint"},
    {unsupported_endpoint_type, "UNSUPPORTED_ENDPOINT_TYPE", no_retry,
     "this endpoint type is not supported"},
    {unknown_controller_id, "UNKNOWN_CONTROLLER_ID", no_retry, "the controller id is unknown"},
    {unknown_subscription_id, "UNKNOWN_SUBSCRIPTION_ID", no_retry,
     "the telemetry subscription id is unknown or outdated"},
    {telemetry_too_large, "TELEMETRY_TOO_LARGE", no_retry,
     "the pushed telemetry exceeds the broker's limit"},
    {invalid_registration, "INVALID_REGISTRATION", no_retry,
     "the controller considers the broker registration invalid"},
    {transaction_abortable, "TRANSACTION_ABORTABLE", no_retry,
     "the transaction failed; abort it to continue"},
    {invalid_record_state, "INVALID_RECORD_STATE", no_retry,
     "the record's state does not allow the acknowledgement"},
    {share_session_not_found, "SHARE_SESSION_NOT_FOUND", retry,
     "the share session is unknown to the broker"},
    {invalid_share_session_epoch, "INVALID_SHARE_SESSION_EPOCH", retry,
     "the share session epoch is wrong"},
    {fenced_state_epoch, "FENCED_STATE_EPOCH", no_retry,
     "the share-group state epoch does not match"},
    {invalid_voter_key, "INVALID_VOTER_KEY", no_retry,
     "the voter key does not match the receiver's"},
    {duplicate_voter, "DUPLICATE_VOTER", no_retry, "the voter is already in the voter set"},
    {voter_not_found, "VOTER_NOT_FOUND", no_retry, "the voter is not in the voter set"},
    {invalid_regular_expression, "INVALID_REGULAR_EXPRESSION", no_retry,
     "the regular expression is not valid"},
    {rebootstrap_required, "REBOOTSTRAP_REQUIRED", no_retry,
     "the client's metadata is stale; it must rebootstrap"},
    {streams_invalid_topology, "STREAMS_INVALID_TOPOLOGY", no_retry,
     "the streams topology is not valid"},
    {streams_invalid_topology_epoch, "STREAMS_INVALID_TOPOLOGY_EPOCH", no_retry,
     "the streams topology epoch is not valid"},
    {streams_topology_fenced, "STREAMS_TOPOLOGY_FENCED", no_retry,
     "the streams topology epoch is outdated"},
    {share_session_limit_reached, "SHARE_SESSION_LIMIT_REACHED", retry,
     "the broker's share session limit is reached"},
    {group_deletion_failed, "GROUP_DELETION_FAILED", no_retry,
     "the group could not be deleted; see the per-group message"},
    {streams_topology_description_update_failed, "STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED",
     no_retry, "the broker could not process the topology description update"},
    {controller_id_not_registered, "CONTROLLER_ID_NOT_REGISTERED", no_retry,
     "the controller id is not registered"},
}};

constexpr int first_code = -1;

// Lookup indexes by `code - first_code`, so the rows must be contiguous and ascending.
constexpr bool table_is_contiguous() {
    for (std::size_t i = 0; i < table.size(); ++i) {
        if (static_cast<int>(table[i].code) != first_code + static_cast<int>(i)) return false;
        if (table[i].name.empty() || table[i].description.empty()) return false;
    }
    return true;
}
static_assert(table_is_contiguous(), "kafka error table must list codes -1.. without gaps");

const kafka_error_info* find_row(int code) noexcept {
    const int index = code - first_code;
    if (index < 0 || index >= static_cast<int>(table.size())) return nullptr;
    return &table[static_cast<std::size_t>(index)];
}

class kafka_error_category final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "kafka"; }

    [[nodiscard]] std::string message(int code) const override {
        if (const auto* row = find_row(code)) {
            std::string text{row->name};
            text += ": ";
            text += row->description;
            return text;
        }
        return "UNKNOWN: error code " + std::to_string(code) + " is not known to kafkit";
    }
};

} // namespace

std::span<const kafka_error_info> kafka_error_table() noexcept { return table; }

const kafka_error_info* find_kafka_error(std::int16_t code) noexcept { return find_row(code); }

std::string_view kafka_error_name(std::int16_t code) noexcept {
    const auto* row = find_row(code);
    return row ? row->name : std::string_view{"UNKNOWN"};
}

const std::error_category& kafka_category() noexcept {
    static const kafka_error_category category;
    return category;
}

std::error_code kafka_error(std::int16_t code) noexcept {
    if (code == 0) return {};
    return {code, kafka_category()};
}

bool is_retriable(std::error_code ec) noexcept {
    if (!ec) return false;
    if (ec.category() == kafka_category()) {
        const auto* row = find_row(ec.value());
        return row != nullptr && row->retriable;
    }
    if (ec.category() == local_category()) {
        switch (static_cast<errc>(ec.value())) {
        case errc::timed_out:
        case errc::disconnected:
        case errc::connection_failed:
        case errc::queue_full: return true;
        default: return false;
        }
    }
    return false;
}

} // namespace kafkit
