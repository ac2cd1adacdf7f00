#!/usr/bin/env bash
# The cgroup v2 suite in the test guest, from the host: builds the guest image (or takes it from
# the cache), hands in the javarun of this build (jar, helper, JNI library) with guest-tests.sh,
# boots the guest and prints its console, whose RESULT lines CgroupV2VmTest checks.
#
#   run-vm-tests.sh REPO WORK_DIR [CACHE_DIR]     (as root; CACHE_DIR: /var/cache/javarun-vm)
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 REPO WORK_DIR [CACHE_DIR]" >&2; exit 2; }
repo=$(cd "$1" && pwd)
work=$2
cache=${3:-/var/cache/javarun-vm}
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)

for f in runtime-core/target/javarun.jar native/build/javarun-helper native/build/libjavarun.so; do
    [ -f "$repo/$f" ] || { echo "run-vm-tests: $repo/$f missing: build first (mvn -B -DskipTests package)" >&2; exit 1; }
done

started=$(date +%s)
image=$("$here/build-guest.sh" "$cache")
echo "VM image $image ready after $(( $(date +%s) - started )) s"

payload="$work/payload"
rm -rf "$payload"
mkdir -p "$payload"
install -m 0644 "$repo/runtime-core/target/javarun.jar" "$payload/javarun.jar"
install -m 0755 "$repo/native/build/javarun-helper" "$repo/native/build/libjavarun.so" "$payload/"
install -m 0755 "$repo/integration/rootfs/build-busybox-rootfs.sh" "$payload/build-busybox-rootfs.sh"
install -m 0755 "$here/guest-tests.sh" "$payload/run.sh"
# The guest's launcher: the CLI's JVM flags (install.sh's), Debian's JRE 17 with its own CDS archive.
cat > "$payload/javarun" <<'LAUNCHER'
#!/bin/sh
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k -Xshare:auto \
    -Djavarun.libexec=/opt/javarun -cp /opt/javarun/javarun.jar io.javarun.cli.Main "$@"
LAUNCHER
chmod 0755 "$payload/javarun"

booted=$(date +%s)
"$here/run-guest.sh" "$image" "$payload" "$work" "${JAVARUN_VM_TIMEOUT:-900}"
echo "VM boot and suite took $(( $(date +%s) - booted )) s (all: $(( $(date +%s) - started )) s)"
