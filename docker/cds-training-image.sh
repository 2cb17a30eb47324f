#!/bin/sh
# Writes a tiny OCI image layout for the class-data-sharing training run (Dockerfile, runtime stage): an Alpine
# release file, an apk database, an npm project and a pip package, so that one `scan` loads the classes of the
# OS and application analyzers and of the snyk output. Needs only POSIX sh, tar, gzip and sha256sum.
# Usage: cds-training-image.sh OUT_DIR
set -eu
out=${1:?usage: cds-training-image.sh OUT_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root/etc" "$root/lib/apk/db" "$root/app" \
  "$root/usr/lib/python3.12/site-packages/six-1.16.0.dist-info" "$out/blobs/sha256"

cat > "$root/etc/os-release" <<'TXT'
NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.20.0
PRETTY_NAME="Alpine Linux v3.20"
TXT
cat > "$root/lib/apk/db/installed" <<'TXT'
P:musl
V:1.2.5-r0
A:x86_64
o:musl
L:MIT

P:busybox
V:1.36.1-r29
A:x86_64
o:busybox
L:GPL-2.0-only
D:so:libc.musl-x86_64.so.1

TXT
cat > "$root/app/package.json" <<'TXT'
{"name":"training-app","version":"1.0.0","dependencies":{"ms":"2.1.3"}}
TXT
cat > "$root/app/package-lock.json" <<'TXT'
{"name":"training-app","version":"1.0.0","lockfileVersion":3,"requires":true,
 "packages":{"":{"name":"training-app","version":"1.0.0","dependencies":{"ms":"2.1.3"}},
  "node_modules/ms":{"version":"2.1.3","resolved":"https://registry.npmjs.org/ms/-/ms-2.1.3.tgz","license":"MIT"}}}
TXT
cat > "$root/usr/lib/python3.12/site-packages/six-1.16.0.dist-info/METADATA" <<'TXT'
Metadata-Version: 2.1
Name: six
Version: 1.16.0
TXT

# Fixed owner and times so that the layer, and so the archive, is the same on every build.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$root" -cf "$work/layer.tar" .
gzip -n -c "$work/layer.tar" > "$work/layer.tar.gz"

blob() { # file media-type -> stores the blob, prints its descriptor
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$out/blobs/sha256/$digest"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$2" "$digest" "$(wc -c < "$1" | tr -d ' ')"
}

diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
layer=$(blob "$work/layer.tar.gz" application/vnd.oci.image.layer.v1.tar+gzip)
printf '{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Env":["PATH=/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"history":[{"created":"2024-01-01T00:00:00Z","created_by":"cds-training-image.sh"}]}' \
  "$diff_id" > "$work/config.json"
config=$(blob "$work/config.json" application/vnd.oci.image.config.v1+json)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s,"layers":[%s]}' \
  "$config" "$layer" > "$work/manifest.json"
manifest=$(blob "$work/manifest.json" application/vnd.oci.image.manifest.v1+json)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
  "$(printf '%s' "$manifest" | sed 's/}$/,"platform":{"architecture":"amd64","os":"linux"},"annotations":{"org.opencontainers.image.ref.name":"training"}}/')" \
  > "$out/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$out/oci-layout"
