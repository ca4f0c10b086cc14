#pragma once
// A group's committed offsets, for a consumer with group.id: the group coordinator found
// with FindCoordinator (and found again after NOT_COORDINATOR and its kin), OffsetFetch for
// the committed offsets and OffsetCommit to store new ones. Commits carry the committing
// member's generation and ids; without group membership generation -1 and no member id,
// which Kafka accepts for a group that has no members (manual assignment). The coordinator
// found here serves the group membership too. I/O thread only.

#include "config/consumer_settings.hpp"
#include "kafkit/topic_partition.hpp"
#include "net/cluster_client.hpp"
#include "util/logger.hpp"

#include <asio/io_context.hpp>

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace kafkit::detail {

/// Who commits: a member's generation and ids, or generation -1 and none (no membership).
struct group_identity {
    std::int32_t generation = -1; ///< the member epoch under KIP-848 (group.protocol=consumer)
    std::string member_id;
    std::optional<std::string> instance_id;
};

class group_offsets {
public:
    /// Per partition: the error, or the committed offset (nullopt when none is stored).
    using fetch_result = std::map<topic_partition, std::pair<std::error_code, std::optional<offset_and_metadata>>>;
    /// Per partition: the commit's outcome.
    using commit_result = std::map<topic_partition, std::error_code>;

    group_offsets(asio::io_context& io, const consumer_settings& settings, cluster_client& cluster, logger log);

    /// The committed offsets of `partitions`. Retries coordinator errors (until the caller
    /// stops waiting); other errors are per partition.
    void fetch(std::vector<topic_partition> partitions, std::function<void(fetch_result)> done);
    /// Stores `offsets` as `who`. Retries coordinator errors a few times. One OffsetCommit is
    /// out at a time, in the order the commits were made (a retried request answered after a
    /// newer one would move the committed offsets back); the commits made meanwhile by the
    /// same `who` go together in the next request, each partition at its newest offset, and
    /// each `done` gets that request's outcome for its partitions.
    void commit(std::map<topic_partition, offset_and_metadata> offsets, group_identity who,
                std::function<void(commit_result)> done);

    /// Runs `then` with the coordinator's node id once known (looking it up), or an error.
    void with_coordinator(std::function<void(std::error_code, std::int32_t node)> then);
    /// Makes the next with_coordinator() look the coordinator up again.
    void forget_coordinator() noexcept { coordinator_.reset(); }
    /// True for errors after which the coordinator is looked up again.
    static bool coordinator_moved(std::error_code ec);

    /// Who may commit `partitions` now, after a commit was refused with STALE_MEMBER_EPOCH
    /// (KIP-848): the member's current identity while it is in the group and still owns them,
    /// else nothing. Set by the membership, which clears it when it goes.
    using committer_source = std::function<std::optional<group_identity>(const std::vector<topic_partition>&)>;
    /// A commit refused with STALE_MEMBER_EPOCH is sent again as `current` says (after a
    /// backoff, a few times), as Java's consumer does; without an identity it fails.
    void renew_stale_commits_with(committer_source current) { current_committer_ = std::move(current); }

    /// No more requests; commits still queued get errc::closed.
    void stop();

private:
    struct fetch_op {
        std::vector<topic_partition> partitions;
        std::function<void(fetch_result)> done;
        int attempt = 0;
    };
    struct queued_commit {
        std::map<topic_partition, offset_and_metadata> offsets;
        group_identity who;
        std::function<void(commit_result)> done;
    };
    /// The OffsetCommit request out: the queued commits it carries, merged.
    struct commit_op {
        std::map<topic_partition, offset_and_metadata> offsets;
        group_identity who;
        std::vector<queued_commit> commits;
        int attempt = 0;
    };

    void fetch_attempt(std::shared_ptr<fetch_op> op);
    /// Sends the queued commits unless a request is out already.
    void send_next_commit();
    void commit_attempt(std::shared_ptr<commit_op> op);
    /// Hands each of the request's commits its outcome, then sends the next.
    void finish(const std::shared_ptr<commit_op>& op, const commit_result& outcome);
    void fail(const std::shared_ptr<fetch_op>& op, std::error_code ec);
    void fail(const std::shared_ptr<commit_op>& op, std::error_code ec);
    /// After `ec`: forgets the coordinator if it moved and, when `ec` is retriable and
    /// attempts are left, runs `again` after a backoff. False when the caller must give up.
    bool retry_after(std::error_code ec, int& attempt, std::function<void()> again);
    /// Runs `again` after the backoff of attempt number `attempt`, unless stopped by then.
    void after_backoff(int attempt, std::function<void()> again);
    /// After STALE_MEMBER_EPOCH: true when `op` goes again as the member's current identity.
    bool renew_committer(const std::shared_ptr<commit_op>& op);

    asio::io_context& io_;
    const consumer_settings& settings_;
    cluster_client& cluster_;
    logger log_;
    std::optional<std::int32_t> coordinator_;
    std::deque<queued_commit> queued_commits_;
    std::shared_ptr<commit_op> commit_out_;
    committer_source current_committer_;
    bool stopped_ = false;
};

} // namespace kafkit::detail
