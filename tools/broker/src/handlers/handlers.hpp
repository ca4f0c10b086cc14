#pragma once
// Every request handler the broker has, one per API (a file each, or a family's file).
// Each decodes its request with decode_request<>, answers through reply<>, and honours
// ctx.injected_error.

#include "server/request_context.hpp"

namespace kafkit::broker {

void handle_api_versions(request_context& ctx, protocol::bytes_view body);
void handle_metadata(request_context& ctx, protocol::bytes_view body);

} // namespace kafkit::broker
