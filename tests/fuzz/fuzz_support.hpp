#pragma once
// Shared by the libFuzzer targets: the properties every decoded message must keep.

#include "kafkit/protocol/message.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace kafkit::fuzz {

/// Stops the run with a message; libFuzzer saves the input that got here.
[[noreturn]] inline void fail(const char* what, const char* schema, std::int16_t version) {
    std::fprintf(stderr, "fuzz property broken: %s (%s v%d)\n", what, schema, version);
    std::abort();
}

/// A message that decoded must encode, its encoding must decode, and encoding that again
/// must give the same bytes: decode and encode agree on every value the decoder accepts.
/// (The first encoding may differ from the input: a non-minimal varint or a bool byte of 2
/// is accepted on input but written canonically.)
template <class M>
void check_reencode(const M& message, std::int16_t version) {
    std::vector<std::uint8_t> first;
    if (auto r = protocol::encode(message, version, first); !r) fail("a decoded message does not encode", M::schema_name, version);
    auto again = protocol::decode<M>(protocol::bytes_view(first.data(), first.size()), version);
    if (!again) fail("the re-encoded message does not decode", M::schema_name, version);
    std::vector<std::uint8_t> second;
    if (auto r = protocol::encode(*again, version, second); !r) fail("the second encode failed", M::schema_name, version);
    if (first != second) fail("encode(decode(encode(m))) differs from encode(m)", M::schema_name, version);
}

} // namespace kafkit::fuzz
