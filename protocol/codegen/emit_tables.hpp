#pragma once
// Emits what spans all schemas: the API table, the type visitors, the umbrella
// header, and the protocol reference page of the docs.

#include "schema.hpp"

#include <string>
#include <vector>

namespace kafkit::codegen {

/// One generated file pair and the schemas in it.
struct message_group {
    std::string stem;                         ///< file stem, e.g. "produce"
    std::vector<const message_spec*> messages;
};

std::string emit_api_table_header(const std::string& banner);
std::string emit_api_table_source(const std::string& banner, const std::vector<message_group>& groups);
std::string emit_visit_header(const std::string& banner, const std::vector<message_group>& groups);
std::string emit_umbrella_header(const std::string& banner, const std::vector<message_group>& groups);
/// docs/protocol.md: every API, its versions, and (from `usage_json`, may be empty)
/// the versions the client and the broker use.
std::string emit_protocol_doc(const std::vector<message_group>& groups, const std::string& usage_json);

} // namespace kafkit::codegen
