# Shell functions the benchmark scripts share. Sourced, not run.

# create_topic_at CONTROL NAME PARTITIONS: through the JSON-lines control socket of
# kafkit-broker or kafkit-mock-cluster at CONTROL (host:port); exits on a refusal.
create_topic_at() {
    python3 - "$1" "$2" "$3" "$(basename "$0")" <<'PY'
import json, socket, sys
host, port = sys.argv[1].rsplit(":", 1)
with socket.create_connection((host, int(port)), timeout=10) as s:
    s.sendall((json.dumps({"op": "create_topic", "topic": sys.argv[2], "partitions": int(sys.argv[3])}) + "\n").encode())
    reply = s.makefile().readline()
if not json.loads(reply).get("ok"):
    sys.exit(sys.argv[4] + ": create_topic failed: " + reply)
PY
}

# start_server WORKDIR COMMAND...: runs COMMAND (kafkit-broker or kafkit-mock-cluster, with
# --control) in the background, waits up to 30 s for its ready line, and sets server_pid,
# bootstrap and control from it; exits when it does not come. The output fifo is held open
# on fd 3 so a later line cannot hit SIGPIPE. One server at a time.
start_server() {
    local work="$1"
    shift
    rm -f "$work/server.out"
    mkfifo "$work/server.out"
    "$@" >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    exec 3<"$work/server.out"
    local ready
    if ! read -r -t 30 ready <&3; then
        echo "$(basename "$0"): $(basename "$1") did not start" >&2
        cat "$work/server.err" >&2
        exit 1
    fi
    bootstrap="${ready#*bootstrap=}" && bootstrap="${bootstrap%% *}"
    control="${ready#*control=}" && control="${control%% *}"
}

# stop_server: ends the server start_server started (SIGTERM) and waits for it.
stop_server() {
    [ -n "${server_pid:-}" ] || return 0
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
    exec 3<&-
}
