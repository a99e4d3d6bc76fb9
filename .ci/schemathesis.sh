#!/usr/bin/env bash
# The server against both dialects of its contract, by a tester nobody here
# wrote: Schemathesis (PyPI), in a virtual environment under target/. It
# reads the 3.0.3 source and the 3.1.0 rendition as the demo server serves
# them, generates requests from each (SCHEMATHESIS_EXAMPLES per operation,
# 1000 by default), and fails when an answer breaks the document or a
# schema-valid request is refused. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${SCHEMATHESIS_EXAMPLES:-1000}"
venv=target/schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis>=4.32,<5'
fi

# shellcheck source=.ci/demo-server.sh
source .ci/demo-server.sh
# No per-account rate: thousands of generated requests from one account
# are the test, not a flood.
start_demo_server "$venv/bin/python" --account-rate 0
for document in openapi.json openapi-3.1.json; do
    echo "Schemathesis, $examples examples per operation, against /$document"
    "$venv/bin/schemathesis" --no-color run "http://127.0.0.1:$port/$document" \
        --wait-for-schema 30 \
        --max-examples "$examples" \
        --checks all \
        --exclude-checks ignored_auth,use_after_free,ensure_resource_availability,object_level_authorization \
        --header "x-pensa-access-token: demo-token" \
        --header "X-Cognito-Username: demo" \
        --seed 1 \
        --generation-database none
done
