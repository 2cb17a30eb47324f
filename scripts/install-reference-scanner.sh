#!/usr/bin/env bash
# Installs the reference scanner, snyk-docker-plugin 9.20.2 (scanning.md §12), into a scratch npm project
# OUTSIDE the repository and puts our runner (bench/reference/run-snyk-docker-plugin.js) beside it.
#
#   scripts/install-reference-scanner.sh          # idempotent; quick when already installed
#   CR_AGENT_REFERENCE_DIR=/some/dir scripts/install-reference-scanner.sh
#
# Needs node + npm (the npm registry only) and, for peak-RSS measurements, GNU time (Debian `time`).
# The Java helper io.cragent.testsupport.ReferenceScanner finds the project through the same variable.
set -euo pipefail

VERSION=9.20.2
REF_DIR="${CR_AGENT_REFERENCE_DIR:-$HOME/.cache/cr-agent/snyk-docker-plugin-$VERSION}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNNER_SRC="$REPO_DIR/bench/reference/run-snyk-docker-plugin.js"

die() { echo "install-reference-scanner: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed (Node 20 expected)"
command -v npm >/dev/null || die "npm is not installed"
[ -f "$RUNNER_SRC" ] || die "runner missing: $RUNNER_SRC"

# GNU time for wall time + peak RSS (ReferenceScanner.scanMeasured); optional, best effort.
if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "installing GNU time (apt package: time)"
  { $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends time >/dev/null; } \
    || echo "warning: could not install GNU time; measured scans will report no peak RSS" >&2
fi

case "$REF_DIR" in
  "$REPO_DIR"|"$REPO_DIR"/*) die "CR_AGENT_REFERENCE_DIR must be outside the repository ($REPO_DIR)";;
esac
mkdir -p "$REF_DIR"

# shescape: snyk-docker-plugin 9.20.2 depends on shescape ^2.1.14 directly; registries
# without 2.1.14+ (this one stops at 2.1.12, then 3.0.2) fail with ETARGET, so pin 2.1.12 (§12 point 1).
PKG_JSON='{
  "name": "cr-agent-reference-scanner",
  "version": "1.0.0",
  "private": true,
  "description": "Scratch project: snyk-docker-plugin as the reference scanner for cr-agent tests",
  "dependencies": {
    "snyk-docker-plugin": "'"$VERSION"'"
  },
  "overrides": {
    "shescape": "2.1.12"
  }
}'

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1] + "/node_modules/snyk-docker-plugin/package.json").version) } catch (e) {}' "$REF_DIR"
}

if [ "$(cat "$REF_DIR/package.json" 2>/dev/null || true)" != "$PKG_JSON" ]; then
  printf '%s\n' "$PKG_JSON" > "$REF_DIR/package.json"
  rm -f "$REF_DIR/.installed-ok"
fi

if [ "$(installed_version)" != "$VERSION" ] || [ ! -f "$REF_DIR/.installed-ok" ]; then
  echo "installing snyk-docker-plugin@$VERSION into $REF_DIR"
  start=$(date +%s)
  (cd "$REF_DIR" && npm install --no-audit --no-fund --loglevel=error) || die "npm install failed in $REF_DIR"
  [ "$(installed_version)" = "$VERSION" ] || die "after npm install, snyk-docker-plugin is '$(installed_version)', expected $VERSION"
  # The plugin must load (catches a broken dependency tree before any test runs).
  node -e 'require(process.argv[1] + "/node_modules/snyk-docker-plugin")' "$REF_DIR" || die "snyk-docker-plugin does not load"
  touch "$REF_DIR/.installed-ok"
  echo "installed in $(( $(date +%s) - start )) s: $(du -sh "$REF_DIR/node_modules" | cut -f1) in node_modules"
fi

# Always refresh the runner (it is ours and may change with the repository).
cp "$RUNNER_SRC" "$REF_DIR/run-snyk-docker-plugin.js"

echo "snyk-docker-plugin $(installed_version) ready in $REF_DIR (runner: $REF_DIR/run-snyk-docker-plugin.js)"
