#!/usr/bin/env bash
# Broker relay benchmark: our client (java -jar cr-agent.jar client) against the real snyk-broker 5.22.14 classic
# client, behind the same real snyk-broker server, same agent, 8 concurrent requests, one run. Prints a Markdown
# table (the README records the last result). Arguments, per round: small requests (1000), 1 MiB requests (1000);
# then the number of rounds (2), which alternate the two clients; then the warm-up in seconds (60) before each
# measurement, the same for both clients: their steady state is measured (a fresh JVM compiles for ~50 s).
# Needs the test peers: bash scripts/install-test-peers.sh && bash scripts/install-snyk-broker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp package -DskipTests
./mvnw -B -q -ntp test-compile
cp=$(./mvnw -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
exec java -Xmx1g -cp "target/test-classes:target/classes:$cp" io.cragent.bench.BrokerBench "$@"
