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

# shellcheck source=.ci/demo-server.sh
source .ci/demo-server.sh
start_demo_server "$venv/bin/python"
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
