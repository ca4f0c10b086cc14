// A group member in a process of its own, for tests that crash one (SIGKILL: no LeaveGroup,
// no commit). It subscribes, polls, and prints on stdout, one line each and flushed after
// every poll:
//   "ASSIGNED <n>"          after each rebalance, n = partitions held
//   "R <partition> <offset>" for each record processed
// Its revoke callback commits synchronously. Usage:
//   kafkit-test-group-member BOOTSTRAP GROUP TOPIC [name=value ...]

#include "kafkit/consumer.hpp"

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s BOOTSTRAP GROUP TOPIC [name=value ...]\n", argv[0]);
        return 2;
    }
    try {
        kafkit::config cfg{{"bootstrap.servers", argv[1]},     {"group.id", argv[2]},
                           {"auto.offset.reset", "earliest"}, {"enable.auto.commit", "false"},
                           {"fetch.max.wait.ms", "50"},       {"retry.backoff.ms", "10"}};
        for (int i = 4; i < argc; ++i) {
            const std::string setting = argv[i];
            const auto eq = setting.find('=');
            if (eq == std::string::npos) throw std::invalid_argument("not name=value: " + setting);
            cfg.set(setting.substr(0, eq), setting.substr(eq + 1));
        }
        kafkit::consumer consumer(cfg);
        kafkit::rebalance_listener listener;
        listener.on_revoked = [&](const std::vector<kafkit::topic_partition>&) {
            if (const auto ec = consumer.commit_sync(std::chrono::seconds(10)))
                std::fprintf(stderr, "commit in on_revoked failed: %s\n", ec.message().c_str());
        };
        listener.on_assigned = [&](const std::vector<kafkit::topic_partition>&) {
            std::printf("ASSIGNED %zu\n", consumer.assignment().size());
        };
        consumer.subscribe({argv[3]}, listener);
        for (;;) { // until killed
            auto batch = consumer.poll(std::chrono::milliseconds(50));
            for (const auto& r : batch) std::printf("R %d %lld\n", r.partition.value(), static_cast<long long>(r.offset.value()));
            std::fflush(stdout);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kafkit-test-group-member: %s\n", e.what());
        return 1;
    }
}
