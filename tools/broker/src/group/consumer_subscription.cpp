#include "group/consumer_subscription.hpp"

#include "kafkit/protocol/messages/consumer_protocol_subscription.hpp"
#include "kafkit/protocol/wire_reader.hpp"

namespace kafkit::broker {

std::optional<std::vector<std::string>> consumer_subscription_topics(protocol::bytes_view metadata) {
    protocol::wire_reader reader(metadata);
    const std::int16_t version = reader.read_int16();
    if (!reader.ok() || version < 0) return std::nullopt;
    // Version 0 is a prefix of every later version; fields a newer consumer appends after
    // it are left unread (ConsumerProtocol.deserializeConsumerProtocolSubscription(buffer, 0)).
    auto subscription = protocol::decode_from<protocol::consumer_protocol_subscription>(reader, 0);
    if (!reader.ok()) return std::nullopt;
    return std::move(subscription.topics);
}

} // namespace kafkit::broker
