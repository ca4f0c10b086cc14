#include "kafkit/protocol/error.hpp"

#include <string>

namespace kafkit {
namespace {

class local_error_category final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "kafkit"; }

    [[nodiscard]] std::string message(int code) const override {
        switch (static_cast<errc>(code)) {
        case errc::truncated: return "input truncated";
        case errc::malformed_frame: return "malformed frame";
        case errc::unsupported_version: return "unsupported API version";
        case errc::unsupported_api: return "unknown API key";
        case errc::invalid_field_value: return "field value cannot be written at this version";
        case errc::too_large: return "size limit exceeded";
        case errc::crc_mismatch: return "checksum mismatch";
        case errc::unsupported_compression: return "unsupported compression codec";
        case errc::compression_failed: return "compression or decompression failed";
        case errc::timed_out: return "timed out";
        case errc::disconnected: return "disconnected";
        case errc::queue_full: return "queue full";
        case errc::closed: return "closed";
        case errc::invalid_config: return "invalid configuration";
        case errc::purged: return "purged before delivery";
        case errc::invalid_state: return "not allowed in this state";
        case errc::connection_failed: return "connection to broker failed";
        case errc::no_offset: return "no offset to start from (auto.offset.reset=none)";
        case errc::max_poll_exceeded:
            return "poll() was not called within max.poll.interval.ms; the consumer left its group and rejoins";
        case errc::log_truncation:
            return "the leader's log was truncated below the position (auto.offset.reset=none); seek to go on";
        }
        return "unknown kafkit error " + std::to_string(code);
    }
};

} // namespace

const std::error_category& local_category() noexcept {
    static const local_error_category category;
    return category;
}

} // namespace kafkit
