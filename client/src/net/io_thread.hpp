#pragma once
// The I/O thread a client owns: one asio::io_context run by one std::thread. Every piece of
// network and producer state lives on it; other threads hand work over with post().

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include <atomic>
#include <future>
#include <thread>
#include <utility>

namespace kafkit::detail {

class io_thread {
public:
    /// Starts the thread; its io_context runs until stop().
    io_thread();
    /// stop() and join.
    ~io_thread();
    io_thread(const io_thread&) = delete;
    io_thread& operator=(const io_thread&) = delete;

    /// The io_context everything of this client runs on.
    asio::io_context& context() noexcept { return context_; }

    /// True when called on this I/O thread (blocking calls refuse to run there).
    [[nodiscard]] bool is_current() const noexcept { return std::this_thread::get_id() == thread_id_.load(); }

    /// Runs `fn` on the I/O thread, later (never inline).
    template <class F>
    void post(F&& fn) {
        asio::post(context_, std::forward<F>(fn));
    }

    /// Runs `fn` on the I/O thread and waits for it (inline when called there).
    template <class F>
    void run_and_wait(F&& fn) {
        if (is_current()) {
            fn();
            return;
        }
        std::promise<void> done;
        auto finished = done.get_future();
        post([&fn, &done] {
            fn();
            done.set_value();
        });
        finished.wait();
    }

    /// Stops the io_context and joins the thread (handlers not run by then are destroyed
    /// with it: owners close their sockets first). Idempotent; not from the I/O thread.
    void stop();

private:
    asio::io_context context_{1};
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::atomic<std::thread::id> thread_id_{};
    std::thread thread_;
};

} // namespace kafkit::detail
