#!/bin/bash
# The cgroup v2 suite, run inside the test guest (booted cgroup-v2-only) as the payload's run.sh.
# Each scenario runs the same config with runc (the reference) and javarun, side by side, and
# prints one line per check on the console:
#   RESULT <name> PASS|FAIL <detail>
# then "RESULTS DONE passed=N failed=M". CgroupV2VmTest asserts every line. Small on purpose:
# every javarun call starts a JVM, several times slower under TCG than on the host.
set -u
export PATH=/opt/javarun:/usr/sbin:/usr/bin:/sbin:/bin
P=/opt/javarun
W=/root/work
CG=/sys/fs/cgroup
passed=0
failed=0

pass() { echo "RESULT $1 PASS ${2:-}"; passed=$((passed + 1)); }
fail() { echo "RESULT $1 FAIL ${2:-}"; failed=$((failed + 1)); }
# check NAME WANTED GOT: passes when equal
check() { if [ "$2" = "$3" ]; then pass "$1" "$3"; else fail "$1" "wanted '$2', got '$3'"; fi; }
readf() { tr '\n' ' ' < "$1" 2>/dev/null | sed 's/ *$//'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# mkbundle DIR ARGS_JSON RESOURCES_JSON: a busybox bundle with a minimal config (runc's shape).
mkbundle() {
    mkdir -p "$1"
    cp -a "$W/rootfs" "$1/rootfs"
    # CAP_SYSLOG: Debian's kernel restricts reading /dev/kmsg (dmesg_restrict), which the device test opens.
    local caps='["CAP_KILL","CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_SETUID","CAP_SETGID","CAP_SYSLOG"]'
    cat > "$1/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false, "user": {"uid": 0, "gid": 0}, "args": $2, "cwd": "/",
    "env": ["PATH=/bin:/sbin:/usr/bin:/usr/sbin"],
    "capabilities": {"bounding": $caps, "effective": $caps, "permitted": $caps},
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs"},
  "hostname": "ct",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts", "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "relatime", "ro"]}
  ],
  "linux": {
    "resources": $3,
    "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]
  }
}
EOF
}

# wait_for SECONDS COMMAND...: polls every 0.2 s until the command succeeds.
wait_for() {
    local deadline=$(( $(date +%s) + $1 ))
    shift
    until "$@"; do
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

echo "GUEST kernel=$(uname -r) controllers=$(cat $CG/cgroup.controllers | tr ' ' ,)"
echo "GUEST runc=$(runc --version | head -n 1 | awk '{print $3}') java=$(java -version 2>&1 | head -n 1)"
mkdir -p "$W"
BUSYBOX=/bin/busybox "$P/build-busybox-rootfs.sh" "$W/rootfs" >/dev/null
t=$(now)
javarun --version >/dev/null
echo "GUEST javarun --version took $(elapsed "$t") s"
disk=$(cat /sys/block/vda/dev)

# ------------------------------------------------------------------------------------------------
# 1. Every resource read back from the cgroup files: javarun's equal to runc's, and to the values
#    runc's fs2 conversions give.
RES='{
  "memory": {"limit": 67108864, "reservation": 33554432, "swap": 134217728},
  "cpu": {"shares": 512, "quota": 20000, "period": 100000, "cpus": "0", "mems": "0", "idle": 0},
  "pids": {"limit": 64},
  "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": '"${disk%:*}"', "minor": '"${disk#*:}"', "rate": 1048576}],
              "throttleWriteIOPSDevice": [{"major": '"${disk%:*}"', "minor": '"${disk#*:}"', "rate": 300}]},
  "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
  "unified": {"memory.high": "50331648"}
}'
FILES="memory.max memory.low memory.swap.max memory.high cpu.weight cpu.max cpu.idle cpuset.cpus cpuset.mems pids.max io.weight io.max hugetlb.2MB.max"
declare -A WANT=(
    [memory.max]=67108864 [memory.low]=33554432 [memory.swap.max]=67108864 [memory.high]=50331648
    [cpu.weight]=20 [cpu.max]="20000 100000" [cpu.idle]=0 [cpuset.cpus]=0 [cpuset.mems]=0 [pids.max]=64
    [io.weight]="default 4950" [io.max]="$disk rbps=1048576 wbps=max riops=max wiops=300" [hugetlb.2MB.max]=4194304
)
for rt in runc javarun; do
    mkbundle "$W/res-$rt" '["sleep", "600"]' "$RES"
    t=$(now)
    # Output to a file: the container's process inherits it, and would hold a pipe open.
    if ! $rt create --bundle "$W/res-$rt" "res-$rt" >"$W/res-$rt.out" 2>&1 </dev/null; then
        fail "resources/$rt/create" "$(cat "$W/res-$rt.out")"
        continue
    fi
    echo "GUEST $rt create took $(elapsed "$t") s"
    for f in $FILES; do
        eval "got_${rt}_${f//[.]/_}=\"\$(readf $CG/res-$rt/$f)\""
    done
