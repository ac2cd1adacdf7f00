#!/usr/bin/env bash
# Installs javarun on Debian 12 (run as root, from anywhere):
#   - missing build, run and test dependencies (apt-get), qemu and debootstrap for the cgroup v2 guest,
#   - builds the repository this script lives in (mvn -B -q -DskipTests package),
#   - installs the jars, the native helper and JNI library, the launchers /usr/local/bin/javarun
#     and /usr/local/bin/containerd-shim-javarun-v2 (containerd's runtime io.containerd.javarun.v2),
#   - trains a class archive for faster start-up (an AOT cache on JDK 24+, AppCDS before),
#   - builds a busybox demo bundle in /var/lib/javarun/demo and runs it.
# Idempotent: run it again after pulling changes.
set -euo pipefail

REPO=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
SHARE=/usr/local/share/javarun
LIBEXEC=/usr/local/libexec/javarun
BIN=/usr/local/bin/javarun
SHIM_BIN=/usr/local/bin/containerd-shim-javarun-v2
SHIM_JAR=$SHARE/containerd-shim-javarun-v2.jar
SHIM_CDS=/var/cache/javarun/shim
DEMO=/var/lib/javarun/demo
JAR=$SHARE/javarun.jar
JSA=$SHARE/javarun.jsa
AOT=$SHARE/javarun.aot
STAMP=$SHARE/javarun.archive.stamp

step="starting"
hint=""
say() { printf '==> %s\n' "$*"; }
begin() { step=$1; hint=${2:-}; say "$step"; }
on_error() {
    local rc=$?
    {
        echo
        echo "install.sh: FAILED while ${step} (exit code ${rc}, line ${1})."
        [ -n "$hint" ] && echo "  what to do: ${hint}"
        echo "  install.sh is idempotent: fix the cause and run it again."
    } >&2
    exit "$rc"
}
trap 'on_error $LINENO' ERR

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: must run as root (it installs packages and files under /usr/local): sudo $0" >&2
    exit 1
fi
if [ ! -r /etc/debian_version ]; then
    echo "install.sh: this installer supports Debian 12 (bookworm); /etc/debian_version is missing" >&2
    exit 1
fi

# ---------------------------------------------------------------------------------------------
# Dependencies

