#!/usr/bin/env bash
# Builds the image's class-data-sharing archive (Dockerfile, runtime stage; also run by CdsArchiveIT).
# One image runs three roles, and a dynamic archive (-XX:ArchiveClassesAtExit) covers the classes of one run only,
# so each role runs once with -XX:DumpLoadedClassList: `scan` of a tiny OCI layout, the agent answering a few
# requests, the client starting against an unreachable server. The lists are merged into one static archive
# (-Xshare:dump), which every role then maps with -XX:SharedArchiveFile.
# Usage: cds-train.sh JAR ARCHIVE   (JAR: the path the image runs it from; CDS checks it)
# Env: CDS_AGENT_PORT (17500), CDS_CLIENT_PORT (7341), CDS_WAIT_SECONDS (120): free loopback ports, start timeout.
set -euo pipefail
jar=${1:?usage: cds-train.sh JAR ARCHIVE}
archive=${2:?usage: cds-train.sh JAR ARCHIVE}
agent_port=${CDS_AGENT_PORT:-17500}
client_port=${CDS_CLIENT_PORT:-7341}
wait_seconds=${CDS_WAIT_SECONDS:-120}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Prints the HTTP status of GET <path> on 127.0.0.1:<port>, or nothing when nothing answers.
status() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3 \
    && read -r _ code _ <&3 && echo "$code") 2>/dev/null || true
}

# Runs one long-lived role in the background until its port answers, makes the requests given, then stops it
# with SIGTERM so that the class list is complete. A role that exits by itself (a build without it) is fine.
train_server() {
  local name=$1 port=$2; shift 2
  local -a requests=()
  while [[ $1 != -- ]]; do requests+=("$1"); shift; done
  shift
  "$@" > "$work/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local deadline=$((SECONDS + wait_seconds))
  until [[ -n $(status "$port" /healthcheck) ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "cds-train: $name exited before answering (not in this build?); its classes are not trained" >&2
      return 0
    fi
    if ((SECONDS > deadline)); then
      echo "cds-train: $name did not answer on port $port within ${wait_seconds}s" >&2
      cat "$work/$name.log" >&2
      return 1
    fi
    sleep 0.2
  done
  for path in "${requests[@]}"; do status "$port" "$path" > /dev/null; done
  kill -TERM "$pid"
  wait "$pid" || true
}

sh "$here/cds-training-image.sh" "$work/image"
java -XX:DumpLoadedClassList="$work/scan.classes" -jar "$jar" scan "oci:$work/image" --platform linux/amd64 \
  > /dev/null 2> "$work/scan.log" || { cat "$work/scan.log" >&2; exit 1; }

SNYK_PORT=$agent_port CR_AGENT_HOST=127.0.0.1 CR_AGENT_DATA_DIR="$work/agent-data" \
  train_server agent "$agent_port" /healthcheck /list /image-metadata/a:b /no-such-endpoint -- \
  java -XX:DumpLoadedClassList="$work/agent.classes" -jar "$jar" agent

PORT=$client_port CR_CLIENT_HOST=127.0.0.1 BROKER_TOKEN=cds-training BROKER_SERVER_URL=http://127.0.0.1:9 \
  CR_AGENT_URL="http://127.0.0.1:$agent_port" BROKER_CLIENT_URL="http://127.0.0.1:$client_port" \
  CR_CLIENT_EXIT_WHEN_DISCONNECTED=false \
  train_server client "$client_port" /healthcheck /systemcheck -- \
  java -XX:DumpLoadedClassList="$work/client.classes" -jar "$jar" client

cat "$work"/*.classes > "$work/all.classes"
# The dump warns about every class it skips (JFR events, failed verification of optional Netty classes): expected.
java -Xshare:dump -XX:SharedClassListFile="$work/all.classes" -XX:SharedArchiveFile="$archive" -cp "$jar" \
  > "$work/dump.log" 2>&1 || { tail -20 "$work/dump.log" >&2; exit 1; }
echo "cds-train: $(wc -l < "$work/all.classes") classes listed, archive $(du -h "$archive" | cut -f1)" >&2
