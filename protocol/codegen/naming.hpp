#pragma once
// How schema names become C++ names: mechanically, CamelCase to snake_case.

#include <string>

namespace kafkit::codegen {

/// "TopicData" -> "topic_data", "ProducerIdStart" -> "producer_id_start",
/// "ISRNodes" -> "isr_nodes". C++ keywords get a trailing underscore.
std::string snake_case(const std::string& camel);

/// The file stem for an API: "ProduceRequest" -> "produce"; for other schemas the
/// snake_case name ("RequestHeader" -> "request_header").
std::string file_stem(const std::string& message_name, bool is_api);

} // namespace kafkit::codegen
