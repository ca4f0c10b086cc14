#pragma once
// The reference broker `kafkit-broker` as a child process: N broker nodes on ephemeral
// 127.0.0.1 ports, in memory or on a data directory, with its JSON-lines control socket
// for the fault controls. Ready when the constructor returns (it waits for the broker's
// ready line, without sleeping).

#include "kafkit/testcontainers/cluster.hpp"
#include "kafkit/testcontainers/control_client.hpp"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kafkit::testcontainers {

class child_process;

/// How data is stored.
enum class storage {
    memory,    ///< in memory: gone when the process ends
    temp_dir,  ///< a temporary data directory, created here and removed by the destructor
    data_dir,  ///< reference_cluster_options::data_dir, kept
};

/// How to start a reference cluster.
struct reference_cluster_options {
    /// Broker nodes (`--brokers`).
    int brokers = 1;
    storage store = storage::memory;
    /// With storage::data_dir: the directory (created by the broker if missing).
    std::filesystem::path data_dir;
    /// `--sync`: fsync before acks=all responses.
    bool sync = false;
    /// More command-line arguments, e.g. {"--partitions", "3"} or {"-X", "log.segment.bytes=4096"}.
    std::vector<std::string> extra_args;
    /// The broker binary; empty: $KAFKIT_BROKER_BIN, else the one this build produced.
    std::filesystem::path binary;
    /// How long to wait for the ready line, and for an exit after SIGTERM.
    std::chrono::milliseconds start_timeout{std::chrono::seconds(15)};
    std::chrono::milliseconds stop_timeout{std::chrono::seconds(15)};
};

/// kafkit-broker as a child process (see the file comment). Not thread-safe: one test
/// thread drives it (stop() may run on another thread while nothing else is called).
class reference_cluster final : public cluster {
public:
    /// Starts the broker and waits until it is ready. Throws cluster_error when the binary
    /// is missing, exits early (the message has its stderr) or is not ready in time.
    explicit reference_cluster(reference_cluster_options options = {});
    /// Kills the broker if it runs and removes a temporary data directory. Never throws.
    ~reference_cluster() override;

    [[nodiscard]] std::string bootstrap_servers() const override;
    [[nodiscard]] std::vector<node_address> nodes() const override;
    /// The control socket client (reconnects by itself after restart()).
    [[nodiscard]] control_client& faults() override;
    [[nodiscard]] std::string backend() const override { return "kafkit-broker"; }

    /// Port of node `index` (0-based).
    [[nodiscard]] std::uint16_t port(std::size_t index) const;
    /// The control socket's port.
    [[nodiscard]] std::uint16_t control_port() const;
    /// The data directory; empty in memory.
    [[nodiscard]] const std::filesystem::path& data_dir() const noexcept { return data_dir_; }
    /// The broker binary being run.
    [[nodiscard]] const std::filesystem::path& binary() const noexcept { return binary_; }
    /// True while the broker process runs.
    [[nodiscard]] bool running() const;
    /// What the broker has written to stderr (the last 256 KiB).
    [[nodiscard]] std::string stderr_text() const;

    /// SIGKILL and wait: a crash, nothing flushed.
    void kill();
    /// SIGTERM and wait for the graceful stop. Returns the exit status (0 is a clean stop;
    /// -N: ended by signal N). Throws cluster_error when it does not exit in stop_timeout.
    int stop();
    /// Starts the broker again (stopping it first if it runs) with the same data directory
    /// and the same ports, and waits until it is ready.
    void restart();

private:
    void start(const std::vector<std::string>& listen_args, const std::string& control_arg);

    reference_cluster_options options_;
    std::filesystem::path binary_;
    std::filesystem::path data_dir_;
    bool remove_data_dir_ = false;
    std::vector<node_address> nodes_;
    std::uint16_t control_port_ = 0;
    std::unique_ptr<child_process> process_;
    std::unique_ptr<control_client> control_;
};

/// The broker binary reference_cluster runs by default: $KAFKIT_BROKER_BIN when set, else
/// the path this build of kafkit produced.
std::filesystem::path default_broker_binary();

} // namespace kafkit::testcontainers
