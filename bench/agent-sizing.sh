#!/usr/bin/env bash
# Sizing of the agent (README "Operations"): the packaged jar scans the Debian test image of scanning.md §10 from a
# local CNCF registry, JOBS one-image jobs at a time, for each MAX_ACTIVE_OPERATIONS given; prints scans per hour
# and the agent's peak RSS. Callbacks go to a small sink on loopback that answers 200.
#   bash bench/agent-sizing.sh [jobs=12] [max-active-operations...=1 2 4]   (default heap: JAVA_OPTS=-Xmx512m)
# Every job scans the same image, so the layer cache is off (CR_AGENT_LAYER_CACHE_MB=0 unless set): each scan
# pulls and analyses every layer, the worst case of images that share nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${1:-12}"; shift || true
LEVELS=("${@:-1 2 4}"); read -r -a LEVELS <<< "${LEVELS[*]}"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

[ -f target/cr-agent.jar ] || ./mvnw -B -q -ntp package -DskipTests
archive=$(bash scripts/build-debian-test-image.sh "$work/image" | tail -1)

registry_port=$(free_port)
printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s/registry\nhttp:\n  addr: 127.0.0.1:%s\n' "$work" "$registry_port" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 & pids+=($!)
sleep 1
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci-archive:$archive" "docker://127.0.0.1:$registry_port/sizing/debian:12"

sink_port=$(free_port)
python3 -c '
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0))); self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()' "$sink_port" & pids+=($!)

credentials=$(printf '{"type":"docker-hub","username":"","password":"","registryBase":"127.0.0.1:%s"}\n' "$registry_port" | base64 -w0)
echo "| MAX_ACTIVE_OPERATIONS | jobs | wall | scans per hour | agent peak RSS | heap |"
echo "|---|---|---|---|---|---|"
for level in "${LEVELS[@]}"; do
  agent_port=$(free_port)
  env SNYK_PORT="$agent_port" CR_AGENT_HOST=127.0.0.1 MAX_ACTIVE_OPERATIONS="$level" CR_AGENT_DATA_DIR="$work/data-$level" \
      CR_AGENT_INSECURE_REGISTRIES="127.0.0.1:$registry_port" CR_AGENT_ALLOW_LOOPBACK_REGISTRY=true \
      BROKER_CLIENT_URL="http://127.0.0.1:$sink_port" CR_AGENT_CALLBACK_HOSTS=127.0.0.1 LOG_LEVEL=warn \
      CR_AGENT_LAYER_CACHE_MB="${CR_AGENT_LAYER_CACHE_MB:-0}" \
      java $JAVA_OPTS -jar target/cr-agent.jar > "$work/agent-$level.log" 2>&1 & agent=$!; pids+=($agent)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$agent_port/healthcheck" >/dev/null && break; sleep 0.2; done
  start=$(date +%s.%N); ids=()
  for _ in $(seq "$JOBS"); do
    ids+=($(curl -sf -H 'content-type: application/json' -H "authorization: $credentials" \
      --data '{"images":["sizing/debian:12"]}' "http://127.0.0.1:$agent_port/scan" | python3 -c 'import json,sys; print(json.load(sys.stdin)["jobId"])'))
  done
  for id in "${ids[@]}"; do
    until curl -sf "http://127.0.0.1:$agent_port/scan/$id" | grep -q '"state":"\(done\|failed\)"'; do sleep 0.2; done
  done
  wall=$(python3 -c "import time; print(f'{time.time() - $start:.1f}')")
  rss=$(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$agent/status)
  failed=$(for id in "${ids[@]}"; do curl -sf "http://127.0.0.1:$agent_port/scan/$id"; done | grep -c '"state":"failed"' || true)
  echo "| $level | $JOBS ($failed failed) | $wall s | $(python3 -c "print(round($JOBS * 3600 / $wall))") | $rss | $JAVA_OPTS |"
  kill "$agent"; wait "$agent" 2>/dev/null || true
done
