#!/usr/bin/env bash
# Installs the real snyk-broker 5.22.14 (server and classic client; broker-protocol.md §10) into a scratch npm
# project OUTSIDE the repository, with the two files it needs to run offline on loopback:
#   config.default.json  - the 4 workload keys the npm tarball lacks (found in any ancestor directory)
#   force-loopback.js    - preloaded with `node -r` so that every listen(port) binds 127.0.0.1
#
#   scripts/install-snyk-broker.sh           # idempotent; quick when already installed
#   CR_AGENT_BROKER_DIR=/some/dir scripts/install-snyk-broker.sh
#
# Run:  env -i PATH="$PATH" PORT=… ACCEPT=… node -r "$DIR/force-loopback.js" "$DIR/node_modules/snyk-broker/dist/cli/index.js" server|client
set -euo pipefail

VERSION=5.22.14
BROKER_DIR="${CR_AGENT_BROKER_DIR:-$HOME/.cache/cr-agent/snyk-broker-$VERSION}"
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() { echo "install-snyk-broker: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed (Node 20 expected)"
command -v npm >/dev/null || die "npm is not installed"
case "$BROKER_DIR" in
  "$REPO_DIR"|"$REPO_DIR"/*) die "CR_AGENT_BROKER_DIR must be outside the repository ($REPO_DIR)";;
esac
mkdir -p "$BROKER_DIR"

PKG_JSON='{
  "name": "cr-agent-snyk-broker-peer",
  "version": "1.0.0",
  "private": true,
  "description": "Scratch project: the real snyk-broker as a test peer of cr-agent",
  "dependencies": {
    "snyk-broker": "'"$VERSION"'"
  }
}'

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1] + "/node_modules/snyk-broker/package.json").version) } catch (e) {}' "$BROKER_DIR"
}

if [ "$(cat "$BROKER_DIR/package.json" 2>/dev/null || true)" != "$PKG_JSON" ]; then
  printf '%s\n' "$PKG_JSON" > "$BROKER_DIR/package.json"
  rm -f "$BROKER_DIR/.installed-ok"
fi

if [ "$(installed_version)" != "$VERSION" ] || [ ! -f "$BROKER_DIR/.installed-ok" ]; then
  echo "installing snyk-broker@$VERSION into $BROKER_DIR"
  start=$(date +%s)
  # The package declares engines.node >=24; Node 20 runs it (§10.1).
  (cd "$BROKER_DIR" && npm install --no-audit --no-fund --loglevel=error --engine-strict=false) || die "npm install failed in $BROKER_DIR"
  [ "$(installed_version)" = "$VERSION" ] || die "after npm install, snyk-broker is '$(installed_version)', expected $VERSION"
  touch "$BROKER_DIR/.installed-ok"
  echo "installed in $(( $(date +%s) - start )) s: $(du -sh "$BROKER_DIR/node_modules" | cut -f1) in node_modules"
fi

# Always refresh our two files (they are the repository's and may change with it).
cp "$REPO_DIR/bench/broker/config.default.json" "$BROKER_DIR/config.default.json"
cp "$REPO_DIR/bench/broker/force-loopback.js" "$BROKER_DIR/force-loopback.js"

echo "snyk-broker $(installed_version) ready in $BROKER_DIR (cli: $BROKER_DIR/node_modules/snyk-broker/dist/cli/index.js)"
