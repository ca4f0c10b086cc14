#include "kafkit/protocol/kafka_error.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <system_error>

using kafkit::kafka_errc;

namespace {

struct known_code {
    std::int16_t code;
    std::string_view name;
    bool retriable;
};

// Independent spot checks against Apache Kafka's published error table.
constexpr known_code known_codes[] = {
    {-1, "UNKNOWN_SERVER_ERROR", false},
    {0, "NONE", false},
    {1, "OFFSET_OUT_OF_RANGE", false},
    {2, "CORRUPT_MESSAGE", true},
    {3, "UNKNOWN_TOPIC_OR_PARTITION", true},
    {6, "NOT_LEADER_OR_FOLLOWER", true},
    {7, "REQUEST_TIMED_OUT", true},
    {8, "BROKER_NOT_AVAILABLE", false},
    {9, "REPLICA_NOT_AVAILABLE", true},
    {10, "MESSAGE_TOO_LARGE", false},
    {13, "NETWORK_EXCEPTION", true},
    {15, "COORDINATOR_NOT_AVAILABLE", true},
    {16, "NOT_COORDINATOR", true},
    {25, "UNKNOWN_MEMBER_ID", false},
    {27, "REBALANCE_IN_PROGRESS", false},
    {29, "TOPIC_AUTHORIZATION_FAILED", false},
    {35, "UNSUPPORTED_VERSION", false},
    {41, "NOT_CONTROLLER", true},
    {47, "INVALID_PRODUCER_EPOCH", false},
    {51, "CONCURRENT_TRANSACTIONS", true},
    {56, "KAFKA_STORAGE_ERROR", true},
    {58, "SASL_AUTHENTICATION_FAILED", false},
    {74, "FENCED_LEADER_EPOCH", true},
    {84, "ELECTION_NOT_NEEDED", true},
    {87, "INVALID_RECORD", false},
    {89, "THROTTLING_QUOTA_EXCEEDED", true},
    {90, "PRODUCER_FENCED", false},
    {100, "UNKNOWN_TOPIC_ID", true},
    {110, "FENCED_MEMBER_EPOCH", false},
    {119, "INVALID_REGISTRATION", false},
    {120, "TRANSACTION_ABORTABLE", false},
    {122, "SHARE_SESSION_NOT_FOUND", true},
    {129, "REBOOTSTRAP_REQUIRED", false},
    {133, "SHARE_SESSION_LIMIT_REACHED", true},
    {136, "CONTROLLER_ID_NOT_REGISTERED", false},
};

} // namespace

TEST_CASE("kafka_error: spot-checked codes have Kafka's names and retriability") {
    for (const auto& k : known_codes) {
        CAPTURE(k.code);
        CHECK(kafkit::kafka_error_name(k.code) == k.name);
        const auto* row = kafkit::find_kafka_error(k.code);
        REQUIRE(row != nullptr);
        CHECK(static_cast<std::int16_t>(row->code) == k.code);
        CHECK(row->retriable == k.retriable);
        if (k.code != 0) CHECK(kafkit::is_retriable(kafkit::kafka_error(k.code)) == k.retriable);
    }
}

TEST_CASE("kafka_error: enumerators carry the wire values") {
    CHECK(static_cast<std::int16_t>(kafka_errc::unknown_server_error) == -1);
    CHECK(static_cast<std::int16_t>(kafka_errc::offset_out_of_range) == 1);
    CHECK(static_cast<std::int16_t>(kafka_errc::corrupt_message) == 2);
    CHECK(static_cast<std::int16_t>(kafka_errc::not_leader_or_follower) == 6);
    CHECK(static_cast<std::int16_t>(kafka_errc::not_coordinator) == 16);
    CHECK(static_cast<std::int16_t>(kafka_errc::unsupported_version) == 35);
    CHECK(static_cast<std::int16_t>(kafka_errc::invalid_record) == 87);
    CHECK(static_cast<std::int16_t>(kafka_errc::transaction_abortable) == 120);
    CHECK(static_cast<std::int16_t>(kafka_errc::share_session_limit_reached) == 133);
}