done
for f in $FILES; do
    key=${f//[.]/_}
    r=$(eval echo "\${got_runc_$key:-}")
    j=$(eval echo "\${got_javarun_$key:-}")
    check "resources/$f/javarun=runc" "$r" "$j"
    check "resources/$f/value" "${WANT[$f]}" "$j"
done

# events --stats on the same container: runc's JSON shape and the limits read back (pids.current
# differs: runc's init is a Go program with several threads until it execs).
stats=$(javarun events --stats res-javarun 2>&1)
rstats=$(runc events --stats res-runc 2>&1)
for want in '"type":"stats"' '"limit":67108864' '"limit":64},"blkio"' '"ioServiceBytesRecursive"\|"blkio":{}' \
        '"2MB":{"failcnt":0}' '"cpu":{"usage":{' '"raw":{'; do
    if echo "$stats" | grep -q "$want" && echo "$rstats" | grep -q "$want"; then
        pass "stats/$want"
    else
        fail "stats/$want" "javarun: $stats | runc: $rstats"
    fi
done

# runc's types.Throttling has camelCase tags (throttledPeriods), unlike the rest.
if echo "$stats" | grep -q '"throttled_'; then fail "stats/throttling keys as runc's" "$stats"; else pass "stats/throttling keys as runc's"; fi

for rt in runc javarun; do
    $rt delete -f "res-$rt" >/dev/null 2>&1
    if [ -d "$CG/res-$rt" ]; then fail "resources/$rt/delete removes the cgroup"; else pass "resources/$rt/delete removes the cgroup"; fi
done

# ------------------------------------------------------------------------------------------------
# 2. The eBPF device filter: deny all, then kmsg (1:11) readable only. Opening kmsg for writing,
#    or loop-control (10:237) at all, fails with EPERM; without the filter both would open (or
#    fail otherwise: loop-control without its module is ENODEV). The container's /sys/fs/cgroup
#    (a cgroup mount) is its own cgroup, not the host's root.
DEVRES='{"devices": [{"allow": false, "access": "rwm"},
                     {"allow": true, "type": "c", "major": 1, "minor": 11, "access": "r"}]}'
