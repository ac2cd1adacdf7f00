#!/usr/bin/env bash
# Boots the test guest once with a payload, the console on stdout; qemu exits when the guest
# powers itself off (guest-init does, after the payload's run.sh).
#
#   run-guest.sh IMAGE_DIR PAYLOAD_DIR WORK_DIR [TIMEOUT_SECONDS]
#
# IMAGE_DIR is what build-guest.sh printed; its root.ext4 is opened with snapshot=on, so runs never
# change the cached image. PAYLOAD_DIR (with an executable run.sh) becomes a second disk, mounted at
# /opt/javarun in the guest. The kernel boots cgroup v2 only. Software emulation (TCG), not KVM:
# shared/reference/test-vm.md explains why.
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: $0 IMAGE_DIR PAYLOAD_DIR WORK_DIR [TIMEOUT_SECONDS]" >&2; exit 2; }
image=$1
payload=$2
work=$3
timeout_s=${4:-600}

command -v qemu-system-x86_64 >/dev/null 2>&1 \
    || { echo "run-guest: qemu-system-x86_64 not found: apt-get install qemu-system-x86" >&2; exit 1; }
[ -x "$payload/run.sh" ] || { echo "run-guest: $payload/run.sh missing or not executable" >&2; exit 1; }

mkdir -p "$work"
disk="$work/payload.ext4"
rm -f "$disk"
size_mb=$(( $(du -sm "$payload" | cut -f1) + 64 ))
truncate -s "${size_mb}M" "$disk"
mkfs.ext4 -q -F -L javarun-payload -d "$payload" "$disk"

exec timeout --foreground -k 10 "$timeout_s" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -m 2048 -smp 2 \
    -nographic -nodefaults -serial stdio -no-reboot -nic none \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -drive "file=$image/root.ext4,format=raw,if=virtio,snapshot=on,cache=unsafe" \
    -drive "file=$disk,format=raw,if=virtio,cache=unsafe" \
    -append "console=ttyS0 quiet panic=-1 systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all"
