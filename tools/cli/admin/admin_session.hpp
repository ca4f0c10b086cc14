#pragma once
// What every admin command shares: the connection flags (-b, -X, --command-config,
// --timeout-ms, --output), the admin client they configure, one deadline for the whole
// command, and where its results and failures go.

#include "outcome.hpp"

#include "kafkit/admin_client.hpp"
#include "kafkit/config.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace kafkit::admin_cli {

/// The connection flags of a command, as parsed.
struct connection_options {
    std::string bootstrap_servers;       ///< -b/--bootstrap-server, or $KAFKIT_BOOTSTRAP_SERVERS
    std::vector<std::string> properties; ///< -X NAME=VALUE, in order
    std::string command_config;          ///< --command-config FILE
    std::int64_t timeout_ms = 30000;     ///< --timeout-ms: the whole command's time
    std::string output = "table";        ///< --output table|json
};

/// Adds the connection flags to `command`, writing into `options` (which outlives it).
void add_connection_options(CLI::App& command, connection_options& options);

/// The client configuration the flags give: the --command-config file's properties, then
/// each -X in order, then -b over bootstrap.servers; client.id is "kafkit-admin" unless set.
/// Throws usage_error for an unreadable file, a malformed -X or no bootstrap servers.
[[nodiscard]] kafkit::config client_config(const connection_options& options);

/// One command's run: the admin client, the deadline, the output.
class admin_session {
public:
    /// Builds the admin client; throws usage_error when the configuration is refused
    /// (the message names the property). The deadline is now plus --timeout-ms.
    explicit admin_session(const connection_options& options);

    /// The admin client, configured by the connection flags.
    [[nodiscard]] kafkit::admin_client& admin() noexcept { return *admin_; }
    /// Options for the next admin call: the time left until the command's deadline (at
    /// least 1 ms, so a late call fails with timed_out instead of waiting the default).
    template <class Options = admin::call_options>
    [[nodiscard]] Options call() const {
        Options o;
        o.timeout = remaining();
        return o;
    }
    /// The time left until the deadline, at least 1 ms.
    [[nodiscard]] std::chrono::milliseconds remaining() const;
    /// True with --output json.
    [[nodiscard]] bool json() const noexcept { return json_; }
    /// The failures recorded so far.
    [[nodiscard]] outcome& failures() noexcept { return failures_; }

    /// `f`'s value, or nullopt after recording its failure under `entity`.
    template <class T>
    std::optional<T> take(const admin::future<T>& f, std::string_view entity) {
        try {
            return f.get();
        } catch (const kafkit::exception& e) {
            failures_.failed(entity, e);
            return std::nullopt;
        }
    }
    /// True when `f` succeeded; false after recording its failure under `entity`.
    bool succeeded(const admin::future<void>& f, std::string_view entity);

    /// Writes `doc` with an "errors" array of the failures so far, as one JSON document.
    void print_json(nlohmann::json doc);
    /// Writes `text` as it is.
    static void print_text(std::string_view text);
    /// The exit status; when the cluster did not answer, first says so once on stderr.
    [[nodiscard]] int finish();

private:
    std::optional<kafkit::admin_client> admin_;
    std::chrono::steady_clock::time_point deadline_;
    std::int64_t timeout_ms_;
    std::string bootstrap_;
    bool json_ = false;
    outcome failures_;
};

/// A node as "id host:port", or "none".
[[nodiscard]] std::string node_text(const std::optional<admin::node>& n);
/// A node id as JSON: the number, or null.
[[nodiscard]] nlohmann::json node_id_json(const std::optional<admin::node>& n);

} // namespace kafkit::admin_cli
