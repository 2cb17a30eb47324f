#!/usr/bin/env bash
# Scan benchmark: cr-agent against snyk-docker-plugin 9.20.2, same images, same registry, one run.
# Prints a Markdown table (the README records the last result). "--huge" adds a 1.9 GB image (minutes); "--debian" the Debian test image of scanning.md §10. Needs the test peers and the reference:
#   bash scripts/install-test-peers.sh && bash scripts/install-reference-scanner.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-reference-scanner.sh >/dev/null
./mvnw -B -q -ntp package -DskipTests
./mvnw -B -q -ntp test-compile
cp=$(./mvnw -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
exec java -Xmx4g -cp "target/test-classes:target/classes:$cp" io.cragent.bench.ScanBench target/cr-agent.jar "$@"
