#!/usr/bin/env bash
# containerd benchmark: io.containerd.javarun.v2 against io.containerd.runc.v2 under a private
# containerd (Debian's), through ctr, alternating, as root.
#
#   integration/bench/shim-bench.sh          # N=20 rounds, the installed shim
#   N=50 SHIM_DIR=/dir/with/containerd-shim-javarun-v2 integration/bench/shim-bench.sh
#
# Measures (wall clock, median of N):
#   - `ctr run --rm` of busybox `true`: a cold shim each time (start, create, start, wait, delete),
#   - the same while another task of the namespace runs (javarun's daemon is up: a new pod costs
#     the shim's `start` and an in-process create; runc's shim starts a new shim either way),
#   - `ctr task exec` of `true` into a running task (the shim already up: this is where javarun's
#     in-process exec competes with runc's shim spawning `runc exec`),
#   - 20 containers started (ctr run -d) in one shim group (a pod): the total,
#   - memory of 10 running tasks, each its own group (pods of one container): the summed RSS
#     and PSS of the shim processes serving them.
# Prints a markdown table. containerd, its state and everything else are removed at the end.
set -euo pipefail

N=${N:-20}
SHIM_DIR=${SHIM_DIR:-$(dirname "$(command -v containerd-shim-javarun-v2 || echo /usr/local/bin/x)")}
HERE=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)

