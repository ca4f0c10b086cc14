#pragma once
// One Produce request in flight: the batches it carries (owned until their outcome) and
// the request that views their bytes.

#include "kafkit/protocol/messages/produce.hpp"
#include "producer/producer_batch.hpp"

#include <memory>
#include <vector>

namespace kafkit::detail {

struct produce_context {
    std::int32_t node = -1;
    std::vector<std::unique_ptr<producer_batch>> batches;
    protocol::produce_request request;
    clock_type::time_point sent_at{};
};

} // namespace kafkit::detail
