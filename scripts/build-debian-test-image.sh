#!/usr/bin/env bash
# Builds the Debian 12 reference test image of scanning.md §10 (three layers) without a Docker engine:
#   layer 1  debootstrap --variant=minbase bookworm
#   layer 2  apt-get install libssl3 openssl libonig5 libjq1 jq, apt-get purge tzdata, application files
#            (/app npm project, /usr/local/lib/node_modules, jars under /opt/app, python METADATA,
#            /app/requirements.txt), rm -rf /usr/share/doc/apt
#   layer 3  hand-made tar: opaque whiteout of /usr/local/lib/node_modules + re-added lodash,
#            whiteout of /opt/app/lib/commons-lang3-3.12.0.jar, symlink /opt/app/current -> lib,
#            /opt/app/extra/commons-lang3-3.12.0.jar plus a hardlink to it
#
# Usage: scripts/build-debian-test-image.sh <out-dir>
# Produces <out-dir>/oci (OCI layout, tag "test") and <out-dir>/debian-test-image.oci.tar (oci-archive).
# The finished build is cached in ${CR_AGENT_CACHE:-$HOME/.cache/cr-agent}/debian-test-image/ and reused;
# delete that directory (or set CR_AGENT_REBUILD=1) to rebuild. Needs root, debootstrap, umoci, jar.
# Mirror: $DEBIAN_MIRROR, else the first deb.debian.org-style URI of /etc/apt/sources.list*, else deb.debian.org.
set -euo pipefail

OUT=${1:?usage: $0 <out-dir>}
CACHE_ROOT=${CR_AGENT_CACHE:-$HOME/.cache/cr-agent}
CACHE=$CACHE_ROOT/debian-test-image
RECIPE_VERSION=2
TAG=test
ARCHIVE_NAME=debian-test-image.oci.tar

