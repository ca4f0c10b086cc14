#pragma once
// Emits the C++ struct declaration and the codec definitions of one schema.

#include "schema.hpp"

#include <string>

namespace kafkit::codegen {

struct emitted_message {
    std::string cpp_name;     ///< e.g. "produce_request"
    std::string declaration;  ///< the struct, for the header
    std::string definition;   ///< read/write bodies and instantiations, for the source
};

/// Generates one schema's code. Throws std::runtime_error on schema shapes it cannot map.
emitted_message emit_message(const message_spec& message);

} // namespace kafkit::codegen
