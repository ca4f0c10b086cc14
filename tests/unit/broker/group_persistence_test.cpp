// Committed offsets on disk: the offsets log directly (replay, torn tail, compaction,
// deletions) and a broker restarted on the same data dir.

#include "embedded_broker.hpp"
#include "group/offset_store.hpp"
#include "group_test_support.hpp"
#include "kafkit/protocol/messages/delete_groups.hpp"
#include "kafkit/protocol/messages/list_groups.hpp"
#include "kafkit/protocol/messages/offset_commit.hpp"
#include "kafkit/protocol/messages/offset_fetch.hpp"

#include <fstream>

using namespace group_test;
using kafkit::broker::committed_offset;
using kafkit::broker::offset_log;
using kafkit::broker::offset_record;
using kafkit::broker::offset_store;
using kafkit::broker::topic_partition;
using kafkit::testing::embedded_broker;
using namespace kafkit::protocol;

namespace {

committed_offset at(std::int64_t offset, std::string metadata = {}, std::int32_t epoch = -1) {
    committed_offset value;
    value.offset = offset;
    value.metadata = std::move(metadata);
    value.leader_epoch = epoch;
    value.commit_timestamp_ms = 1700000000000;
    return value;
}

std::filesystem::path log_path(const temp_dir& dir) { return dir.path() / offset_store::file_name; }

void append_bytes(const std::filesystem::path& file, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST_CASE("offset log: commits, offset deletions and group deletions are replayed on reopen") {
    temp_dir dir;
    {
        offset_store store(dir.path(), true);
        CHECK(store.persistent());
        REQUIRE(store.commit("g1", {{{"orders", 0}, at(10, "m\xff\x00x", 4)}, {{"orders", 1}, at(11)}}));
        REQUIRE(store.commit("g1", {{{"orders", 0}, at(12)}}));
        REQUIRE(store.commit("g2", {{{"payments", 3}, at(30)}}));
        REQUIRE(store.commit("g3", {{{"orders", 0}, at(1)}}));
        REQUIRE(store.remove("g1", {{"orders", 1}, {"never", 0}}));
        REQUIRE(store.remove_group("g3"));
    }
    offset_store reopened(dir.path(), false);
    CHECK(reopened.groups() == std::vector<std::string>{"g1", "g2"});
    REQUIRE(reopened.find("g1", {"orders", 0}));
    CHECK(reopened.find("g1", {"orders", 0})->offset == 12);
    CHECK(reopened.find("g1", {"orders", 1}) == nullptr);
    CHECK(*reopened.find("g2", {"payments", 3}) == at(30));
    CHECK(reopened.group_offsets("g3") == nullptr);
}

TEST_CASE("offset log: metadata bytes that are not UTF-8 survive, a torn last record is cut off") {
    temp_dir dir;
    const std::string odd_metadata("m\xff\x00x", 4);
    std::uint64_t good_size = 0;
    {
        offset_store store(dir.path(), false);
        REQUIRE(store.commit("g", {{{"orders", 0}, at(10, odd_metadata, 4)}}));
        good_size = store.log_size();
    }
    // A crash in the middle of the next append leaves half a record...
    offset_record next;
    next.group = "g";
    next.offsets.emplace_back(topic_partition{"orders", 0}, at(99));
    auto framed = offset_log::encode(next);
    framed.resize(framed.size() / 2);
    append_bytes(log_path(dir), framed);
    {
        offset_store store(dir.path(), false);
        REQUIRE(store.find("g", {"orders", 0}));
        CHECK(store.find("g", {"orders", 0})->offset == 10);
        CHECK(store.find("g", {"orders", 0})->metadata == odd_metadata);
        CHECK(store.find("g", {"orders", 0})->leader_epoch == 4);
        CHECK(std::filesystem::file_size(log_path(dir)) == good_size); // truncated back
        REQUIRE(store.commit("g", {{{"orders", 1}, at(20)}}));
    }
    // ...and a whole record with a bad checksum is dropped too.
    auto corrupt = offset_log::encode(next);
    corrupt.back() ^= 0x5a;
    append_bytes(log_path(dir), corrupt);
    offset_store store(dir.path(), false);
    CHECK(store.find("g", {"orders", 0})->offset == 10);
    REQUIRE(store.find("g", {"orders", 1}));
    CHECK(store.find("g", {"orders", 1})->offset == 20);
}

TEST_CASE("offset log: it is rewritten when it grows, keeping only the latest offsets") {
    temp_dir dir;
    {
        offset_store store(dir.path(), false);
        store.set_compaction_threshold(1024);
        for (int i = 0; i < 500; ++i) {
            REQUIRE(store.commit("busy", {{{"orders", i % 2}, at(i)}}));
            CHECK(store.log_size() < 4096); // without compaction it would reach ~25 KB
        }
        REQUIRE(store.commit("quiet", {{{"payments", 0}, at(7)}}));
    }
    CHECK(std::filesystem::file_size(log_path(dir)) < 4096);
    CHECK_FALSE(std::filesystem::exists(log_path(dir).string() + ".tmp"));
    offset_store store(dir.path(), false);
    CHECK(store.find("busy", {"orders", 0})->offset == 498);
    CHECK(store.find("busy", {"orders", 1})->offset == 499);
    CHECK(store.find("quiet", {"payments", 0})->offset == 7);
}

TEST_CASE("offsets survive a broker restart on the same data dir; group deletions too") {
    temp_dir dir;
    kafkit::broker::broker_config config;
    config.data_dir = dir.path();
    config.sync = true;
    auto commit = [](broker_test_client& client, const std::string& group, std::int64_t offset) {
        offset_commit_request request;
        request.group_id = group;
        offset_commit_request::offset_commit_request_topic t;
        t.name = "orders";
        offset_commit_request::offset_commit_request_partition p;
        p.partition_index = 0;
        p.committed_offset = offset;
        p.committed_leader_epoch = 2;
        p.committed_metadata = "meta";
        t.partitions.push_back(p);
        request.topics.push_back(t);
        return client.call<offset_commit_response>(request, 9).topics[0].partitions[0].error_code;
    };
    auto fetch = [](broker_test_client& client, const std::string& group) {
        offset_fetch_request request;
        request.group_id = group;
        request.topics = std::nullopt;
        auto response = client.call<offset_fetch_response>(request, 7);
        offset_fetch_response::offset_fetch_response_partition none;
        none.committed_offset = -1; // nothing committed at all
        return response.topics.empty() ? none : response.topics[0].partitions[0];
    };
    {
        embedded_broker broker(config);
        broker_test_client client(broker.port());
        ensure_topic(client, "orders");
        REQUIRE(commit(client, "kept", 41) == 0);
        REQUIRE(commit(client, "kept", 42) == 0);
        REQUIRE(commit(client, "dropped", 7) == 0);
        delete_groups_request del;
        del.groups_names = {"dropped"};
        REQUIRE(client.call<delete_groups_response>(del, 2).results[0].error_code == 0);
    }
    embedded_broker broker(config);
    broker_test_client client(broker.port());
    const auto kept = fetch(client, "kept");
    CHECK(kept.committed_offset == 42);
    CHECK(kept.committed_leader_epoch == 2);
    CHECK(kept.metadata == std::optional<std::string>("meta"));
    CHECK(fetch(client, "dropped").committed_offset == -1);
    CHECK(client.call<offset_fetch_response>([] {
              offset_fetch_request r;
              r.group_id = "dropped";
              r.topics = std::nullopt;
              return r;
          }(), 7).topics.empty());
    // The group itself comes back Empty (membership is not persisted).
    auto groups = client.call<list_groups_response>(list_groups_request{}, 5);
    REQUIRE(groups.groups.size() == 1);
    CHECK(groups.groups[0].group_id == "kept");
    CHECK(groups.groups[0].group_state == "Empty");
}
