#pragma once
// Reading what a consumer subscribes to from its JoinGroup metadata (the embedded
// ConsumerProtocolSubscription of protocol type "consumer"), for OffsetDelete's
// GROUP_SUBSCRIBED_TO_TOPIC check.

#include "kafkit/protocol/bytes_view.hpp"

#include <optional>
#include <string>
#include <vector>

namespace kafkit::broker {

/// The topics of a ConsumerProtocolSubscription: an int16 version, then the fields of that
/// version. Read as version 0, the prefix every version starts with, as Kafka does, so newer
/// consumers are understood too. nullopt when the bytes are not a subscription.
[[nodiscard]] std::optional<std::vector<std::string>> consumer_subscription_topics(protocol::bytes_view metadata);

} // namespace kafkit::broker
