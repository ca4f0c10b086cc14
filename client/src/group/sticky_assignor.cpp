#include "group/builtin_assignors.hpp"
#include "group/sticky_balancer.hpp"
#include "kafkit/protocol/message.hpp"
#include "kafkit/protocol/messages/consumer_protocol_assignment.hpp"

namespace kafkit::detail {
namespace {

// Sticky user data's [topic [partition]] entries have the layout of an assignment's.
using wire_topic = protocol::consumer_protocol_assignment::topic_partition;

template <class Sink>
void write_user_data(Sink& sink, const std::vector<wire_topic>& topics, std::int32_t generation) {
    sink.write_length(static_cast<std::int64_t>(topics.size()), false, true);
    for (const auto& topic : topics)
        topic.write(sink, 0);
    sink.write_int32(generation);
}

} // namespace

std::vector<std::uint8_t> encode_sticky_user_data(const std::vector<topic_partition>& partitions,
                                                  std::int32_t generation) {
    if (partitions.empty() && generation < 0) return {};
    const auto topics = group_by_topic<wire_topic>(partitions);
    protocol::size_counter counter;
    write_user_data(counter, topics, generation);
    if (!counter.ok()) return {};
    std::vector<std::uint8_t> out(counter.size());
    protocol::wire_writer writer(out.data(), out.size());
    write_user_data(writer, topics, generation);
    return writer.ok() ? out : std::vector<std::uint8_t>{};
}

protocol::result<sticky_user_data> decode_sticky_user_data(protocol::bytes_view user_data) {
    protocol::wire_reader reader(user_data);
    // An entry takes at least 6 bytes: an empty topic name and an empty partition array.
    const std::int64_t count = protocol::detail::read_array_length(reader, false, 6);
    if (reader.ok() && count < 0) reader.fail(errc::malformed_frame);
    std::vector<wire_topic> topics;
    for (std::int64_t i = 0; i < count && reader.ok(); ++i)
        topics.emplace_back().read(reader, 0);
    if (!reader.ok()) return protocol::unexpected(reader.error());
    sticky_user_data decoded{flatten_topics(topics), std::nullopt};
    if (reader.remaining() >= 4) decoded.generation = reader.read_int32();
    return decoded;
}

group_assignment assign_sticky(const assignor_cluster& cluster,
                               const std::vector<member_subscription>& members) {
    std::vector<sticky_claim> claims;
    claims.reserve(members.size());
    for (const auto& member : members) {
        auto& claim = claims.emplace_back();
        if (member.user_data.empty()) continue; // not assigned yet
        auto decoded = decode_sticky_user_data({member.user_data.data(), member.user_data.size()});
        if (!decoded) continue; // unreadable user data is no claim, as in Java
        claim.partitions = std::move(decoded->partitions);
        claim.generation = decoded->generation.value_or(-1);
    }
    return sticky_assign(cluster, members, claims).assignment;
}

} // namespace kafkit::detail
