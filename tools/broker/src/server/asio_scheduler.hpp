#pragma once
// scheduler on an Asio io_context (private to the server).

#include "server/scheduler.hpp"

#include <asio/io_context.hpp>

namespace kafkit::broker {

/// Timers and posts on one io_context.
class asio_scheduler final : public scheduler {
public:
    explicit asio_scheduler(asio::io_context& io) : io_(io) {}
    timer_handle after(std::chrono::milliseconds delay, std::function<void()> fn) override;
    void post(std::function<void()> fn) override;

private:
    asio::io_context& io_;
};

} // namespace kafkit::broker
