#pragma once
// The network core a client is built on: one connection per broker (plus the bootstrap
// ones until metadata arrives), the metadata cache and its refreshes (on
// metadata.max.age.ms, on request after errors, for new topics). I/O thread only.

#include "config/client_settings.hpp"
#include "net/broker_connection.hpp"
#include "net/metadata_cache.hpp"
#include "net/request.hpp"
#include "util/logger.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace kafkit::detail {

class cluster_client {
public:
    /// Called after every metadata response is applied.
    using metadata_listener = std::function<void()>;
    /// Called when a broker connection becomes ready or goes down.
    using connection_listener = std::function<void(std::int32_t node_id, bool ready)>;

    cluster_client(asio::io_context& io, const client_settings& settings, logger log);
    ~cluster_client();
    cluster_client(const cluster_client&) = delete;
    cluster_client& operator=(const cluster_client&) = delete;

    /// Starts the first metadata request and the periodic refresh.
    void start();
    /// Closes every connection for good (their requests fail with errc::closed).
    void shut_down();
    /// shut_down(), letting each connection drain until `deadline`
    /// (broker_connection::shut_down_after_drain); `done` runs when all are closed.
    void shut_down(std::chrono::steady_clock::time_point deadline, std::function<void()> done);

    void on_metadata(metadata_listener listener) { metadata_listeners_.push_back(std::move(listener)); }
    void on_connection_change(connection_listener listener) { connection_listeners_.push_back(std::move(listener)); }

    /// Adds topics whose metadata is wanted; new ones trigger a refresh.
    void add_topics(const std::vector<std::string>& topics);
    /// From now on asks for every topic (a consumer subscribed by pattern), so that the
    /// cache lists the cluster's topics and forgets deleted ones.
    void want_all_topics();
    /// Asks for a metadata refresh soon (coalesced; not before retry.backoff.ms after the
    /// previous one).
    void request_metadata_update();

    [[nodiscard]] metadata_cache& metadata() noexcept { return metadata_; }
    [[nodiscard]] const metadata_cache& metadata() const noexcept { return metadata_; }

    /// The connection to broker `node_id` (created on first use), or nullptr when the
    /// metadata does not know the node.
    std::shared_ptr<broker_connection> connection(std::int32_t node_id);
    /// A second connection to broker `node_id` for group coordination, so that a JoinGroup
    /// the broker holds for the rebalance never delays fetches (as Java's client does it).
    /// nullptr when the metadata does not know the node.
    std::shared_ptr<broker_connection> coordinator_connection(std::int32_t node_id);
    /// Sends to the least loaded ready broker, else queues on one that is connecting.
    void send_to_any(outbound_request request);
    /// Every broker connection made so far, by node id.
    [[nodiscard]] const std::map<std::int32_t, std::shared_ptr<broker_connection>>& connections() const noexcept {
        return connections_;
    }

private:
    void send_metadata_request();
    void on_metadata_response(std::error_code ec, const protocol::metadata_response& response, bool lists_all);
    void schedule_refresh(std::chrono::milliseconds after);
    void connection_changed(broker_connection& conn, bool ready);
    broker_connection* pick_connection();
    /// Closes the retired bootstrap connections that have nothing queued or in flight.
    void retire_idle();
    void schedule_retire(std::chrono::milliseconds after);

    asio::io_context& io_;
    const client_settings& settings_;
    logger log_;
    metadata_cache metadata_;
    std::vector<std::shared_ptr<broker_connection>> bootstrap_;
    std::vector<std::shared_ptr<broker_connection>> retiring_; ///< bootstrap ones, until idle
    asio::steady_timer retire_timer_;
    std::map<std::int32_t, std::shared_ptr<broker_connection>> connections_;
    std::map<std::int32_t, std::shared_ptr<broker_connection>> coordinator_connections_;
    std::set<std::string> topics_;
    std::vector<metadata_listener> metadata_listeners_;
    std::vector<connection_listener> connection_listeners_;
    asio::steady_timer refresh_timer_;
    bool metadata_in_flight_ = false;
    bool update_wanted_ = false;
    bool new_topics_wanted_ = false; ///< topics added while a request was in flight
    bool all_topics_ = false;        ///< want_all_topics()
    bool shut_down_ = false;
    std::size_t next_bootstrap_ = 0;
    std::uint32_t metadata_failures_ = 0;
    std::chrono::steady_clock::time_point last_metadata_request_{};
};

} // namespace kafkit::detail
