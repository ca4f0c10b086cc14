#pragma once
// Cluster features (KIP-584: DescribeFeatures through ApiVersions, UpdateFeatures) and the
// KRaft metadata quorum (KIP-836: DescribeQuorum).

#include "kafkit/admin/call_options.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::admin {

struct version_range_info {
    std::int16_t min_version = 0;
    std::int16_t max_version = 0;
};

struct feature_metadata {
    std::map<std::string, version_range_info> finalized; ///< levels in force in the cluster
    std::optional<std::int64_t> finalized_epoch;
    std::map<std::string, version_range_info> supported; ///< what the answering broker supports
};

/// A feature's new highest level; `upgrade` (1), `safe_downgrade` (2) or `unsafe_downgrade` (3).
struct feature_update {
    enum class kind : std::int8_t { upgrade = 1, safe_downgrade = 2, unsafe_downgrade = 3 };
    std::int16_t max_version_level = 0; ///< 0 removes the feature
    kind upgrade_type = kind::upgrade;
};

struct update_features_options : call_options {
    bool validate_only = false;
};

struct quorum_replica_state {
    std::int32_t replica_id = -1;
    std::int64_t log_end_offset = -1;
    std::optional<std::int64_t> last_fetch_timestamp_ms;
    std::optional<std::int64_t> last_caught_up_timestamp_ms;
};

struct quorum_info {
    std::int32_t leader_id = -1;
    std::int32_t leader_epoch = -1;
    std::int64_t high_watermark = -1;
    std::vector<quorum_replica_state> voters;
    std::vector<quorum_replica_state> observers;
};

} // namespace kafkit::admin
