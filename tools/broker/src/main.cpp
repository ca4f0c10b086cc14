// kafkit-broker: the reference broker as a program. Prints one line,
// "kafkit-broker ready bootstrap=HOST:PORT[,...]", once every listener is bound.

#include "kafkit/broker/broker.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

int main(int argc, char** argv) {
    using namespace kafkit::broker;
    CLI::App app{"kafkit-broker: a minimal Kafka broker for tests, demos and local development"};
    std::vector<std::string> listen;
    std::string properties_file;
    std::vector<std::string> overrides;
    int brokers = 1;
    std::string data_dir;
    bool sync = false;
    std::string control;
    std::optional<std::int32_t> partitions;
    std::optional<std::string> auto_create;
    std::optional<std::int64_t> segment_bytes, retention_ms, retention_bytes;
    int log_level = 2;
    app.add_option("--listen,-l", listen, "HOST:PORT to listen on, one per broker (port 0: any free port)");
    app.add_option("--brokers,-n", brokers, "number of brokers in the cluster")->check(CLI::Range(1, 64));
    app.add_option("--config,-c", properties_file, "properties file (Kafka's server.properties names)");
    app.add_option("--property,-X", overrides, "NAME=VALUE, as in the properties file (repeatable)");
    app.add_option("--data-dir,-d", data_dir, "keep the logs in this directory (default: in memory)");
    app.add_flag("--sync", sync, "fsync the log before answering acks=all produce requests");
    app.add_option("--control", control, "HOST:PORT of the JSON-lines fault-injection control socket");
    app.add_option("--partitions", partitions, "num.partitions: partitions of auto-created topics");
    app.add_option("--auto-create-topics", auto_create, "auto.create.topics.enable: true or false");
    app.add_option("--segment-bytes", segment_bytes, "log.segment.bytes");
    app.add_option("--retention-ms", retention_ms, "log.retention.ms (-1: forever)");
    app.add_option("--retention-bytes", retention_bytes, "log.retention.bytes (-1: no limit)");
    app.add_option("--log-level", log_level, "stderr log level: 0 debug, 1 info, 2 warnings, 3 errors")
        ->check(CLI::Range(0, 3));
    CLI11_PARSE(app, argc, argv);

    broker_config config;
    try {
        if (!properties_file.empty()) load_properties_file(config, properties_file);
        auto set = [&](const char* name, const std::string& value) { set_property(config, name, value); };
        if (!listen.empty()) {
            std::string joined;
            for (const auto& l : listen) joined += (joined.empty() ? "" : ",") + l;
            set("listeners", joined);
        }
        if (app.count("--brokers")) config.brokers = brokers;
        if (!data_dir.empty()) set("data.dir", data_dir);
        if (sync) config.sync = true;
        if (!control.empty()) set("control.listener", control);
        if (partitions) set("num.partitions", std::to_string(*partitions));
        if (auto_create) set("auto.create.topics.enable", *auto_create);
        if (segment_bytes) set("log.segment.bytes", std::to_string(*segment_bytes));
        if (retention_ms) set("log.retention.ms", std::to_string(*retention_ms));
        if (retention_bytes) set("log.retention.bytes", std::to_string(*retention_bytes));
        if (app.count("--log-level")) config.log_level = log_level;
        for (const auto& o : overrides) {
            const auto eq = o.find('=');
            if (eq == std::string::npos) throw std::invalid_argument("-X " + o + ": expected NAME=VALUE");
            set_property(config, o.substr(0, eq), o.substr(eq + 1));
        }
        config.handle_signals = true;
    } catch (const std::exception& e) {
        std::cerr << "kafkit-broker: " << e.what() << '\n';
        return 2;
    }

    try {
        broker b(config);
        b.start();
        std::cout << "kafkit-broker ready bootstrap=" << b.bootstrap_servers();
        if (b.control_port() != 0) std::cout << " control=" << config.control_listener->host << ':' << b.control_port();
        std::cout << std::endl;
        b.wait();
        b.stop();
    } catch (const std::exception& e) {
        std::cerr << "kafkit-broker: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
