#!/usr/bin/env bash
# Start-up benchmark: javarun against runc on the same busybox bundle, alternating, as root.
#
#   integration/bench/run-bench.sh            # N=20 rounds, the installed javarun
#   N=50 JAVARUN=/path/to/javarun RUNC=/usr/sbin/runc integration/bench/run-bench.sh
#
# Measures (wall clock, median of N):
#   - `run` of a container whose process is busybox `true` (create + start + wait + delete),
#   - a cold CLI call that fails fast: `state <missing id>`,
#   - `exec <id> true` into a running container (busybox `sleep`),
#   - `create` of a container with a Docker-shaped seccomp profile (docker-shaped-seccomp.py,
#     some 340 rules) and memory, cpu and pids limits (its `delete` is not timed).
# Prints a markdown table for the README. Each runtime gets its own --root; everything is removed
# at the end. No test depends on these timings.
set -euo pipefail

N=${N:-20}
JAVARUN=${JAVARUN:-$(command -v javarun || true)}
RUNC=${RUNC:-/usr/sbin/runc}
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
ROOTFS_SCRIPT=$HERE/../rootfs/build-busybox-rootfs.sh

die() { echo "run-bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root"
[ -n "$JAVARUN" ] && [ -x "$JAVARUN" ] || die "javarun not found: run ./install.sh, or set JAVARUN=/path/to/javarun"
[ -x "$RUNC" ] || die "runc not found at $RUNC: apt-get install runc, or set RUNC="
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer"

work=$(mktemp -d /tmp/javarun-bench.XXXXXX)
cleanup() {
    # Containers a failed round may have left, each runtime in its own root; then the files.
    local rt bin id
    for rt in runc javarun; do
        if [ "$rt" = runc ]; then bin=$RUNC; else bin=$JAVARUN; fi
        [ -d "$work/root-$rt" ] || continue
        for id in $("$bin" --root "$work/root-$rt" list -q 2>/dev/null); do
            "$bin" --root "$work/root-$rt" delete --force "$id" >/dev/null 2>&1 || true
        done
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# The bundle: busybox rootfs, runc's template with the process `true` and no terminal.
bundle=$work/bundle
mkdir -p "$bundle"
"$ROOTFS_SCRIPT" "$bundle/rootfs"
(cd "$bundle" && "$RUNC" spec)
sed -z -E -i \
    -e 's/"terminal"[[:space:]]*:[[:space:]]*true/"terminal": false/' \
    -e 's/"args"[[:space:]]*:[[:space:]]*\[[^]]*\]/"args": ["true"]/' \
    "$bundle/config.json"
grep -q '"args": \["true"\]' "$bundle/config.json" || die "could not edit $bundle/config.json"

# A bundle with a seccomp profile of Docker's shape and resource limits, for create.
sc_bundle=$work/sc-bundle
mkdir -p "$sc_bundle"
cp -a "$bundle/rootfs" "$sc_bundle/rootfs"
"$HERE/docker-shaped-seccomp.py" > "$work/seccomp.json"
python3 - "$bundle/config.json" "$work/seccomp.json" > "$sc_bundle/config.json" <<'PY'
import json, sys
config = json.load(open(sys.argv[1]))
config["linux"]["seccomp"] = json.load(open(sys.argv[2]))
config["linux"]["resources"].update({"memory": {"limit": 268435456}, "cpu": {"shares": 512},
                                     "pids": {"limit": 100}})
json.dump(config, sys.stdout, indent=2)
PY
sc_rules=$(python3 -c 'import json, sys; print(sum(len(r["names"]) for r in json.load(open(sys.argv[1]))["syscalls"]))' \
    "$work/seccomp.json")

# A second bundle whose process keeps running, for exec.
svc_bundle=$work/svc-bundle
mkdir -p "$svc_bundle"
cp -a "$bundle/rootfs" "$svc_bundle/rootfs"
sed 's/"args": \["true"\]/"args": ["sleep", "100000"]/' "$bundle/config.json" > "$svc_bundle/config.json"

now_ns() { date +%s%N; }

# time_ms VAR EXPECTED_RC command...: runs the command, checks its exit code, stores milliseconds.
time_ms() {
    local __var=$1 expected=$2 start end rc
    shift 2
    start=$(now_ns)
    set +e
    "$@" >"$work/out" 2>&1
    rc=$?
    set -e
    end=$(now_ns)
    if [ "$rc" -ne "$expected" ]; then
        echo "run-bench: '$*' exited with $rc (expected $expected):" >&2
        cat "$work/out" >&2
        exit 1
    fi
    printf -v "$__var" '%d.%03d' $(( (end - start) / 1000000 )) $(( (end - start) / 1000 % 1000 ))
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A samples
record() { samples[$1]+="$2"$'\n'; }

echo "==> javarun: $JAVARUN ($("$JAVARUN" --version | head -n 1))"
echo "==> runc:    $RUNC ($("$RUNC" --version | head -n 1))"
echo "==> $N rounds, alternating; one warm-up round first"

svc="bench-$$-svc"
for rt in runc javarun; do
    if [ "$rt" = runc ]; then bin=$RUNC; else bin=$JAVARUN; fi
    "$bin" --root "$work/root-$rt" run -d --bundle "$svc_bundle" "$svc" </dev/null >/dev/null
done

for round in $(seq 0 "$N"); do
    for rt in runc javarun; do
        if [ "$rt" = runc ]; then bin=$RUNC; else bin=$JAVARUN; fi
        id="bench-$$-$rt-$round"
        time_ms t_run 0 "$bin" --root "$work/root-$rt" run --bundle "$bundle" "$id"
        time_ms t_state 1 "$bin" --root "$work/root-$rt" state "bench-missing-$$"
        time_ms t_exec 0 "$bin" --root "$work/root-$rt" exec "$svc" true
        time_ms t_create 0 "$bin" --root "$work/root-$rt" create --bundle "$sc_bundle" "$id-sc"
        "$bin" --root "$work/root-$rt" delete --force "$id-sc" >/dev/null
        if [ "$round" -gt 0 ]; then
            record "run-$rt" "$t_run"
            record "state-$rt" "$t_state"
            record "exec-$rt" "$t_exec"
            record "create-$rt" "$t_create"
        fi
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
run_runc=$(printf '%s' "${samples[run-runc]}" | median)
run_javarun=$(printf '%s' "${samples[run-javarun]}" | median)
state_runc=$(printf '%s' "${samples[state-runc]}" | median)
state_javarun=$(printf '%s' "${samples[state-javarun]}" | median)
exec_runc=$(printf '%s' "${samples[exec-runc]}" | median)
exec_javarun=$(printf '%s' "${samples[exec-javarun]}" | median)
create_runc=$(printf '%s' "${samples[create-runc]}" | median)
create_javarun=$(printf '%s' "${samples[create-javarun]}" | median)

cat <<EOF

Median of $N, $(nproc) CPUs, kernel $(uname -r), $(date -u +%Y-%m-%d):

| operation | runc (ms) | javarun (ms) | javarun / runc |
|---|---:|---:|---:|
| \`run\` busybox \`true\` (create, start, wait, delete) | $run_runc | $run_javarun | $(ratio "$run_javarun" "$run_runc") |
| cold CLI call: \`state <missing id>\` | $state_runc | $state_javarun | $(ratio "$state_javarun" "$state_runc") |
| \`exec <id> true\` into a running container | $exec_runc | $exec_javarun | $(ratio "$exec_javarun" "$exec_runc") |
| \`create\` with a Docker-shaped seccomp profile ($sc_rules rules) and resources | $create_runc | $create_javarun | $(ratio "$create_javarun" "$create_runc") |
EOF
