#include "net/io_thread.hpp"

#include <cstdio>
#include <exception>

namespace kafkit::detail {

io_thread::io_thread() : work_(asio::make_work_guard(context_)) {
    thread_ = std::thread([this] {
        thread_id_.store(std::this_thread::get_id());
        for (;;) {
            try {
                context_.run();
                return;
            } catch (const std::exception& e) {
                // Handlers catch their own errors; one that escapes must not end the loop.
                std::fprintf(stderr, "kafkit: I/O thread handler threw: %s\n", e.what());
            }
        }
    });
}

io_thread::~io_thread() { stop(); }

void io_thread::stop() {
    if (!thread_.joinable()) return;
    work_.reset();
    context_.stop();
    thread_.join();
}

} // namespace kafkit::detail
