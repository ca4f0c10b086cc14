#pragma once
// Everything a kafkit::producer owns: its settings, I/O thread, network core, record
// accumulator, sender and delivery reporter, wired together. The public class forwards.

#include "config/client_settings.hpp"
#include "kafkit/producer.hpp"
#include "net/cluster_client.hpp"
#include "net/io_thread.hpp"
#include "producer/delivery_reporter.hpp"
#include "producer/memory_pool.hpp"
#include "producer/record_accumulator.hpp"
#include "producer/sender.hpp"
#include "util/logger.hpp"

#include <asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <mutex>

namespace kafkit::detail {

class producer_engine {
public:
    explicit producer_engine(producer_settings settings);
    ~producer_engine();
    producer_engine(const producer_engine&) = delete;
    producer_engine& operator=(const producer_engine&) = delete;

    std::error_code send(const producer_record& record, delivery_target target);
    std::error_code flush(std::chrono::milliseconds timeout);
    void purge(purge_scope scope);
    std::size_t poll(std::chrono::milliseconds timeout);
    std::error_code close(std::chrono::milliseconds timeout);
    [[nodiscard]] std::size_t in_flight_count() const;
    [[nodiscard]] producer_stats stats();

private:
    /// Runs `fn` on the I/O thread and waits for it (inline when already there).
    template <class F>
    void run_on_io(F&& fn);
    void schedule_stats();
    producer_stats collect_stats();

    const producer_settings settings_;
    logger log_;
    memory_pool memory_;
    delivery_reporter reporter_;
    io_thread io_;
    cluster_client cluster_;
    record_accumulator accumulator_;
    sender sender_;
    asio::steady_timer stats_timer_;
    std::atomic<bool> closing_{false};
    std::mutex close_mutex_;
    bool closed_ = false;
    std::error_code close_result_;
};

} // namespace kafkit::detail
