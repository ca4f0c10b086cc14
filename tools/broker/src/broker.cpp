#include "kafkit/broker/broker.hpp"

#include "control/broker_control.hpp"
#include "control/control_server.hpp"
#include "group/group_coordinator.hpp"
#include "server/asio_scheduler.hpp"
#include "server/cluster_server.hpp"
#include "state/broker_state.hpp"
#include "state/fault_injector.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>

#include <condition_variable>
#include <cstdio>
#include <future>
#include <mutex>
#include <thread>

namespace kafkit::broker {

/// Bound on a graceful stop: in-flight requests get this long to be answered.
constexpr std::chrono::milliseconds shutdown_grace{5000};

class broker::impl final : public fault_control {
public:
    explicit impl(broker_config config)
        : config_(std::move(config)), scheduler_(io_), server_(io_, config_),
          state_(config_, scheduler_, server_.bound_nodes()) {}

    ~impl() override { stop(); }

    void start() {
        server_.start(state_);
        if (config_.handle_signals) {
            signals_ = std::make_unique<asio::signal_set>(io_, SIGINT, SIGTERM);
            signals_->async_wait([this](const std::error_code& ec, int) {
                if (!ec) begin_stop();
            });
        }
        if (config_.control_listener) {
            control_target_ = std::make_unique<broker_control>(*this, state_, [this] { begin_stop(); });
            control_ = std::make_unique<control_server>(io_, *config_.control_listener, *control_target_);
            control_->start();
        }
        schedule_retention();
        thread_ = std::thread([this] {
            try {
                io_.run();
            } catch (const std::exception& e) {
                std::fprintf(stderr, "kafkit-broker: I/O thread stopped: %s\n", e.what());
            }
            std::lock_guard lock(mutex_);
            stopped_ = true;
            stopped_cv_.notify_all();
        });
    }

    [[nodiscard]] std::vector<node_endpoint> endpoints() const {
        std::vector<node_endpoint> out;
        for (const auto& n : server_.bound_nodes())
            out.push_back({n.id, n.host, static_cast<std::uint16_t>(n.port)});
        return out;
    }

    [[nodiscard]] std::uint16_t control_port() const { return control_ ? control_->port() : 0; }

    void wait() {
        std::unique_lock lock(mutex_);
        stopped_cv_.wait(lock, [this] { return stopped_ || !thread_.joinable(); });
    }

    void stop() {
        if (!thread_.joinable()) return;
        asio::post(io_, [this] { begin_stop(); });
        thread_.join();
    }

    // fault_control: each call runs on the I/O thread and returns when done.
    void push_request_errors(std::int32_t node_id, std::int16_t api_key, std::vector<injected_error> errors) override {
        on_io([&] { state_.faults().push_errors(node_id, api_key, std::move(errors)); });
    }
    void set_response_delay(std::int32_t node_id, std::int16_t api_key, std::chrono::milliseconds delay) override {
        on_io([&] { state_.faults().set_delay(node_id, api_key, delay); });
    }
    int drop_connections(std::int32_t node_id, const std::string& client_id) override {
        int dropped = 0;
        on_io([&] { dropped = server_.drop_connections(node_id, client_id); });
        return dropped;
    }
    void set_node_up(std::int32_t node_id, bool up) override {
        on_io([&] { server_.set_node_up(node_id, up); });
    }
    bool set_partition_leader(const std::string& topic_name, std::int32_t partition, std::int32_t node_id) override {
        bool moved = false;
        on_io([&] {
            if (auto* t = state_.find_topic(topic_name)) moved = state_.move_leader(*t, partition, node_id);
        });
        return moved;
    }
    void clear() override {
        on_io([&] { state_.faults().clear(); });
    }

private:
    /// Runs `fn` on the I/O thread and waits for it (directly when not running yet).
    template <class F>
    void on_io(F&& fn) {
        if (!thread_.joinable() || std::this_thread::get_id() == thread_.get_id()) {
            fn();
            return;
        }
        std::promise<void> done;
        asio::post(io_, [&] {
            fn();
            done.set_value();
        });
        done.get_future().wait();
    }

    void schedule_retention() {
        const auto interval = std::chrono::milliseconds(std::max<std::int64_t>(config_.log_retention_check_interval_ms, 10));
        retention_timer_ = scheduler_.after(interval, [this] {
            state_.apply_retention();
            schedule_retention();
        });
    }

    void begin_stop() {
        if (stopping_) return;
        stopping_ = true;
        if (signals_) signals_->cancel();
        if (control_) control_->close();
        retention_timer_.cancel();
        server_.shutdown(shutdown_grace, [this] {
            state_.flush_all();
            io_.stop();
        });
        // Requests parked on the broker's state are answered now, so the connections can
        // finish well inside the grace period: group joins and syncs get NOT_COORDINATOR
        // (as when a Kafka coordinator moves), long-polling fetches what they have.
        state_.groups().unload();
        state_.begin_shutdown();
    }

    broker_config config_;
    asio::io_context io_{1};
    asio_scheduler scheduler_;
    cluster_server server_;
    broker_state state_;
    std::unique_ptr<asio::signal_set> signals_;
    std::unique_ptr<broker_control> control_target_;
    std::unique_ptr<control_server> control_;
    timer_handle retention_timer_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable stopped_cv_;
    bool stopped_ = false;
    bool stopping_ = false;
};

broker::broker(broker_config config) {
    validate(config);
    impl_ = std::make_unique<impl>(std::move(config));
}

broker::~broker() = default;

void broker::start() { impl_->start(); }
std::vector<node_endpoint> broker::endpoints() const { return impl_->endpoints(); }

std::string broker::bootstrap_servers() const {
    std::string out;
    for (const auto& e : impl_->endpoints()) {
        if (!out.empty()) out += ',';
        out += (e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port);
    }
    return out;
}

std::uint16_t broker::control_port() const { return impl_->control_port(); }
void broker::wait() { impl_->wait(); }
void broker::stop() { impl_->stop(); }
fault_control& broker::faults() { return *impl_; }

} // namespace kafkit::broker
