// libFuzzer target: the broker's request path without sockets. The input is what a client
// writes on one connection: size-prefixed request frames, one after another. Each frame
// goes through dispatch_request (the connection's checks, the fault injector, the handler)
// against a fresh in-memory three-node cluster, so a frame that creates a topic can be
// followed by frames that use it. Timers and posted work run at once after each frame, so
// deferred answers (long polls, rebalances) are reached too.
//
// Properties checked: no crash or sanitizer report; every response frame's size prefix
// matches its length and carries the request's correlation id; a request is answered at
// most once.

#include "server/request_dispatch.hpp"
#include "server/scheduler.hpp"
#include "state/broker_state.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <vector>

namespace {

using namespace kafkit::broker;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz property broken: %s\n", what);
    std::abort();
}

/// Runs every timer and posted callback when asked, ignoring delays: time is not what the
/// fuzzer explores.
class immediate_scheduler final : public scheduler {
public:
    timer_handle after(std::chrono::milliseconds, std::function<void()> fn) override {
        auto slot = std::make_shared<std::function<void()>>(std::move(fn));
        queue_.push_back(slot);
        // Weak, as the Asio scheduler's handle is: a handle kept by the callback's own owner
        // must not keep the callback alive.
        std::weak_ptr<std::function<void()>> weak = slot;
        return timer_handle([weak] {
            if (auto s = weak.lock()) *s = nullptr;
        });
    }
    void post(std::function<void()> fn) override { after(std::chrono::milliseconds(0), std::move(fn)); }

    /// Runs what is queued, a bounded number of rounds (a timer that re-arms itself, such as
    /// a session-expiry check, would otherwise run forever).
    void run(int rounds) {
        for (int r = 0; r < rounds && !queue_.empty(); ++r) {
            auto batch = std::move(queue_);
            queue_.clear();
            for (auto& slot : batch)
                if (*slot) std::exchange(*slot, nullptr)();
        }
    }
    /// Drops what is still queued without running it, as a destroyed io_context does. A
    /// callback's destructor may schedule more: drained until nothing is left.
    void discard() {
        while (!queue_.empty()) {
            auto batch = std::move(queue_);
            queue_.clear();
            batch.clear();
        }
    }

private:
    std::deque<std::shared_ptr<std::function<void()>>> queue_;
};

/// Checks each answer the handler gives.
class checking_sink final : public response_sink {
public:
    explicit checking_sink(std::int32_t correlation_id) : correlation_id_(correlation_id) {}

    void send_response(std::vector<std::uint8_t> frame) override {
        answer();
        if (frame.size() < 8) fail("a response frame shorter than size + correlation id");
        const auto size = read_be32(frame.data());
        if (size < 0 || static_cast<std::size_t>(size) != frame.size() - 4) fail("response size prefix is wrong");
        if (read_be32(frame.data() + 4) != correlation_id_) fail("response correlation id differs from the request's");
    }
    void no_response() override { answer(); }
    void close(const std::string&) override {
        answered_ = true; // closing after an answer is allowed (a reply dropped late)
        open_ = false;
    }
    [[nodiscard]] bool is_open() const override { return open_; }

    static std::int32_t read_be32(const std::uint8_t* p) {
        return static_cast<std::int32_t>((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                         (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]});
    }

private:
    void answer() {
        if (answered_) fail("a request was answered twice");
        answered_ = true;
    }
    std::int32_t correlation_id_;
    bool answered_ = false;
    bool open_ = true;
};

std::vector<broker_node> three_nodes() {
    std::vector<broker_node> nodes;
    for (std::int32_t i = 1; i <= 3; ++i) {
        broker_node n;
        n.id = i;
        n.host = "127.0.0.1";
        n.port = 9091 + i;
        n.rack = "rack-" + std::to_string(i);
        nodes.push_back(n);
    }
    return nodes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    broker_config config;
    config.brokers = 3;
    config.num_partitions = 3;
    config.log_level = 3;
    config.log_segment_bytes = 4096; // small segments: retention and DeleteRecords cross them
    immediate_scheduler timers;
    auto state = std::make_unique<broker_state>(config, timers, three_nodes());

    // A client with one connection to each node: frame i goes to the node its correlation
    // id picks. A refused frame or a handler closing its connection ends only that
    // connection, so later frames still run (as on a reconnect).
    std::vector<request_origin> connections(3);
    for (std::size_t i = 0; i < connections.size(); ++i) connections[i].connection_id = i + 1;
    std::size_t at = 0;
    // Frames are read as the connection reads them; the last one may be cut short by the
    // end of the input (the connection would wait for the rest: nothing to dispatch).
    while (size - at >= 4) {
        const auto frame_size = checking_sink::read_be32(data + at);
        at += 4;
        if (frame_size < 0 || static_cast<std::size_t>(frame_size) > size - at) break;
        auto frame = std::make_shared<std::vector<std::uint8_t>>(data + at, data + at + frame_size);
        at += static_cast<std::size_t>(frame_size);
        const std::int32_t correlation_id = frame->size() >= 8 ? checking_sink::read_be32(frame->data() + 4) : 0;
        const auto index = static_cast<std::size_t>(static_cast<std::uint32_t>(correlation_id) % 3);
        auto sink = std::make_shared<checking_sink>(correlation_id);
        const auto result = dispatch_request(*state, state->nodes()[index], frame, sink, connections[index]);
        if (result.client_id) connections[index].client_id = *result.client_id;
        timers.run(8);
    }
    timers.run(8);
    // Pending callbacks may hold replies that close their (fake) connection when dropped;
    // drop them while the state they point into still exists.
    timers.discard();
    state.reset();
    return 0;
}