# Prints the JAVA_HOME of a JDK (javac) with major version >= 17, preferring the one on PATH.
find_jdk() {
    local javac home major candidates=()
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(readlink -f "$(command -v javac)")")
    fi
    for javac in /usr/lib/jvm/*/bin/javac; do
        [ -x "$javac" ] && candidates+=("$(readlink -f "$javac")")
    done
    for javac in "${candidates[@]}"; do
        major=$("$javac" -version 2>&1 | sed -n 's/^javac \([0-9][0-9]*\).*/\1/p' | head -n 1)
        if [ -n "$major" ] && [ "$major" -ge 17 ]; then
            home=$(dirname "$(dirname "$javac")")
            if [ -x "$home/bin/java" ]; then
                echo "$home"
                return 0
            fi
        fi
    done
    return 1
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

begin "checking dependencies" "check network access to the Debian mirror, or install the packages listed above by hand"
missing=()
find_jdk >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v git >/dev/null 2>&1 || missing+=(git)
# The integration suite's console-socket test receives the pty over SCM_RIGHTS with Python.
[ -x /usr/bin/python3 ] || missing+=(python3)
installed libseccomp-dev || missing+=(libseccomp-dev)
installed busybox-static || missing+=(busybox-static)
command -v containerd >/dev/null 2>&1 || missing+=(containerd)
[ -x /usr/sbin/runc ] || missing+=(runc)
# The cgroup v2 tests boot a Debian guest under qemu (integration/vm): its image is made with
# debootstrap, its initramfs with cpio, its kernel modules indexed with kmod's depmod.
command -v qemu-system-x86_64 >/dev/null 2>&1 || missing+=(qemu-system-x86)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
command -v cpio >/dev/null 2>&1 || missing+=(cpio)
command -v depmod >/dev/null 2>&1 || missing+=(kmod)
command -v mkfs.ext4 >/dev/null 2>&1 || missing+=(e2fsprogs)
if [ ${#missing[@]} -gt 0 ]; then
    begin "installing dependencies: ${missing[*]}" \
        "run 'apt-get update && apt-get install ${missing[*]}' by hand to see the apt error"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
else
    say "all dependencies present"
fi

JAVA_HOME=$(find_jdk) || { step="looking for a JDK"; hint="install openjdk-17-jdk-headless"; false; }
export JAVA_HOME
say "building with JDK $JAVA_HOME"

# java_major JAVA: the feature release of that java (17, 21, 25, ...).
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1; }

# The JVM that runs javarun: the newest one >= 17 on the machine. The bytecode is Java 17's; a
# JDK 24+ brings AOT caches (classes loaded and linked ahead of time), which start javarun about
# 15% faster than JDK 17 with AppCDS (measured: README, Start-up).
JAVA=$JAVA_HOME/bin/java
JAVA_MAJOR=$(java_major "$JAVA")
for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -gt "$JAVA_MAJOR" ]; then
        JAVA=$(readlink -f "$candidate")
        JAVA_MAJOR=$major
    fi
done
say "running javarun with $JAVA (Java $JAVA_MAJOR)"

# ---------------------------------------------------------------------------------------------
# Build

begin "building javarun (mvn -B -q -DskipTests package in $REPO)" \
    "run 'cd $REPO && mvn -B -DskipTests package' to see the full build output"
(cd "$REPO" && mvn -B -q -Dstyle.color=never -DskipTests package)
for f in "$REPO/runtime-core/target/javarun.jar" "$REPO/shim/target/containerd-shim-javarun-v2.jar" \
        "$REPO/native/build/javarun-helper" "$REPO/native/build/libjavarun.so"; do
    [ -f "$f" ] || { hint="the build succeeded but did not produce $f: check the module's pom.xml / Makefile"; false; }
done

# ---------------------------------------------------------------------------------------------
# Install

begin "installing into $SHARE, $LIBEXEC and $BIN" "check that /usr/local is writable"
install -d -m 0755 "$SHARE" "$LIBEXEC" "$(dirname "$BIN")"
# The jar is replaced only when it changed: the AppCDS archive is valid only for the jar file it
# was made from (the JVM checks its size and modification time).
if ! cmp -s "$REPO/runtime-core/target/javarun.jar" "$JAR"; then
    install -m 0644 -o root -g root "$REPO/runtime-core/target/javarun.jar" "$JAR.new"
    mv -f "$JAR.new" "$JAR"
fi
install -m 0755 -o root -g root "$REPO/native/build/javarun-helper" "$LIBEXEC/javarun-helper"
install -m 0755 -o root -g root "$REPO/native/build/libjavarun.so" "$LIBEXEC/libjavarun.so"

# The JVM flags of the CLI: a short-lived process that must start fast and print nothing of its own.
JVM_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xss512k"
if [ "$JAVA_MAJOR" -ge 24 ]; then
    # JNI is a "restricted method" from JDK 24 on: allowed explicitly, or the JVM warns on stderr.
    # (An AOT cache excludes every -Xshare option.)
    JVM_FLAGS="$JVM_FLAGS --enable-native-access=ALL-UNNAMED"
    ARCHIVE_FLAG="-XX:AOTCache=$AOT"
else
    JVM_FLAGS="$JVM_FLAGS -Xshare:auto"
    ARCHIVE_FLAG="-XX:SharedArchiveFile=$JSA"
fi
launcher=$(mktemp "$BIN.XXXXXX")
cat > "$launcher" <<EOF
#!/bin/sh
# javarun launcher, generated by install.sh from $REPO
exec "$JAVA" $JVM_FLAGS $ARCHIVE_FLAG -Xlog:disable -Xlog:all=off -Djavarun.libexec=$LIBEXEC -cp $JAR io.javarun.cli.Main "\$@"
EOF
chmod 0755 "$launcher"
mv -f "$launcher" "$BIN"
"$BIN" --version >/dev/null || { hint="'$BIN --version' fails: run it to see why"; false; }

# The shim: its jar, and its launcher from the template (the daemon's own JVM flags are in it).
install -m 0644 -o root -g root "$REPO/shim/target/containerd-shim-javarun-v2.jar" "$SHIM_JAR.new"
mv -f "$SHIM_JAR.new" "$SHIM_JAR"
shim_launcher=$(mktemp "$SHIM_BIN.XXXXXX")
SHIM_JVM_FLAGS="-XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"
[ "$JAVA_MAJOR" -ge 24 ] && SHIM_JVM_FLAGS="$SHIM_JVM_FLAGS --enable-native-access=ALL-UNNAMED"
# Its class-data archives are made by the shim's first runs; a new jar or JVM needs new ones.
install -d -m 0700 -o root -g root "$SHIM_CDS"
shim_stamp="$(sha256sum "$SHIM_JAR" | cut -d' ' -f1) $JAVA"
if [ "$(cat "$SHIM_CDS/stamp" 2>/dev/null)" != "$shim_stamp" ]; then
    rm -f "$SHIM_CDS"/*.jsa "$SHIM_CDS"/*.jsa.tmp.*
    echo "$shim_stamp" > "$SHIM_CDS/stamp"
fi
sed -e "s|@JAVA@|$JAVA|" -e "s|@JAVA_MAJOR@|$JAVA_MAJOR|" -e "s|@JAR@|$SHIM_JAR|" -e "s|@LIBEXEC@|$LIBEXEC|" \
    -e "s|@JVM_FLAGS@|$SHIM_JVM_FLAGS|" -e "s|@CDS_DIR@|$SHIM_CDS|" \
    "$REPO/shim/src/main/sh/containerd-shim-javarun-v2.in" > "$shim_launcher"
chmod 0755 "$shim_launcher"
mv -f "$shim_launcher" "$SHIM_BIN"
"$SHIM_BIN" -v >/dev/null || { hint="'$SHIM_BIN -v' fails: run it to see why"; false; }

# ---------------------------------------------------------------------------------------------
# Demo bundle (rootfs from Debian's busybox-static, config from javarun spec)

begin "building the demo bundle in $DEMO" "run '$REPO/integration/rootfs/build-busybox-rootfs.sh /tmp/rootfs' to see why"
install -d -m 0755 "$DEMO"
rm -rf --one-file-system "$DEMO/rootfs"
"$REPO/integration/rootfs/build-busybox-rootfs.sh" "$DEMO/rootfs"
rm -f "$DEMO/config.json"
hint="'javarun spec' failed: run 'cd $DEMO && javarun spec'"
(cd "$DEMO" && "$BIN" spec)
hint="config.json from 'javarun spec' does not have the expected \"terminal\" and \"args\" fields"
sed -z -E -i \
    -e 's/"terminal"[[:space:]]*:[[:space:]]*true/"terminal": false/' \
    -e 's/"args"[[:space:]]*:[[:space:]]*\[[^]]*\]/"args": ["sh", "-c", "echo hello from javarun; uname -a; id"]/' \
    "$DEMO/config.json"
grep -q '"terminal": false' "$DEMO/config.json"
grep -q '"echo hello from javarun; uname -a; id"' "$DEMO/config.json"

# ---------------------------------------------------------------------------------------------
# AppCDS archive: the classes javarun loads (JDK's and its own), parsed and laid out once, mapped
# at start-up. Made as a static archive from the class lists of representative calls (a full
# `run` of the demo, `spec`, `state`, `list`): measured here, a cold call starts ~25% faster with
# it than with a dynamic archive (-XX:ArchiveClassesAtExit) of a single run, which cannot merge
# several calls on JDK 17. Rebuilt when the jar or the JVM changes. Never fails the install.

# class_list FILE javarun-args...: runs javarun, recording the classes it loads in FILE.
class_list() {
    local out=$1
    shift
    timeout 120 "$JAVA" $JVM_FLAGS -Xshare:off -XX:DumpLoadedClassList="$out" -Xlog:disable -Xlog:all=off \
        -Djavarun.libexec="$LIBEXEC" -cp "$JAR" io.javarun.cli.Main "$@" </dev/null >/dev/null 2>&1
}

# train_bundle DIR: the bundle the training runs create, the demo's with a small seccomp profile
# added (an errno rule, an argument condition, a name libseccomp does not know and so a warning),
# so that the classes a config with linux.seccomp needs are archived too: unarchived, they cost
# ~10 ms of such a create. The demo bundle itself when python3 cannot write the copy.
train_bundle() {
    local dir=$1
    mkdir -p "$dir"
    if python3 - "$DEMO" > "$dir/config.json" 2>/dev/null <<'PY'
import json, sys
config = json.load(open(sys.argv[1] + "/config.json"))
config["root"]["path"] = sys.argv[1] + "/rootfs"
config["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
    {"names": ["kexec_load", "no_such_syscall"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
    {"names": ["personality"], "action": "SCMP_ACT_ERRNO",
     "args": [{"index": 0, "value": 4294967294, "op": "SCMP_CMP_EQ"}]}]}
json.dump(config, sys.stdout)
PY
    then
        echo "$dir"
    else
        echo "$DEMO"
    fi
}

stamp="$(sha256sum "$JAR" | cut -d' ' -f1) $(stat -c %Y "$JAR") $("$JAVA" -version 2>&1 | head -n 1) $JAVA"
archive=$JSA
[ "$JAVA_MAJOR" -ge 24 ] && archive=$AOT
if [ -f "$archive" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$stamp" ]; then
    say "class archive is up to date"
elif [ "$JAVA_MAJOR" -ge 24 ]; then
    # An AOT cache is trained by one run: a full `run` of the demo loads nearly every class the
    # other commands need. Verified with AOTMode=on, which refuses an unusable cache. A first run
    # in the same private root leaves the training profile's program in its seccomp cache, so
    # that the recorded run takes the path nearly every create takes: a cache hit.
    begin "training the AOT cache"
    rm -f "$JSA" "$AOT" "$STAMP"
    work=$(mktemp -d)
    train_id="javarun-train-$$"
    timeout 120 "$JAVA" $JVM_FLAGS -Xlog:disable -Xlog:all=off -Djavarun.libexec="$LIBEXEC" -cp "$JAR" \
        io.javarun.cli.Main --root "$work/root" run --bundle "$(train_bundle "$work/bundle")" "$train_id" \
        </dev/null >/dev/null 2>&1 || true
    if timeout 120 "$JAVA" $JVM_FLAGS -XX:AOTCacheOutput="$work/javarun.aot" -Xlog:disable -Xlog:all=off \
            -Djavarun.libexec="$LIBEXEC" -cp "$JAR" io.javarun.cli.Main --root "$work/root" \
            run --bundle "$(train_bundle "$work/bundle")" "$train_id" \
            </dev/null >/dev/null 2>&1 \
        && "$JAVA" $JVM_FLAGS -XX:AOTCache="$work/javarun.aot" -XX:AOTMode=on -Xlog:disable -Xlog:all=off \
            -Djavarun.libexec="$LIBEXEC" -cp "$JAR" io.javarun.cli.Main --version >/dev/null 2>&1; then
        install -m 0644 "$work/javarun.aot" "$AOT"
        echo "$stamp" > "$STAMP"
        say "  installed $AOT"
    else
        "$BIN" --root "$work/root" delete --force "$train_id" >/dev/null 2>&1 || true
        say "  (no usable AOT cache could be made: javarun runs without it, only slower to start)"
    fi
    rm -rf --one-file-system "$work"
else
    begin "training the AppCDS archive"
    rm -f "$JSA" "$AOT" "$STAMP"
    work=$(mktemp -d)
    train_id="javarun-train-$$"
    # Failures are fine here: an error path loads classes too, and the archive is only a speed-up.
    class_list "$work/1.lst" --root "$work/root" run --bundle "$(train_bundle "$work/bundle")" "$train_id" \
        || { "$BIN" --root "$work/root" delete --force "$train_id" >/dev/null 2>&1 || true; say "  (the demo 'run' failed while training: the archive covers less)"; }
    (cd "$work" && class_list "$work/2.lst" spec) || true
    class_list "$work/3.lst" --root "$work/root" state "$train_id" || true
    class_list "$work/4.lst" --root "$work/root" list || true
    # Merge, keeping first-seen order (a lambda line must follow the classes it names).
    cat "$work"/*.lst 2>/dev/null | awk '!seen[$0]++' > "$work/all.lst" || true
    if [ -s "$work/all.lst" ] \
        && "$JAVA" $JVM_FLAGS -Xshare:dump -XX:SharedClassListFile="$work/all.lst" -XX:SharedArchiveFile="$work/javarun.jsa" \
            -Xlog:disable -Xlog:all=off -cp "$JAR" >"$work/dump.log" 2>&1 \
        && "$JAVA" $JVM_FLAGS -Xshare:on -XX:SharedArchiveFile="$work/javarun.jsa" -Xlog:disable -Xlog:all=off \
            -Djavarun.libexec="$LIBEXEC" -cp "$JAR" io.javarun.cli.Main --version >/dev/null 2>&1; then
        install -m 0644 "$work/javarun.jsa" "$JSA"
        echo "$stamp" > "$STAMP"
        say "  installed $JSA ($(wc -l < "$work/all.lst") classes listed)"
    else
        say "  (no usable archive could be made: javarun runs without it, only slower to start)"
    fi
    rm -rf --one-file-system "$work"
fi

# ---------------------------------------------------------------------------------------------
# Demo run

id="javarun-demo-$$"
begin "running the demo: javarun run --bundle $DEMO $id" \
    "javarun is installed but cannot run a container yet: run 'javarun --log /dev/stderr run --bundle $DEMO demo' to see why"
set +e
timeout 120 "$BIN" run --bundle "$DEMO" "$id" </dev/null
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    "$BIN" delete --force "$id" >/dev/null 2>&1 || true
    if [ "$rc" -eq 124 ]; then
        echo "the demo container did not finish within 120s" >&2
    else
        echo "the demo container exited with code $rc" >&2
    fi
    false
fi

trap - ERR
say "done: javarun is installed at $BIN ($("$BIN" --version | head -n 1))"
say "      containerd's runtime io.containerd.javarun.v2 is $SHIM_BIN (see README: containerd and Kubernetes)"
