#pragma once
// Local (non-Kafka) error codes of kafkit, as an std::error_code category.
// Kafka's own protocol error codes live in kafka_error.hpp.

#include <system_error>

namespace kafkit {

/// Errors that kafkit itself detects, as opposed to the codes a broker returns.
enum class errc {
    truncated = 1,          ///< input ended before the value being read
    malformed_frame,        ///< input is not valid for its schema (bad length, trailing bytes...)
    unsupported_version,    ///< the API version is outside what the schema defines
    unsupported_api,        ///< the API key is unknown
    invalid_field_value,    ///< a field cannot be written at this version (non-default or null)
    too_large,              ///< a length or decompressed size passed a configured limit
    crc_mismatch,           ///< a checksum does not match the data
    unsupported_compression,///< compression codec unknown or not built in
    compression_failed,     ///< the codec library reported an error
    timed_out,
    disconnected,
    queue_full,
    closed,
    invalid_config,
    purged,                 ///< the application purged the record before it was delivered
    invalid_state,          ///< the call is not allowed now (e.g. a blocking call from a callback)
    connection_failed,      ///< a broker could not be reached (resolve, connect or handshake)
    no_offset,              ///< a partition has no position and auto.offset.reset=none
    max_poll_exceeded,      ///< poll() was not called within max.poll.interval.ms: the group was left
    log_truncation,         ///< the leader's log was truncated below the position (auto.offset.reset=none)
};

/// The category of kafkit's local errors ("kafkit").
const std::error_category& local_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), local_category()};
}

} // namespace kafkit

template <>
struct std::is_error_code_enum<kafkit::errc> : std::true_type {};
