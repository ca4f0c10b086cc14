#include "kafkit/testcontainers/reference_cluster.hpp"

#include "kafkit/testcontainers/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <system_error>

#ifndef KAFKIT_TESTCONTAINERS_BROKER_BIN
#define KAFKIT_TESTCONTAINERS_BROKER_BIN "kafkit-broker"
#endif

namespace kafkit::testcontainers {
namespace {

constexpr const char* ready_prefix = "kafkit-broker ready ";

/// The value of `key=` in the ready line ("kafkit-broker ready bootstrap=... control=...").
std::string ready_field(const std::string& line, const std::string& key) {
    std::istringstream words(line);
    for (std::string word; words >> word;)
        if (word.rfind(key + "=", 0) == 0) return word.substr(key.size() + 1);
    return {};
}

std::uint16_t port_of(const std::string& host_port, const std::string& line) {
    const auto colon = host_port.rfind(':');
    const int port = colon == std::string::npos ? 0 : std::atoi(host_port.c_str() + colon + 1);
    if (port <= 0 || port > 65535) throw cluster_error("cannot read a port from the ready line: " + line);
    return static_cast<std::uint16_t>(port);
}

std::filesystem::path make_temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kafkit-broker-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw cluster_error(std::string("cannot create a temporary data directory: ") + std::strerror(errno));
    return pattern;
}

} // namespace

std::filesystem::path default_broker_binary() {
    if (const char* env = std::getenv("KAFKIT_BROKER_BIN"); env && *env) return env;
    return KAFKIT_TESTCONTAINERS_BROKER_BIN;
}

reference_cluster::reference_cluster(reference_cluster_options options) : options_(std::move(options)) {
    if (options_.brokers < 1) throw cluster_error("reference_cluster: brokers must be at least 1");
    binary_ = options_.binary.empty() ? default_broker_binary() : options_.binary;
    if (options_.store == storage::temp_dir) {
        data_dir_ = make_temp_dir();
        remove_data_dir_ = true;
    } else if (options_.store == storage::data_dir) {
        if (options_.data_dir.empty()) throw cluster_error("reference_cluster: storage::data_dir needs data_dir");
        data_dir_ = options_.data_dir;
    }
    try {
        start({"--listen", "127.0.0.1:0"}, "127.0.0.1:0");
    } catch (...) {
        process_.reset();
        if (remove_data_dir_) {
            std::error_code ec;
            std::filesystem::remove_all(data_dir_, ec);
        }
        throw;
    }
}

reference_cluster::~reference_cluster() {
    control_.reset();
    process_.reset(); // SIGKILL: a test's teardown need not wait for a flush
    if (remove_data_dir_) {
        std::error_code ec;
        std::filesystem::remove_all(data_dir_, ec);
    }
}

void reference_cluster::start(const std::vector<std::string>& listen_args, const std::string& control_arg) {
    std::vector<std::string> args = listen_args;
    args.insert(args.end(), {"--brokers", std::to_string(options_.brokers), "--control", control_arg});
    if (!data_dir_.empty()) args.insert(args.end(), {"--data-dir", data_dir_.string()});
    if (options_.sync) args.emplace_back("--sync");
    args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

    process_ = std::make_unique<child_process>(binary_, args);
    std::string line;
    try {
        line = process_->wait_for_line(ready_prefix, options_.start_timeout);
    } catch (const cluster_error& e) {
        throw cluster_error(binary_.string() + ": " + e.what());
    }
    const std::string control = ready_field(line, "control");
    if (control.empty()) throw cluster_error("the ready line names no control socket: " + line);
    control_port_ = port_of(control, line);
    if (control_) control_->reconnect(control_port_);
    else control_ = std::make_unique<control_client>("127.0.0.1", control_port_);

    // Node ids and ports from the broker itself (extra arguments may change node.id).
    nodes_.clear();
    for (const auto& n : control_->describe().nodes) nodes_.push_back({n.id, n.host, n.port});
    std::string bootstrap = ready_field(line, "bootstrap");
    if (nodes_.size() != static_cast<std::size_t>(options_.brokers) || bootstrap.empty())
        throw cluster_error("the broker reports " + std::to_string(nodes_.size()) + " nodes, expected " +
                            std::to_string(options_.brokers) + ": " + line);
}

std::string reference_cluster::bootstrap_servers() const {
    std::string out;
    for (const auto& n : nodes_) out += (out.empty() ? "" : ",") + n.host + ":" + std::to_string(n.port);
    return out;
}

std::vector<node_address> reference_cluster::nodes() const { return nodes_; }

control_client& reference_cluster::faults() { return *control_; }

std::uint16_t reference_cluster::port(std::size_t index) const { return nodes_.at(index).port; }

std::uint16_t reference_cluster::control_port() const { return control_port_; }

bool reference_cluster::running() const { return process_ && process_->running(); }

std::string reference_cluster::stderr_text() const { return process_ ? process_->stderr_text() : std::string(); }

void reference_cluster::kill() {
    if (!process_) return;
    process_->signal(SIGKILL);
    if (!process_->wait_exit(options_.stop_timeout)) throw cluster_error("the broker did not die on SIGKILL");
}

int reference_cluster::stop() {
    if (!process_) throw cluster_error("reference_cluster: not started");
    process_->signal(SIGTERM);
    if (auto status = process_->wait_exit(options_.stop_timeout)) return *status;
    process_->signal(SIGKILL);
    throw cluster_error("the broker did not exit within " + std::to_string(options_.stop_timeout.count()) +
                        " ms of SIGTERM; its stderr: " + process_->stderr_text());
}

void reference_cluster::restart() {
    if (running()) stop();
    std::vector<std::string> listen;
    for (const auto& n : nodes_) listen.insert(listen.end(), {"--listen", n.host + ":" + std::to_string(n.port)});
    const auto old_nodes = nodes_;
    start(listen, "127.0.0.1:" + std::to_string(control_port_));
    for (std::size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].port != old_nodes[i].port) throw cluster_error("the restarted broker listens on other ports");
}

} // namespace kafkit::testcontainers
