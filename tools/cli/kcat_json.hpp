#pragma once
// kcat's -J consume output: one JSON object per record, in kcat 1.7's field order and with
// yajl's string escaping (json_text.hpp). Deserializers (-s, Avro) are not covered.

#include "kafkit/consumer_record.hpp"
#include "kafkit/ids.hpp"

#include <string>

namespace kafkit::cli {

/// Appends `record` to `out` as kcat -J prints it, without the text kcat writes after it
/// (kcat_format::json_trailer(), "\n" by default):
/// {"topic":..,"partition":..,"offset":..,"tstype":"create"|"logappend","ts":..,
///  "broker":..,"headers":["name","value"|null,..],"key":"..."|null,"payload":"..."|null}
/// "tstype" and "ts" are left out when the record has no timestamp, "headers" when it has
/// no headers (kcat 1.7 writes headers as a flat name/value array, not the object its
/// --help shows). `broker` is the node id of the broker the record was fetched from, -1
/// when unknown. Topic and header names end at a NUL (kcat passes them as C strings);
/// keys, values and header values are written whole. -Z does not change this output.
void render_json_envelope(const consumer_record& record, node_id broker, std::string& out);

} // namespace kafkit::cli
