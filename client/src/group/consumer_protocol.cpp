#include "group/consumer_protocol.hpp"

#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/messages/consumer_protocol_assignment.hpp"
#include "kafkit/protocol/messages/consumer_protocol_subscription.hpp"

namespace kafkit::detail {
namespace {

using protocol::consumer_protocol_assignment;
using protocol::consumer_protocol_subscription;
using protocol::unexpected;

// The 2-byte version and then M at that version.
template <class M>
protocol::result<std::vector<std::uint8_t>> encode_versioned(const M& message,
                                                             std::int16_t version) {
    if (!protocol::is_valid_version<M>(version)) return unexpected(errc::unsupported_version);
    std::vector<std::uint8_t> out{
        static_cast<std::uint8_t>(static_cast<std::uint16_t>(version) >> 8),
        static_cast<std::uint8_t>(version & 0xff)};
    if (auto written = protocol::encode(message, version, out); !written)
        return unexpected(written.error());
    return out;
}

// Reads the version, then M at that version or at the newest one known when it is newer
// (ConsumerProtocol.checkSubscriptionVersion in Java); bytes after M are left unread, since a
// newer version may have appended fields there.
template <class M> protocol::result<M> decode_versioned(protocol::bytes_view input) {
    protocol::wire_reader reader(input);
    const std::int16_t version = reader.read_int16();
    if (!reader.ok()) return unexpected(reader.error());
    if (version < M::min_version) return unexpected(errc::unsupported_version);
    M message = protocol::decode_from<M>(reader, std::min(version, M::max_version));
    if (!reader.ok()) return unexpected(reader.error());
    return message;
}

std::optional<protocol::bytes_view> view_of(const std::vector<std::uint8_t>& bytes) {
    return protocol::bytes_view(bytes.data(), bytes.size());
}

std::vector<std::uint8_t> copy_of(const std::optional<protocol::bytes_view>& bytes) {
    if (!bytes) return {};
    return {bytes->begin(), bytes->end()};
}

} // namespace

protocol::result<std::vector<std::uint8_t>>
encode_subscription(const member_subscription& subscription, std::int16_t version) {
    consumer_protocol_subscription message;
    message.topics = subscription.topics;
    std::sort(message.topics.begin(), message.topics.end());
    message.topics.erase(std::unique(message.topics.begin(), message.topics.end()),
                         message.topics.end());
    message.user_data = view_of(subscription.user_data);
    message.owned_partitions = group_by_topic<consumer_protocol_subscription::topic_partition>(
        subscription.owned_partitions);
    message.generation_id = subscription.generation_id;
    if (subscription.rack_id && !subscription.rack_id->empty())
        message.rack_id = subscription.rack_id;
    return encode_versioned(message, version);
}

protocol::result<member_subscription> decode_subscription(protocol::bytes_view metadata) {
    auto message = decode_versioned<consumer_protocol_subscription>(metadata);
    if (!message) return unexpected(message.error());
    member_subscription subscription;
    subscription.topics = std::move(message->topics);
    subscription.user_data = copy_of(message->user_data);
    subscription.owned_partitions = flatten_topics(message->owned_partitions);
    subscription.generation_id = message->generation_id;
    // Java's ConsumerProtocol.deserializeSubscription treats an empty rack id as none.
    if (message->rack_id && !message->rack_id->empty())
        subscription.rack_id = std::move(message->rack_id);
    return subscription;
}

protocol::result<std::vector<std::uint8_t>> encode_assignment(const member_assignment& assignment,
                                                              std::int16_t version) {
    consumer_protocol_assignment message;
    message.assigned_partitions =
        group_by_topic<consumer_protocol_assignment::topic_partition>(assignment.partitions);
    if (!assignment.user_data.empty()) message.user_data = view_of(assignment.user_data);
    return encode_versioned(message, version);
}

protocol::result<member_assignment> decode_assignment(protocol::bytes_view assignment) {
    auto message = decode_versioned<consumer_protocol_assignment>(assignment);
    if (!message) return unexpected(message.error());
    return member_assignment{flatten_topics(message->assigned_partitions),
                             copy_of(message->user_data)};
}

} // namespace kafkit::detail
