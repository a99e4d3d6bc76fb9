#!/usr/bin/env bash
# The contract in both dialects, judged by a validator nobody here wrote:
# openapi-spec-validator (PyPI), in a virtual environment under target/.
# It reads the source (3.0.3) and the rendition (3.1.0) as committed, and
# the two as the demo server serves them at /openapi.json and
# /openapi-3.1.json. Exits non-zero when any is refused.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/openapi-validator
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'openapi-spec-validator>=0.7,<0.8'
fi
validate() { "$venv/bin/openapi-spec-validator" "$@"; }

validate openapi/scan-reports.yaml openapi/generated/scan-reports-3.1.yaml

cargo build -p scan-reports-server --locked --quiet
server="$(cargo metadata --format-version 1 --no-deps |
    "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug/scan-reports-server"
scratch="$(mktemp -d)"
server_pid=""
finish() {
    [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    rm -rf "$scratch"
}
trap finish EXIT
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$server" serve --demo --listen "127.0.0.1:$port" 2>"$scratch/server.log" &
server_pid=$!
for document in openapi.json openapi-3.1.json; do
    "$venv/bin/python" - "$port" "$document" "$scratch/$document" <<'PY'
import sys, time, urllib.request
port, name, out = sys.argv[1:]
for attempt in range(100):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{name}", timeout=5) as answer:
            open(out, "wb").write(answer.read())
            break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(f"the demo server did not serve /{name}")
PY
    validate "$scratch/$document"
done
