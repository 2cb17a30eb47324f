#!/usr/bin/env bash
# The whole test suite on a fresh machine: install the real test peers, then build and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-peers.sh
bash scripts/install-reference-scanner.sh
bash scripts/install-snyk-broker.sh
./mvnw -B -ntp verify "$@"
