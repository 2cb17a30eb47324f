#!/usr/bin/env bash
# Installs the real peers the tests run against, so that a fresh machine can run the whole suite:
#   docker-registry (CNCF distribution 2.8.2), skopeo and umoci (build and push images without a Docker
#   engine), htpasswd (apache2-utils), Go (golang-go, to build test binaries); checks that moto_server is
#   there. Idempotent and quick when everything is present.
set -euo pipefail

need_apt=()
command -v docker-registry >/dev/null || need_apt+=(docker-registry)
command -v skopeo >/dev/null || need_apt+=(skopeo)
command -v umoci >/dev/null || need_apt+=(umoci)
command -v htpasswd >/dev/null || need_apt+=(apache2-utils)
# debootstrap builds the Debian test image (scripts/build-debian-test-image.sh).
command -v debootstrap >/dev/null || need_apt+=(debootstrap)
# Go builds the real Go binaries the Go analyzer is tested on.
command -v go >/dev/null || [ -x /usr/lib/go/bin/go ] || need_apt+=(golang-go)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing test peers: ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The Debian package starts a registry on :5000 on all interfaces; the tests start their own on loopback.
if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
  systemctl stop docker-registry || true
fi
# moto_server (moto 5, Python; preinstalled on these machines under pyenv) plays STS, IAM and ECR for the ECR tests.
if ! command -v moto_server >/dev/null && ! ls "${PYENV_ROOT:-$HOME/.pyenv}"/shims/moto_server >/dev/null 2>&1; then
  echo "moto_server is missing: install moto with its server extra (pip install 'moto[server]')" >&2
  exit 1
fi
echo "test peers: $(docker-registry --version 2>/dev/null | head -1); skopeo $(skopeo --version | awk '{print $3}')"