die() { echo "shim-bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root"
[ -x "$SHIM_DIR/containerd-shim-javarun-v2" ] || die "containerd-shim-javarun-v2 not found: run ./install.sh, or set SHIM_DIR"
command -v containerd >/dev/null || die "containerd not found: apt-get install containerd"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer"

work=$(mktemp -d /tmp/jrb.XXXXXX)
ns=bench$$
sock=$work/c.sock
ctr() { command ctr -a "$sock" -n "$ns" "$@"; }
cpid=
cleanup() {
    set +e
    for id in $(ctr tasks ls -q 2>/dev/null); do ctr tasks kill -s KILL "$id" >/dev/null 2>&1; sleep 0.2; ctr tasks rm -f "$id" >/dev/null 2>&1; done
    for id in $(ctr containers ls -q 2>/dev/null); do ctr containers rm "$id" >/dev/null 2>&1; done
    [ -n "$cpid" ] && kill "$cpid" && wait "$cpid" 2>/dev/null
    for m in $(awk -v d="$work/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do umount -l "$m"; done
    rm -rf --one-file-system "$work"
    for c in /sys/fs/cgroup/*/"$ns"; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null; done
    rmdir /run/containerd/javarun/"$ns" 2>/dev/null
}
trap cleanup EXIT

cat > "$work/config.toml" <<TOML
version = 2
root = "$work/root"
state = "$work/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
TOML
# No lingering daemon between runs: each `ctr run --rm` below starts its shim cold.
PATH=$SHIM_DIR:$PATH JAVARUN_SHIM_LINGER=0 containerd --config "$work/config.toml" >"$work/containerd.log" 2>&1 &
cpid=$!
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
[ -S "$sock" ] || die "containerd did not start: $(cat "$work/containerd.log")"
"$HERE/../image/build-busybox-image.sh" "$work/busybox.tar" docker.io/javarun/busybox:bench
ctr images import "$work/busybox.tar" >/dev/null
image=docker.io/javarun/busybox:bench

now_ns() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
ms() { awk -v ns="$1" 'BEGIN {printf "%.1f", ns / 1000000}'; }

declare -A runs execs
for rt in runc javarun; do runs[$rt]=""; execs[$rt]=""; done
runtime() { [ "$1" = runc ] && echo io.containerd.runc.v2 || echo io.containerd.javarun.v2; }

# Warm-up: one of each, not counted (page cache, first containerd snapshot).
for rt in runc javarun; do ctr run --rm --runtime "$(runtime $rt)" "$image" "warm-$rt" true; done

for i in $(seq "$N"); do
    for rt in runc javarun; do
        t0=$(now_ns); ctr run --rm --runtime "$(runtime $rt)" "$image" "r-$rt-$i" true; t1=$(now_ns)
        runs[$rt]+="$((t1 - t0))"$'\n'
    done
done

for rt in runc javarun; do
    ctr run -d --runtime "$(runtime $rt)" "$image" "svc-$rt" sleep 100000
done
declare -A warm
for rt in runc javarun; do warm[$rt]=""; done
for i in $(seq "$N"); do
    for rt in runc javarun; do
        t0=$(now_ns); ctr run --rm --runtime "$(runtime $rt)" "$image" "w-$rt-$i" true; t1=$(now_ns)
        warm[$rt]+="$((t1 - t0))"$'\n'
    done
done
for i in $(seq "$N"); do
    for rt in runc javarun; do
        t0=$(now_ns); ctr tasks exec --exec-id "e$i" "svc-$rt" true; t1=$(now_ns)
        execs[$rt]+="$((t1 - t0))"$'\n'
    done
done
# 20 containers in one group (one shim), started one after the other.
declare -A group
for rt in runc javarun; do
    t0=$(now_ns)
    for i in $(seq 20); do
        ctr run -d --runtime "$(runtime $rt)" --annotation io.containerd.runc.v2.group="g-$rt" "$image" "g-$rt-$i" sleep 100000
    done
    t1=$(now_ns)
    group[$rt]=$((t1 - t0))
    for i in $(seq 20); do ctr tasks kill -s KILL "g-$rt-$i" >/dev/null; done
    for i in $(seq 20); do
        for _ in $(seq 50); do ctr tasks ls | grep -q "^g-$rt-$i .*STOPPED" && break; sleep 0.1; done
        ctr tasks rm "g-$rt-$i" >/dev/null; ctr containers rm "g-$rt-$i" >/dev/null
    done
done

# 10 tasks, no group given (pods of one container): the memory of every shim process serving
# them, summed (kB). runc's shim runs one process per task; javarun's daemon serves all the
# groups of a namespace in one JVM.
for rt in runc javarun; do ctr tasks kill -s KILL "svc-$rt" >/dev/null; done
for rt in runc javarun; do
    for _ in $(seq 50); do ctr tasks ls | grep -q "^svc-$rt .*STOPPED" && break; sleep 0.1; done
    ctr tasks rm "svc-$rt" >/dev/null; ctr containers rm "svc-$rt" >/dev/null
done
sleep 1
shim_pids() { # runtime -> pids of its shim processes serving our namespace
    if [ "$1" = runc ]; then
        ps -eo pid=,args= | awk -v ns="$ns" '$0 ~ ("-namespace " ns " ") && $0 ~ /containerd-shim-runc-v2/ && $0 !~ /awk/ {print $1}'
    else
        ps -eo pid=,args= | awk -v ns="$ns" '$0 ~ ("-namespace " ns " ") && $0 ~ /io.javarun.shim.Main/ && $0 ~ / daemon$/ {print $1}'
    fi
}
declare -A rss pss nshims
for rt in runc javarun; do
    for i in $(seq 10); do ctr run -d --runtime "$(runtime $rt)" "$image" "m-$rt-$i" sleep 100000; done
    sleep 1
    r=0; p=0; n=0
    for pid in $(shim_pids $rt); do
        r=$((r + $(awk '/^Rss:/ {print $2}' /proc/$pid/smaps_rollup)))
        p=$((p + $(awk '/^Pss:/ {print $2}' /proc/$pid/smaps_rollup)))
        n=$((n + 1))
    done
    [ "$n" -ge 1 ] || die "no $rt shim process found"
    rss[$rt]=$r; pss[$rt]=$p; nshims[$rt]=$n
done

rr=$(printf '%s' "${runs[runc]}" | median); rj=$(printf '%s' "${runs[javarun]}" | median)
er=$(printf '%s' "${execs[runc]}" | median); ej=$(printf '%s' "${execs[javarun]}" | median)
wr=$(printf '%s' "${warm[runc]}" | median); wj=$(printf '%s' "${warm[javarun]}" | median)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}'; }
echo
echo "| N=$N, median | io.containerd.runc.v2 | io.containerd.javarun.v2 | javarun / runc |"
echo "|---|---:|---:|---:|"
echo "| \`ctr run --rm\` of \`true\` (cold shim) | $(ms "$rr") ms | $(ms "$rj") ms | $(ratio "$rj" "$rr") |"
echo "| \`ctr run --rm\` of \`true\`, another task running | $(ms "$wr") ms | $(ms "$wj") ms | $(ratio "$wj" "$wr") |"
echo "| \`ctr task exec\` of \`true\` | $(ms "$er") ms | $(ms "$ej") ms | $(ratio "$ej" "$er") |"
echo "| 20 \`ctr run -d\` in one shim group (total) | $(ms "${group[runc]}") ms | $(ms "${group[javarun]}") ms | $(ratio "${group[javarun]}" "${group[runc]}") |"
echo "| 10 running tasks: shim processes | ${nshims[runc]} | ${nshims[javarun]} | |"
echo "| 10 running tasks: shims' RSS | $(mib "${rss[runc]}") | $(mib "${rss[javarun]}") | $(ratio "${rss[javarun]}" "${rss[runc]}") |"
echo "| 10 running tasks: shims' PSS | $(mib "${pss[runc]}") | $(mib "${pss[javarun]}") | $(ratio "${pss[javarun]}" "${pss[runc]}") |"
