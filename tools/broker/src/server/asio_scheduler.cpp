#include "server/asio_scheduler.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

namespace kafkit::broker {

timer_handle asio_scheduler::after(std::chrono::milliseconds delay, std::function<void()> fn) {
    auto cancelled = std::make_shared<bool>(false);
    auto timer = std::make_shared<asio::steady_timer>(io_, delay);
    timer->async_wait([timer, cancelled, fn = std::move(fn)](const std::error_code& ec) {
        if (!ec && !*cancelled) fn();
    });
    std::weak_ptr<asio::steady_timer> weak = timer;
    return timer_handle([cancelled, weak] {
        *cancelled = true;
        if (auto t = weak.lock()) t->cancel();
    });
}

void asio_scheduler::post(std::function<void()> fn) { asio::post(io_, std::move(fn)); }

} // namespace kafkit::broker
