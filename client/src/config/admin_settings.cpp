#include "config/admin_settings.hpp"

#include "config/settings_build.hpp"

namespace kafkit::detail {

admin_settings parse_admin_settings(const config& cfg) {
    return parse_settings<admin_settings>(
        cfg, property_scope::admin,
        [](const config&, const property_values& values, admin_settings& s, std::vector<config_note>&) {
            s.default_api_timeout = values.duration("default.api.timeout.ms");
            return config_result<void>{};
        });
}

} // namespace kafkit::detail
