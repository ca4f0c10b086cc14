// admin_client's life: construction, close. The operations are in admin_<area>.cpp.

#include "kafkit/admin_client.hpp"

#include "admin/admin_engine.hpp"
#include "config/admin_settings.hpp"

namespace kafkit {

admin_client::admin_client(const config& cfg)
    : engine_(std::make_unique<detail::admin_engine>(detail::parse_admin_settings(cfg))) {}

admin_client::~admin_client() = default;

void admin_client::close() { engine_->close(); }

} // namespace kafkit
