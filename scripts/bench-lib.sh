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