DEVSCRIPT='(: < /t/kmsg) 2>/dev/null && echo kmsg-r=ok || echo kmsg-r=denied;
(: > /t/kmsg) 2>/t/e1 && echo kmsg-w=ok || echo kmsg-w=denied:$(grep -o "not permitted" /t/e1);
(: < /t/lc) 2>/t/e2 && echo lc-r=ok || echo lc-r=denied:$(grep -o "not permitted" /t/e2);
test -f /sys/fs/cgroup/cgroup.procs && echo cgroupfs=mounted;
test -e /sys/fs/cgroup/dev-javarun -o -e /sys/fs/cgroup/dev-runc && echo view=root || echo view=own'
for rt in runc javarun; do
    mkbundle "$W/dev-$rt" "[\"sh\", \"-c\", \"$(echo "$DEVSCRIPT" | tr '\n' ' ' | sed 's/"/\\"/g')\"]" "$DEVRES"
    mkdir -p "$W/dev-$rt/rootfs/t"
    mknod "$W/dev-$rt/rootfs/t/kmsg" c 1 11
    mknod "$W/dev-$rt/rootfs/t/lc" c 10 237
    out=$($rt run --bundle "$W/dev-$rt" "dev-$rt" 2>&1 </dev/null | tr '\n' ' ' | sed 's/ *$//')
    # Without a cgroup namespace runc mounts a new cgroup2 (the whole tree); javarun binds the
    # container's own cgroup there, as a cgroup namespace would show it (README: differences).
    view=${out##* }
    out=${out% *}
    eval "dev_$rt=\"\$out\""
    check "devices/$rt" "kmsg-r=ok kmsg-w=denied:not permitted lc-r=denied:not permitted cgroupfs=mounted" "$out"
    [ "$rt" = javarun ] && check "devices/javarun/sees its own cgroup at /sys/fs/cgroup" view=own "$view"
    if [ -d "$CG/dev-$rt" ]; then fail "devices/$rt/run removes the cgroup"; else pass "devices/$rt/run removes the cgroup"; fi
done
check "devices/javarun=runc" "$dev_runc" "$dev_javarun"

# ------------------------------------------------------------------------------------------------
# 3. pause/resume freeze for real (a counter stops), update live, ps, kill --all, delete.
# Written aside and renamed: a freeze between the truncate and the write of `echo > count` left
# the file empty while paused (a torn read failed "counter advances" once).
COUNTER='i=0; while true; do i=$((i+1)); echo $i > /tmp/count.new; mv /tmp/count.new /tmp/count; sleep 0.1; done'
count() { cat "$W/live-$1/rootfs/tmp/count" 2>/dev/null || echo 0; }
counting() { [ "$(count "$1")" -gt 0 ]; }
for rt in runc javarun; do
    mkbundle "$W/live-$rt" "[\"sh\", \"-c\", \"$COUNTER\"]" "{\"memory\": {\"limit\": 67108864}, \"pids\": {\"limit\": 32},
        \"devices\": [{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 11, \"access\": \"r\"}]}"
    mkdir -p "$W/live-$rt/rootfs/t"
    mknod "$W/live-$rt/rootfs/t/kmsg" c 1 11
    $rt run -d --bundle "$W/live-$rt" "live-$rt" >/dev/null 2>&1 </dev/null
    if ! wait_for 20 counting "$rt"; then
        fail "live/$rt/starts counting"
        continue
    fi
    $rt pause "live-$rt"
    status=$($rt state "live-$rt" | grep -o '"status": *"[a-z]*"' | sed 's/.*"\([a-z]*\)"$/\1/')
    check "pause/$rt/state" paused "$status"
    check "pause/$rt/cgroup.events" "frozen 1" "$(grep frozen $CG/live-$rt/cgroup.events)"
    c1=$(count "$rt"); sleep 1.5; c2=$(count "$rt")
    check "pause/$rt/counter stops" "$c1" "$c2"
    # While frozen the set of processes holds still (running, the loop forks a sleep every 0.1 s).
    procs=$(sort -n $CG/live-$rt/cgroup.procs | tr '\n' ' ' | sed 's/ *$//')
    ps=$($rt ps --format json "live-$rt" | tr -d '[]' | tr ',' '\n' | sort -n | tr '\n' ' ' | sed 's/ *$//')
    check "ps/$rt" "$procs" "$ps"
    $rt resume "live-$rt"
    sleep 1.5; c3=$(count "$rt")
    if [ "$c3" -gt "$c2" ]; then pass "resume/$rt/counter advances" "$c2 -> $c3"; else fail "resume/$rt/counter advances" "$c2 -> $c3"; fi
    status=$($rt state "live-$rt" | grep -o '"status": *"[a-z]*"' | sed 's/.*"\([a-z]*\)"$/\1/')
    check "resume/$rt/state" running "$status"

    $rt update --memory 100M --memory-swap 200M --cpu-share 256 --cpu-quota 30000 --cpu-period 50000 --pids-limit 50 "live-$rt"
    eval "upd_$rt=\"\$(for f in memory.max memory.swap.max cpu.weight cpu.max pids.max; do echo \$f=\$(readf $CG/live-$rt/\$f); done | tr '\n' ' ')\""
    # update loads the device filter again in place of the old one (runc does, on v2): still enforced.
    out=$($rt exec "live-$rt" sh -c '(: < /t/kmsg) 2>/dev/null && echo r=ok || echo r=denied; (: > /t/kmsg) 2>/dev/null && echo w=ok || echo w=denied' 2>&1 | tr '\n' ' ')
    check "update/$rt/device filter still in place" "r=ok w=denied " "$out"

    $rt kill --all "live-$rt" KILL
    wait_for 10 sh -c "! grep -q . $CG/live-$rt/cgroup.procs"
    check "kill--all/$rt/cgroup empty" "" "$(cat $CG/live-$rt/cgroup.procs)"
    $rt delete "live-$rt" >/dev/null 2>&1 || $rt delete -f "live-$rt"
    if [ -d "$CG/live-$rt" ]; then fail "delete/$rt removes the cgroup"; else pass "delete/$rt removes the cgroup"; fi
done
check "update/javarun=runc" "${upd_runc:-}" "${upd_javarun:-}"
check "update/values" "memory.max=104857600 memory.swap.max=104857600 cpu.weight=10 cpu.max=30000 50000 pids.max=50 " \
    "${upd_javarun:-}"

# ------------------------------------------------------------------------------------------------
# 4. A memory limit enforced and the OOM kill reported by events (memory.events oom_kill).
# The shell outlives the OOM-killed tail: a container that ended at once raced runc's events,
# which stops watching when the cgroup empties (once it missed the oom that way).
OOMSCRIPT='while [ ! -e /tmp/go ]; do sleep 0.2; done; tail /dev/zero; sleep 1000'
for rt in runc javarun; do
    mkbundle "$W/oom-$rt" "[\"sh\", \"-c\", \"$OOMSCRIPT\"]" '{"memory": {"limit": 16777216, "swap": 16777216}}'
    $rt run -d --bundle "$W/oom-$rt" "oom-$rt" >/dev/null 2>&1 </dev/null
    $rt events "oom-$rt" > "$W/oom-$rt.events" 2>&1 &
    events=$!
    # The first stats line says events is running (and watching).
    wait_for 30 grep -q '"type":"stats"' "$W/oom-$rt.events" || fail "oom/$rt/events starts" "$(cat "$W/oom-$rt.events")"
    touch "$W/oom-$rt/rootfs/tmp/go"
    if wait_for 30 grep -q '"type":"oom"' "$W/oom-$rt.events"; then
        pass "oom/$rt/events reports oom" "$(grep -o '{"type":"oom"[^}]*}' "$W/oom-$rt.events" | head -n 1)"
    else
        fail "oom/$rt/events reports oom" "$(tail -c 300 "$W/oom-$rt.events")"
    fi
    kills=$(grep oom_kill "$CG/oom-$rt/memory.events" | awk '{print $2}')
    if [ "${kills:-0}" -ge 1 ]; then pass "oom/$rt/memory.events oom_kill" "$kills"; else fail "oom/$rt/memory.events oom_kill" "${kills:-none}"; fi
    check "oom/$rt/memory.max" 16777216 "$(readf "$CG/oom-$rt/memory.max")"
    $rt delete -f "oom-$rt" >/dev/null 2>&1
    wait "$events" 2>/dev/null
    if [ -d "$CG/oom-$rt" ]; then fail "oom/$rt/delete removes the cgroup"; else pass "oom/$rt/delete removes the cgroup"; fi
done

# ------------------------------------------------------------------------------------------------
# 5. A create that fails on a resource names the file and the cause, and removes the cgroups it
#    made, parents included (javarun; runc leaves the parents, which are removed here by hand).
for rt in runc javarun; do
    mkbundle "$W/bad-$rt" '["true"]' '{"unified": {"bogus.file": "1"}}'
    sed -i "s|\"linux\": {|\"linux\": {\"cgroupsPath\": \"/nest-$rt/a/b\",|" "$W/bad-$rt/config.json"
    if $rt create --bundle "$W/bad-$rt" "bad-$rt" >"$W/bad-$rt.out" 2>&1 </dev/null; then
        fail "failed-create/$rt/refused" "created"
        $rt delete -f "bad-$rt"
    elif grep -q 'unified resource .\?"bogus.file.\?" can.t be set: controller .\?"bogus.\?" not available' "$W/bad-$rt.out"; then
        pass "failed-create/$rt/names the file and the cause" "$(tail -n 1 "$W/bad-$rt.out")"
    else
        fail "failed-create/$rt/names the file and the cause" "$(cat "$W/bad-$rt.out")"
    fi
done
check "failed-create/javarun/removes the cgroups it made" "" "$(ls -d $CG/nest-javarun 2>/dev/null)"
rmdir "$CG/nest-runc/a/b" "$CG/nest-runc/a" "$CG/nest-runc" 2>/dev/null

# Nothing left behind: no container cgroup, no state.
left=$(ls -d $CG/*-runc $CG/*-javarun /run/javarun/* 2>/dev/null | tr '\n' ' ')
check "nothing left in $CG" "" "$left"
echo "RESULTS DONE passed=$passed failed=$failed"
