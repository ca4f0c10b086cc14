#pragma once
// The JSON-lines control protocol: one request object per line, one response object per
// line. Requests name an `op` and its fields; responses are {"ok":true,...} or
// {"ok":false,"error":"..."}. A request may carry an "id" of any JSON type, echoed back.

#include "control/control_target.hpp"

#include <string>
#include <string_view>

namespace kafkit::broker {

/// The answer to one control line.
struct control_reply {
    /// The response object, serialized, without the trailing newline.
    std::string line;
    /// The request was a valid `shutdown`: call target.shutdown() once `line` is written.
    bool shutdown = false;
};

/// Parses one request line (without its newline), checks its fields, and runs it against
/// `target`. Never throws: malformed JSON, an unknown op or field, a value of the wrong
/// type or out of range, and errors thrown by `target` all become {"ok":false,"error":...}
/// naming the problem.
control_reply handle_control_line(std::string_view line, control_target& target);

} // namespace kafkit::broker
