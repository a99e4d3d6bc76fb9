# Sourced by .ci/run: a throwaway PostgreSQL cluster for the tests that
# need one, on a loopback port in a temporary folder, stopped at exit.
# Installs Debian's `postgresql` when it is missing (through sudo when not
# root). PostgreSQL refuses to run as root, so as root the cluster runs as
# the `postgres` user; otherwise, as the user who runs it.
# Exports SCAN_REPORTS_TEST_DATABASE_URL.

# shellcheck source=.ci/as-root.sh
source "$(dirname "${BASH_SOURCE[0]}")/as-root.sh"

postgres_bin() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    return 1
}

start_postgres() {
    local bin
    if ! bin=$(postgres_bin); then
        echo "PostgreSQL is missing; installing Debian's postgresql"
        apt_install postgresql
        bin=$(postgres_bin)
    fi
    PG_DIR=$(mktemp -d /tmp/scan-reports-pg.XXXXXX)
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        as=(runuser -u postgres --)
        chown postgres "$PG_DIR"
    fi
    # A free loopback port, asked of the kernel.
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)
    "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres -A trust --no-sync >"$PG_DIR/initdb.log"
    "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c max_connections=200" start >/dev/null
    PG_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data")
    trap stop_postgres EXIT
    export SCAN_REPORTS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

stop_postgres() {
    "${PG_CTL[@]}" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
}
