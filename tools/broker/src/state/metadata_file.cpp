// Cluster metadata in the data dir: `cluster.json` holds the cluster id, the next producer
// id, dynamic broker configs, ACLs, SCRAM credentials, client quotas, finalized feature
// levels and every topic (id, configs, partitions with replicas, leader and epoch history). It is rewritten whole
// (write, fsync, rename) on every change; changes are rare.

#include "state/broker_state.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace kafkit::broker {
namespace {

constexpr const char* metadata_file_name = "cluster.json";

void write_file_durably(const std::filesystem::path& path, const std::string& content) {
    const auto tmp = path.string() + ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "cannot write " + tmp);
    std::size_t done = 0;
    while (done < content.size()) {
        const auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            const int err = errno;
            ::close(fd);
            throw std::system_error(err, std::generic_category(), "cannot write " + tmp);
        }
        done += static_cast<std::size_t>(n);
    }
    ::fsync(fd);
    ::close(fd);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw std::system_error(errno, std::generic_category(), "cannot rename " + tmp);
}

} // namespace

void broker_state::save_metadata() {
    if (!config_.data_dir) return;
    nlohmann::json doc;
    doc["cluster_id"] = cluster_id_;
    doc["next_producer_id"] = next_producer_id_;
    doc["placement_counter"] = placement_counter_;
    doc["dynamic_broker_configs"] = dynamic_configs_;
    doc["acls"] = acls_.to_json();
    doc["scram_credentials"] = scram_.to_json();
    doc["client_quotas"] = quotas_.to_json();
    doc["features"] = features_.to_json();
    auto& topics = doc["topics"] = nlohmann::json::array();
    for (const auto& [name, t] : topics_) {
        nlohmann::json jt;
        jt["name"] = name;
        jt["id"] = t->id.to_string();
        jt["internal"] = t->internal;
        jt["configs"] = t->configs;
        auto& parts = jt["partitions"] = nlohmann::json::array();
        for (const auto& p : t->partitions) {
            nlohmann::json epochs = nlohmann::json::array();
            for (const auto& [epoch, offset] : p->epoch_start_offsets) epochs.push_back({epoch, offset});
            parts.push_back({{"replicas", p->replicas}, {"leader", p->leader}, {"leader_epoch", p->leader_epoch},
                             {"epochs", epochs}});
        }
        topics.push_back(std::move(jt));
    }
    std::error_code ec;
    std::filesystem::create_directories(*config_.data_dir, ec);
    write_file_durably(*config_.data_dir / metadata_file_name, doc.dump(1));
}

void broker_state::load_metadata() {
    const auto path = *config_.data_dir / metadata_file_name;
    std::error_code ec;
    std::filesystem::create_directories(*config_.data_dir, ec);
    if (ec) throw std::system_error(ec, "cannot create data dir " + config_.data_dir->string());
    if (!std::filesystem::exists(path)) return;
    std::ifstream in(path);
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error("cannot read " + path.string() + ": " + e.what());
    }
    if (cluster_id_.empty()) cluster_id_ = doc.value("cluster_id", "");
    next_producer_id_ = doc.value("next_producer_id", next_producer_id_);
    placement_counter_ = doc.value("placement_counter", 0U);
    dynamic_configs_ = doc.value("dynamic_broker_configs", decltype(dynamic_configs_){});
    if (doc.contains("acls")) acls_.load_json(doc.at("acls"));
    if (doc.contains("scram_credentials")) scram_.load_json(doc.at("scram_credentials"));
    if (doc.contains("client_quotas")) quotas_.load_json(doc.at("client_quotas"));
    if (doc.contains("features")) features_.load_json(doc.at("features"));
    for (const auto& jt : doc.at("topics")) {
        auto t = std::make_unique<topic>();
        t->name = jt.at("name").get<std::string>();
        t->id = protocol::uuid::from_string(jt.at("id").get<std::string>()).value_or(random_uuid());
        t->internal = jt.value("internal", false);
        t->configs = jt.value("configs", std::map<std::string, std::string>{});
        std::int32_t index = 0;
        for (const auto& jp : jt.at("partitions")) {
            auto p = make_partition(t->name, index++, jp.at("replicas").get<std::vector<std::int32_t>>());
            p->leader = jp.at("leader").get<std::int32_t>();
            p->leader_epoch = jp.at("leader_epoch").get<std::int32_t>();
            p->epoch_start_offsets.clear();
            for (const auto& e : jp.at("epochs"))
                p->epoch_start_offsets[e.at(0).get<std::int32_t>()] = e.at(1).get<std::int64_t>();
            t->partitions.push_back(std::move(p));
        }
        topics_.emplace(t->name, std::move(t));
    }
}

} // namespace kafkit::broker
