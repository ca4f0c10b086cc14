// kafkit::producer: the public face of producer_engine.
#include "kafkit/producer.hpp"

#include "kafkit/exception.hpp"
#include "producer/producer_engine.hpp"

namespace kafkit {

producer::producer(const config& cfg)
    : engine_(std::make_shared<detail::producer_engine>(detail::parse_producer_settings(cfg))) {}

producer::~producer() = default;

std::error_code producer::send(const producer_record& record, delivery_callback callback) {
    return engine_->send(record, detail::delivery_target(std::move(callback)));
}

std::future<record_metadata> producer::send(const producer_record& record) {
    std::promise<record_metadata> promise;
    auto future = promise.get_future();
    // A refused record's target is dropped unanswered: answer with a fresh future instead.
    if (auto ec = engine_->send(record, detail::delivery_target(std::move(promise)))) {
        std::promise<record_metadata> refused;
        refused.set_exception(std::make_exception_ptr(exception(ec, "send to " + std::string(record.topic))));
        return refused.get_future();
    }
    return future;
}

std::error_code producer::flush(std::chrono::milliseconds timeout) { return engine_->flush(timeout); }

void producer::purge(purge_scope scope) { engine_->purge(scope); }

std::size_t producer::poll(std::chrono::milliseconds timeout) { return engine_->poll(timeout); }

std::error_code producer::close(std::chrono::milliseconds timeout) { return engine_->close(timeout); }

std::size_t producer::in_flight_count() const { return engine_->in_flight_count(); }

producer_stats producer::stats() const { return engine_->stats(); }

} // namespace kafkit
