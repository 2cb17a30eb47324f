#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the package-database parsers, the lockfile readers and the broker filter
# engine: each @FuzzTest method in turn, in its own JVM (Jazzer fuzzes one method per run), for DURATION each.
# The normal test run (scripts/test.sh, CI) replays their seeds and past findings only; this script searches for
# new ones. A finding is written to src/test/resources/<package>/<Class>Inputs/<method>/ (a regression input from
# then on) and the run stops with the failing method named.
#   scripts/fuzz.sh [DURATION] [Class#method ...]     e.g. scripts/fuzz.sh 5m RpmDatabaseFuzzTest#ndb
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(OsDatabaseFuzzTest#dpkgStatus OsDatabaseFuzzTest#dpkgStatusD OsDatabaseFuzzTest#apkInstalled
           RpmDatabaseFuzzTest#rpmHeader RpmDatabaseFuzzTest#berkeleyDb RpmDatabaseFuzzTest#ndb
           LockfileFuzzTest#packageLock LockfileFuzzTest#yarnLock LockfileFuzzTest#pnpmLock
           FilterEngineFuzzTest#requests FilterEngineFuzzTest#acceptFile
           LayerAndManifestFuzzTest#layers LayerAndManifestFuzzTest#manifests)
fi
./mvnw -B -q -ntp test-compile
for target in "${targets[@]}"; do
  echo "fuzzing $target for $duration"
  # An accept file is the operator's configuration: its regexes are compiled on purpose, so Jazzer's
  # regex detectors (injection, and roadblocks, whose hook runs out of stack on the deepest patterns), right for
  # request data, are off for that target only.
  hooks=""
  [ "$target" = "FilterEngineFuzzTest#acceptFile" ] && hooks="com.code_intelligence.jazzer.sanitizers.RegexInjection:com.code_intelligence.jazzer.sanitizers.RegexRoadblocks"
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" JAZZER_DISABLED_HOOKS="$hooks" ./mvnw -B -q -ntp surefire:test \
    -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false
  grep -h "^Done [0-9]* runs" target/surefire-reports/*-output.txt | tail -1 || true
done