TEST_CASE("kafka_error: the table has unique, contiguous codes and non-empty names") {
    const auto table = kafkit::kafka_error_table();
    CHECK(table.size() == 138);
    std::set<int> codes;
    std::set<std::string_view> names;
    int expected = -1;
    for (const auto& row : table) {
        const int code = static_cast<int>(row.code);
        CAPTURE(code);
        CHECK(code == expected++);
        CHECK(codes.insert(code).second);
        CHECK_FALSE(row.name.empty());
        CHECK(names.insert(row.name).second);
        CHECK_FALSE(row.description.empty());
        CHECK(kafkit::find_kafka_error(static_cast<std::int16_t>(code)) == &row);
    }
    CHECK(std::count_if(table.begin(), table.end(), [](const auto& r) { return r.retriable; }) ==
          32);
}

TEST_CASE("kafka_error: unknown codes are named UNKNOWN and have no row") {
    for (std::int16_t code : {std::int16_t{-2}, std::int16_t{137}, std::int16_t{999},
                              std::int16_t{-32768}, std::int16_t{32767}}) {
        CAPTURE(code);
        CHECK(kafkit::kafka_error_name(code) == "UNKNOWN");
        CHECK(kafkit::find_kafka_error(code) == nullptr);
        CHECK_FALSE(kafkit::is_retriable(kafkit::kafka_error(code)));
    }
}

TEST_CASE("kafka_error: wire value 0 converts to an empty error_code") {
    const std::error_code ec = kafkit::kafka_error(0);
    CHECK_FALSE(ec);
    CHECK(ec.value() == 0);
    CHECK_FALSE(kafkit::is_retriable(ec));
}

TEST_CASE("kafka_error: error_code and int16 round-trip for every code, known or not") {
    for (int code = -40; code <= 200; ++code) {
        if (code == 0) continue;
        const auto wire = static_cast<std::int16_t>(code);
        const std::error_code ec = kafkit::kafka_error(wire);
        CAPTURE(code);
        CHECK(ec);
        CHECK(ec.category() == kafkit::kafka_category());
        CHECK(static_cast<std::int16_t>(ec.value()) == wire);
    }
    for (const auto& row : kafkit::kafka_error_table()) {
        if (row.code == kafka_errc::none) continue;
        const std::error_code from_enum = row.code; // via is_error_code_enum + make_error_code
        CHECK(from_enum == kafkit::kafka_error(static_cast<std::int16_t>(row.code)));
        CHECK(from_enum == row.code);
    }
}

TEST_CASE("kafka_error: the category is named kafka and messages start with Kafka's name") {
    CHECK(std::string_view{kafkit::kafka_category().name()} == "kafka");
    const std::error_code ec = kafka_errc::unknown_topic_or_partition;
    const std::string text = ec.message();
    CHECK(text.rfind("UNKNOWN_TOPIC_OR_PARTITION: ", 0) == 0);
    CHECK(text.size() > std::string_view{"UNKNOWN_TOPIC_OR_PARTITION: "}.size());
    const std::string unknown = kafkit::kafka_error(999).message();
    CHECK(unknown.rfind("UNKNOWN", 0) == 0);
    CHECK(unknown.find("999") != std::string::npos);
}

TEST_CASE("kafka_error: kafka and local categories stay distinct") {
    const std::error_code kafka = kafka_errc::unsupported_version;
    const std::error_code local = kafkit::errc::unsupported_version;
    CHECK(kafka != local);
    CHECK(kafka.category() != local.category());
}

TEST_CASE("kafka_error: is_retriable answers for local errors") {
    using kafkit::errc;
    CHECK(kafkit::is_retriable(errc::timed_out));
    CHECK(kafkit::is_retriable(errc::disconnected));
    CHECK(kafkit::is_retriable(errc::queue_full));
    CHECK(kafkit::is_retriable(errc::connection_failed));
    for (errc e : {errc::truncated, errc::malformed_frame, errc::unsupported_version,
                   errc::unsupported_api, errc::invalid_field_value, errc::too_large,
                   errc::crc_mismatch, errc::unsupported_compression, errc::compression_failed,
                   errc::closed, errc::invalid_config, errc::purged, errc::invalid_state}) {
        CAPTURE(static_cast<int>(e));
        CHECK_FALSE(kafkit::is_retriable(e));
    }
}

TEST_CASE("kafka_error: is_retriable is false for success and foreign categories") {
    CHECK_FALSE(kafkit::is_retriable(std::error_code{}));
    CHECK_FALSE(kafkit::is_retriable(std::make_error_code(std::errc::timed_out)));
    // The same value as a retriable Kafka code, in another category, is not retriable.
    CHECK_FALSE(kafkit::is_retriable(std::error_code{3, std::generic_category()}));
    CHECK(kafkit::is_retriable(kafka_errc::unknown_topic_or_partition));
}
