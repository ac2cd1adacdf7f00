#!/bin/sh
# Builds an OCI image archive of the busybox rootfs (integration/rootfs), offline, for
# `ctr images import`: uncompressed layers, named by the io.containerd.image.name annotation.
#   build-busybox-image.sh OUT.tar [IMAGE-NAME [LAYERS]]
# LAYERS > 1 adds that many - 1 small layers on top (each one file, /layers/N): an image whose
# overlay mount options are longer than one page.
set -eu
out=$1
name=${2:-docker.io/javarun/busybox:test}
layers=${3:-1}
here=$(dirname "$(readlink -f "$0")")
work=$(mktemp -d)
trap 'rm -rf --one-file-system "$work"' EXIT

"$here/../rootfs/build-busybox-rootfs.sh" "$work/rootfs" >/dev/null
mkdir -p "$work/image/blobs/sha256"
blob() { # FILE -> prints "sha256:HEX SIZE" and stores it as a blob
    d=$(sha256sum "$1" | cut -d' ' -f1)
    s=$(stat -c %s "$1")
    cp "$1" "$work/image/blobs/sha256/$d"
    echo "sha256:$d $s"
}
# A reproducible layer: sorted names, fixed owner and time.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00:00' \
    -C "$work/rootfs" -cf "$work/layer.tar" .
set -- $(blob "$work/layer.tar"); layer=$1 layer_size=$2
diff_ids="\"$layer\""
descriptors="{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$layer\",\"size\":$layer_size}"
i=2
while [ "$i" -le "$layers" ]; do
    mkdir -p "$work/extra/layers"
    echo "$i" > "$work/extra/layers/$i"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2020-01-01 00:00:00' \
        -C "$work/extra" -cf "$work/layer-$i.tar" "layers/$i"
    rm -rf "$work/extra"
    set -- $(blob "$work/layer-$i.tar")
    diff_ids="$diff_ids,\"$1\""
    descriptors="$descriptors,{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"$1\",\"size\":$2}"
    i=$((i + 1))
done
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":[$diff_ids]}}
JSON
set -- $(blob "$work/config.json"); config=$1 config_size=$2
cat > "$work/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config","size":$config_size},"layers":[$descriptors]}
JSON
set -- $(blob "$work/manifest.json"); manifest=$1 manifest_size=$2
cat > "$work/image/index.json" <<JSON
{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"$manifest","size":$manifest_size,"annotations":{"io.containerd.image.name":"$name","org.opencontainers.image.ref.name":"test"}}]}
JSON
echo '{"imageLayoutVersion":"1.0.0"}' > "$work/image/oci-layout"
tar -C "$work/image" -cf "$out" oci-layout index.json blobs
