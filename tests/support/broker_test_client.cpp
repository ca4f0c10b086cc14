#include "broker_test_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kafkit::testing {

broker_test_client::broker_test_client(std::uint16_t port, std::string host, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) throw std::runtime_error("bad address " + host);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        fd_ = -1;
        throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + why);
    }
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

broker_test_client::~broker_test_client() {
    if (fd_ >= 0) ::close(fd_);
}

void broker_test_client::send_raw(const std::vector<std::uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error("send: " + std::string(std::strerror(errno)));
        }
        done += static_cast<std::size_t>(n);
    }
}

bool broker_test_client::read_exact(std::uint8_t* data, std::size_t size) {
    const auto deadline = std::chrono::steady_clock::now() + timeout_;
    std::size_t done = 0;
    while (done < size) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw std::runtime_error("timed out waiting for the broker");
        pollfd p{fd_, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        const auto n = ::recv(fd_, data + done, size - done, 0);
        if (n == 0) return false;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            if (errno == ECONNRESET) return false;
            throw std::runtime_error("recv: " + std::string(std::strerror(errno)));
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::vector<std::uint8_t>> broker_test_client::read_frame() {
    std::uint8_t size_bytes[4];
    if (!read_exact(size_bytes, 4)) return std::nullopt;
    const auto size = (std::uint32_t{size_bytes[0]} << 24) | (std::uint32_t{size_bytes[1]} << 16) |
                      (std::uint32_t{size_bytes[2]} << 8) | std::uint32_t{size_bytes[3]};
    std::vector<std::uint8_t> frame(size);
    if (!read_exact(frame.data(), size)) return std::nullopt;
    return frame;
}

bool broker_test_client::wait_closed() {
    std::uint8_t byte;
    try {
        while (read_exact(&byte, 1)) {
        }
        return true;
    } catch (const std::runtime_error&) {
        return false;
    }
}

} // namespace kafkit::testing
