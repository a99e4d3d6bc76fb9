#!/usr/bin/env bash
# Swagger UI at /docs in headless Chromium: installs what it needs (Debian's
# chromium when missing, through sudo when not root; playwright-core from
# the lock file), starts the demo server on a free loopback port, runs
# docs.mjs against it, and stops the server however the run ends. Exits
# non-zero when a check fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
# shellcheck source=.ci/as-root.sh
source "$here/../../../../.ci/as-root.sh"

if [ ! -x /usr/bin/chromium ]; then
    apt_install chromium
fi
npm ci --no-audit --no-fund --loglevel=error

cargo build -p scan-reports-server --locked
target_dir="$(cargo metadata --format-version 1 --no-deps |
    node -e 'let t = ""; process.stdin.on("data", (d) => (t += d)).on("end", () => console.log(JSON.parse(t).target_directory))')"
server="$target_dir/debug/scan-reports-server"

scratch="$(mktemp -d)"
server_pid=""
stop_server() {
    status=$?
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ -s "$scratch/server.log" ]; then
        echo "--- the server's log, last lines:"
        tail -n 20 "$scratch/server.log"
    fi
    rm -rf "$scratch"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# A port the kernel hands out now; the server takes it a moment later.
port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
"$server" serve --demo --db "$scratch/demo.sqlite3" --listen "127.0.0.1:$port" 2>"$scratch/server.log" &
server_pid=$!

node docs.mjs "http://127.0.0.1:$port"
