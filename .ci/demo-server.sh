# shellcheck shell=bash
# The demo server on a free loopback port, for the scripts that judge what
# it serves. Source it, then `start_demo_server PYTHON [SERVE FLAGS...]`:
# it builds the server, starts it, and sets `port` and `scratch` (a
# temporary folder, with the server's log in server.log); both are gone
# at exit.

start_demo_server() {
    local python="$1"
    shift
    cargo build -p scan-reports-server --locked --quiet
    local server
    server="$(cargo metadata --format-version 1 --no-deps |
        "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')/debug/scan-reports-server"
    scratch="$(mktemp -d)"
    server_pid=""
    trap stop_demo_server EXIT
    port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    "$server" serve --demo --listen "127.0.0.1:$port" "$@" 2>"$scratch/server.log" &
    server_pid=$!
}

stop_demo_server() {
    [ -z "$server_pid" ] || { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    rm -rf "$scratch"
}
