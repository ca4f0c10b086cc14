// fetch_session (KIP-227): the full fetch that opens a session, incremental fetches that
// carry only changed partitions and forget the dropped ones, epochs, and the fallback to
// full fetches after an error or from a broker that keeps no sessions.

#include "consumer/fetch_session.hpp"

#include <doctest/doctest.h>


using kafkit::partition_id;
using kafkit::topic_partition;
using kafkit::detail::fetch_session;
using wanted_map = std::map<topic_partition, fetch_session::partition_fetch>;

namespace {

const topic_partition a0{"a", partition_id(0)};
const topic_partition a1{"a", partition_id(1)};
const topic_partition b0{"b", partition_id(0)};

std::vector<topic_partition> forgotten(const kafkit::protocol::fetch_request& r) {
    std::vector<topic_partition> out;
    for (const auto& t : r.forgotten_topics_data)
        for (const auto p : t.partitions) out.push_back({t.topic, partition_id(p)});
    return out;
}

} // namespace

TEST_CASE("fetch_session: a full fetch opens it, then only changes are sent") {
    fetch_session s;
    wanted_map wanted{{a0, {10, 1000, 3}}, {a1, {20, 1000, 3}}, {b0, {30, 1000, 1}}};
    kafkit::protocol::fetch_request r;
    CHECK(s.prepare(wanted, r) == std::vector<topic_partition>{a0, a1, b0});
    CHECK(r.session_id == 0);
    CHECK(r.session_epoch == 0); // asks for a session
    s.answered(55, false);
    CHECK(s.id() == 55);

    kafkit::protocol::fetch_request same;
    CHECK(s.prepare(wanted, same).empty()); // nothing changed: nothing listed
    CHECK(same.session_id == 55);
    CHECK(same.session_epoch == 1);
    CHECK(forgotten(same).empty());
    s.answered(55, false);

    wanted[a1].offset = 25;     // data came
    wanted[b0].leader_epoch = 2; // the leader moved
    wanted.erase(a0);            // paused or revoked
    kafkit::protocol::fetch_request changed;
    CHECK(s.prepare(wanted, changed) == std::vector<topic_partition>{a1, b0});
    CHECK(changed.session_epoch == 2);
    CHECK(forgotten(changed) == std::vector<topic_partition>{a0});
    s.answered(55, false);

    wanted[a0] = {10, 2000, 3}; // back, with a larger limit
    kafkit::protocol::fetch_request back;
    CHECK(s.prepare(wanted, back) == std::vector<topic_partition>{a0});
    CHECK(back.session_epoch == 3);
}

TEST_CASE("fetch_session: an error, or an answer without a session, means full fetches") {
    fetch_session s;
    const wanted_map wanted{{a0, {10, 1000, 3}}, {b0, {30, 1000, 1}}};
    kafkit::protocol::fetch_request r;
    (void)s.prepare(wanted, r);
    s.answered(9, false);
    kafkit::protocol::fetch_request next;
    (void)s.prepare(wanted, next);
    s.answered(9, true); // FETCH_SESSION_ID_NOT_FOUND, a lost connection, ...
    CHECK(s.id() == 0);
    kafkit::protocol::fetch_request full;
    CHECK(s.prepare(wanted, full).size() == 2);
    CHECK(full.session_id == 0);
    CHECK(full.session_epoch == 0);
    CHECK(forgotten(full).empty());

    s.answered(0, false); // a broker that keeps no sessions
    kafkit::protocol::fetch_request again;
    CHECK(s.prepare(wanted, again).size() == 2);
    CHECK(again.session_id == 0);
}

TEST_CASE("fetch_session: each answer moves the epoch on by one, from 1 after the full fetch") {
    fetch_session s;
    const wanted_map wanted{{a0, {10, 1000, 3}}};
    kafkit::protocol::fetch_request r;
    (void)s.prepare(wanted, r);
    s.answered(7, false);
    std::int32_t last = 0;
    for (int i = 0; i < 5; ++i) {
        kafkit::protocol::fetch_request next;
        (void)s.prepare(wanted, next);
        CHECK(next.session_epoch == last + 1);
        last = next.session_epoch;
        s.answered(7, false);
    }
    CHECK(last == 5);
}
