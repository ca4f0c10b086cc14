#pragma once
// What other operations use of admin_offsets.cpp: placing partitions on their leaders, and
// list_offsets as a step (consumer_group_lag builds on it).

#include "admin/routed_call.hpp"

#include "kafkit/admin/offsets.hpp"

#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace kafkit::detail {

/// I/O thread: the leaders of `open` from a fresh Metadata answer. Partitions of unknown
/// topics, and unknown partitions, are passed to `fail`; leaderless ones are left out.
void place_on_leaders(admin_engine& engine, const std::vector<topic_partition>& open,
                      admin_engine::clock_type::time_point deadline,
                      const std::function<void(const topic_partition&, std::error_code)>& fail,
                      std::function<void(placement<topic_partition>)> placed);

/// I/O thread: completes `promises` with the offsets `specs` ask for.
void start_list_offsets(admin_engine& engine, std::shared_ptr<keyed_promises<topic_partition, admin::listed_offset>> promises,
                        std::map<topic_partition, admin::offset_spec> specs, bool read_committed,
                        admin_engine::clock_type::time_point deadline);

} // namespace kafkit::detail