log() { echo "[build-debian-test-image] $*" >&2; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9

if [[ "${CR_AGENT_REBUILD:-0}" == 1 ]]; then
  rm -rf "$CACHE/image" "$CACHE/done"
fi

if [[ ! -f "$CACHE/done" || "$(cat "$CACHE/done")" != "$RECIPE_VERSION" ]]; then
  for tool in debootstrap umoci jar chroot tar; do
    command -v "$tool" >/dev/null || { log "missing tool: $tool (apt-get install -y debootstrap umoci default-jdk-headless)"; exit 2; }
  done
  if [[ $(id -u) != 0 ]]; then log "must run as root (debootstrap, chroot)"; exit 2; fi

  MIRROR=${DEBIAN_MIRROR:-}
  if [[ -z "$MIRROR" ]]; then
    MIRROR=$(grep -rhoE '^(URIs:[[:space:]]*|deb[[:space:]]+(\[[^]]*\][[:space:]]+)?)https?://[^[:space:]]+/debian/?([[:space:]]|$)' \
               /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
             | grep -oE 'https?://[^[:space:]]+' | head -n1 || true)
  fi
  MIRROR=${MIRROR:-http://deb.debian.org/debian}
  log "mirror $MIRROR"

  WORK=$CACHE/work
  BUNDLE=$WORK/bundle
  ROOT=$BUNDLE/rootfs
  cleanup_mounts() {
    for m in "$ROOT/proc" "$ROOT/dev/pts" "$ROOT/sys"; do
      mountpoint -q "$m" 2>/dev/null && umount -l "$m" || true
    done
  }
  trap cleanup_mounts EXIT
  cleanup_mounts
  rm -rf "$WORK" "$CACHE/image" "$CACHE/done"
  mkdir -p "$WORK"
  OCI=$WORK/oci

  # ---- layer 1: debootstrap minbase ----------------------------------------------------------------------------
  umoci init --layout "$OCI"
  umoci new --image "$OCI:$TAG"
  umoci unpack --image "$OCI:$TAG" "$BUNDLE"
  # debootstrap caches .debs across runs in a separate directory so a rebuild does not refetch everything
  mkdir -p "$CACHE/debs"
  log "layer 1: debootstrap --variant=minbase bookworm"
  debootstrap --variant=minbase --cache-dir="$CACHE/debs" bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 50 "$WORK/debootstrap.log" >&2; exit 1; }
  rm -rf "$ROOT"/var/cache/apt/archives/*.deb "$ROOT"/var/lib/apt/lists/*_Packages "$ROOT"/var/log/*.log
  umoci repack --refresh-bundle --image "$OCI:$TAG" --history.created_by "debootstrap --variant=minbase bookworm" "$BUNDLE"

  # ---- layer 2: packages and application files -----------------------------------------------------------------
  log "layer 2: apt-get install, purge tzdata, application files"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  mount -t proc proc "$ROOT/proc"
  chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends libssl3 openssl libonig5 libjq1 jq' \
    >"$WORK/apt.log" 2>&1 || { tail -n 50 "$WORK/apt.log" >&2; exit 1; }
  if chroot "$ROOT" dpkg-query -W -f='${Status}' tzdata 2>/dev/null | grep -q 'install ok installed'; then
    chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      apt-get purge -y -q tzdata >>"$WORK/apt.log" 2>&1 || { tail -n 50 "$WORK/apt.log" >&2; exit 1; }
  else
    log "tzdata is not installed by minbase; purge skipped"
  fi
  chroot "$ROOT" apt-get clean
  umount "$ROOT/proc"
  rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/apt "$ROOT"/var/cache/debconf/*-old
  : >"$ROOT/etc/resolv.conf"
  rm -rf "$ROOT/usr/share/doc/apt"

  # /app: npm project with a v3 lockfile and its node_modules
  mkdir -p "$ROOT"/app/node_modules/{which,isexe,ms,lodash}
  cat >"$ROOT/app/package.json" <<'EOF'
{
  "name": "demo-app",
  "version": "1.0.0",
  "dependencies": {
    "lodash": "4.17.20",
    "ms": "2.1.3",
    "which": "2.0.2"
  }
}
EOF
  cat >"$ROOT/app/package-lock.json" <<'EOF'
{
  "name": "demo-app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "demo-app",
      "version": "1.0.0",
      "dependencies": {
        "lodash": "4.17.20",
        "ms": "2.1.3",
        "which": "2.0.2"
      }
    },
    "node_modules/isexe": {
      "version": "2.0.0",
      "resolved": "https://registry.npmjs.org/isexe/-/isexe-2.0.0.tgz",
      "integrity": "sha512-RHxMLp9lnKHGHRng9QFhRCMbYAcVpn69smSGcq3f36xjgVVWThj4qqLbTLlq7Ssj8B+fIQ1EuCEGI2lKsyQeIw=="
    },
    "node_modules/lodash": {
      "version": "4.17.20",
      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.20.tgz",
      "integrity": "sha512-PlhdFcillOINfeV7Ni6oF1TAEayyZBoZ8bcshTHqOYJYlrqzRK5hagpagky5o4HfCzzd1TRkXPMFq6cKk9rGmA=="
    },
    "node_modules/ms": {
      "version": "2.1.3",
      "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz",
      "integrity": "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA=="
    },
    "node_modules/which": {
      "version": "2.0.2",
      "resolved": "https://registry.npmjs.org/which/-/which-2.0.2.tgz",
      "integrity": "sha512-BLI3Tl1TW3Pvl70l3yq3Y64i+awpwXqsGBYWkkqMtnbXgrMD+yj7rhW0kuEDxzJaYXGjEW5ogapKNMEKNMjibA==",
      "dependencies": {
        "isexe": "^2.0.0"
      },
      "bin": {
        "node-which": "bin/node-which"
      },
      "engines": {
        "node": ">= 8"
      }
    }
  }
}
EOF
  echo '{"name":"which","version":"2.0.2","dependencies":{"isexe":"^2.0.0"}}' >"$ROOT/app/node_modules/which/package.json"
  echo '{"name":"isexe","version":"2.0.0"}' >"$ROOT/app/node_modules/isexe/package.json"
  echo '{"name":"ms","version":"2.1.3"}' >"$ROOT/app/node_modules/ms/package.json"
  echo '{"name":"lodash","version":"4.17.20"}' >"$ROOT/app/node_modules/lodash/package.json"

  # /usr/local/lib/node_modules: semver@7.5.1 -> lru-cache -> yallist, and lodash@4.17.21 (global installs)
  G=$ROOT/usr/local/lib/node_modules
  mkdir -p "$G"/{semver,lru-cache,yallist,lodash}
  echo '{"name":"semver","version":"7.5.1","dependencies":{"lru-cache":"^6.0.0"}}' >"$G/semver/package.json"
  echo '{"name":"lru-cache","version":"6.0.0","dependencies":{"yallist":"^4.0.0"}}' >"$G/lru-cache/package.json"
  echo '{"name":"yallist","version":"4.0.0"}' >"$G/yallist/package.json"
  echo '{"name":"lodash","version":"4.17.21"}' >"$G/lodash/package.json"

  # jars: thin jars with pom.properties, and a fat jar with a nested jar
  JARS=$WORK/jars
  make_jar() { # <out.jar> <groupId> <artifactId> <version> [extra-dir]
    local out=$1 g=$2 a=$3 v=$4 extra=${5:-} d
    d=$(mktemp -d "$WORK/jar.XXXXXX")
    mkdir -p "$d/META-INF/maven/$g/$a"
    printf 'groupId=%s\nartifactId=%s\nversion=%s\n' "$g" "$a" "$v" >"$d/META-INF/maven/$g/$a/pom.properties"
    printf '<project><groupId>%s</groupId><artifactId>%s</artifactId><version>%s</version></project>\n' \
      "$g" "$a" "$v" >"$d/META-INF/maven/$g/$a/pom.xml"
    if [[ -n "$extra" ]]; then cp -a "$extra/." "$d/"; fi
    (cd "$d" && jar --create --file "$out" --no-compress .)
    rm -rf "$d"
  }
  mkdir -p "$JARS/fat/BOOT-INF/lib" "$ROOT/opt/app/lib"
  make_jar "$ROOT/opt/app/lib/commons-lang3-3.12.0.jar" org.apache.commons commons-lang3 3.12.0
  make_jar "$ROOT/opt/app/lib/log4j-core-2.14.1.jar" org.apache.logging.log4j log4j-core 2.14.1
  make_jar "$JARS/fat/BOOT-INF/lib/log4j-api-2.14.1.jar" org.apache.logging.log4j log4j-api 2.14.1
  make_jar "$ROOT/opt/app/demo-app-1.0.0.jar" com.example demo-app 1.0.0 "$JARS/fat"

  # python: installed distributions and a requirements file
  SP=$ROOT/usr/local/lib/python3.11/site-packages
  mkdir -p "$SP"/{requests-2.31.0,urllib3-1.26.5,wheel-0.38.4}.dist-info
  printf '%s\n' 'Metadata-Version: 2.1' 'Name: requests' 'Version: 2.31.0' \
    'Requires-Dist: charset-normalizer (<4,>=2)' 'Requires-Dist: idna (<4,>=2.5)' \
    'Requires-Dist: urllib3 (<3,>=1.21.1)' 'Requires-Dist: certifi (>=2017.4.17)' \
    "Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'" >"$SP/requests-2.31.0.dist-info/METADATA"
  printf '%s\n' 'Metadata-Version: 2.1' 'Name: urllib3' 'Version: 1.26.5' \
    "Requires-Dist: brotlipy (>=0.6.0) ; extra == 'brotli'" >"$SP/urllib3-1.26.5.dist-info/METADATA"
  printf '%s\n' 'Metadata-Version: 2.1' 'Name: wheel' 'Version: 0.38.4' \
    "Requires-Dist: pytest (>=3.0.0) ; extra == 'test'" >"$SP/wheel-0.38.4.dist-info/METADATA"
  printf '%s\n' '# application requirements' 'requests==2.31.0' 'urllib3==1.26.5' >"$ROOT/app/requirements.txt"

  umoci repack --image "$OCI:$TAG" --history.created_by "apt-get install jq; apt-get purge tzdata; app files" "$BUNDLE"

  # ---- layer 3: hand-made tar with ./-prefixed names -----------------------------------------------------------
  log "layer 3: opaque whiteout, whiteout, symlink, hardlink"
  L3=$WORK/layer3
  mkdir -p "$L3/usr/local/lib/node_modules/lodash" "$L3/opt/app/lib" "$L3/opt/app/extra"
  : >"$L3/usr/local/lib/node_modules/.wh..wh..opq"
  echo '{"name":"lodash","version":"4.17.21"}' >"$L3/usr/local/lib/node_modules/lodash/package.json"
  : >"$L3/opt/app/lib/.wh.commons-lang3-3.12.0.jar"
  ln -s lib "$L3/opt/app/current"
  cp "$ROOT/opt/app/lib/commons-lang3-3.12.0.jar" "$L3/opt/app/extra/commons-lang3-3.12.0.jar"
  ln "$L3/opt/app/extra/commons-lang3-3.12.0.jar" "$L3/opt/app/extra/commons-lang3-hardlink-3.12.0.jar"
  # parent directories keep the modes of layer 2; --sort=name puts .wh..wh..opq before lodash/
  tar -C "$L3" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1700000000 \
    -cf "$WORK/layer3.tar" ./opt ./usr
  umoci raw add-layer --image "$OCI:$TAG" --history.created_by "layer 3 (hand-made)" "$WORK/layer3.tar"
  umoci gc --layout "$OCI"

  # ---- finish: the layout and an oci-archive ------------------------------------------------------------------
  mkdir -p "$CACHE/image"
  mv "$OCI" "$CACHE/image/oci"
  tar -C "$CACHE/image/oci" -cf "$CACHE/image/$ARCHIVE_NAME.tmp" oci-layout index.json blobs
  mv "$CACHE/image/$ARCHIVE_NAME.tmp" "$CACHE/image/$ARCHIVE_NAME"
  cleanup_mounts
  rm -rf "$WORK"
  echo "$RECIPE_VERSION" >"$CACHE/done"
  log "built $CACHE/image"
else
  log "reusing $CACHE/image"
fi

mkdir -p "$OUT"
rm -rf "$OUT/oci" "$OUT/$ARCHIVE_NAME"
cp -al "$CACHE/image/oci" "$OUT/oci" 2>/dev/null || cp -a "$CACHE/image/oci" "$OUT/oci"
ln -f "$CACHE/image/$ARCHIVE_NAME" "$OUT/$ARCHIVE_NAME" 2>/dev/null || cp "$CACHE/image/$ARCHIVE_NAME" "$OUT/$ARCHIVE_NAME"
echo "$OUT/$ARCHIVE_NAME"
