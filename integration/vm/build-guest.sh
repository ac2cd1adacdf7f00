#!/usr/bin/env bash
# Builds (once, then from the cache) the test guest: Debian bookworm with Debian's 6.1 kernel,
# booted cgroup-v2-only by run-guest.sh. See shared/reference/test-vm.md for why a guest at all.
#
#   build-guest.sh CACHE_DIR        prints the image directory (CACHE_DIR/<key>) on stdout
#
# The image directory holds vmlinuz, initrd.img (static busybox + the virtio and ext4 modules; its
# /init mounts /dev/vda and switch_roots to /sbin/javarun-guest-init) and root.ext4 (debootstrap
# minbase with a JRE, runc and busybox-static). javarun itself is not in it: run-guest.sh hands
# the build of the moment in on a second disk. The key is a hash of the package versions and of
# this harness's baked-in files, so a new kernel, JRE or runc in the mirror makes a new image.
# Needs root, debootstrap, cpio, kmod (depmod/modprobe), e2fsprogs, busybox-static on the host.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 CACHE_DIR" >&2; exit 2; }
cache=$1
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
log() { echo "build-guest: $*" >&2; }

for tool in debootstrap cpio depmod modprobe mkfs.ext4 apt-get; do
    command -v "$tool" >/dev/null 2>&1 \
        || { log "$tool not found: apt-get install qemu-system-x86 debootstrap cpio kmod e2fsprogs"; exit 1; }
done
[ -x /bin/busybox ] || { log "/bin/busybox not found: apt-get install busybox-static"; exit 1; }

# The newest 6.1 kernel image of the mirror; an empty package list (a new machine) is refreshed once.
newest_kernel() {
    apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' | cut -d' ' -f1 | sort -V | tail -n 1
}
kernel_pkg=$(newest_kernel)
if [ -z "$kernel_pkg" ]; then
    apt-get update -q >&2
    kernel_pkg=$(newest_kernel)
fi
[ -n "$kernel_pkg" ] || { log "no linux-image-6.1.0-*-amd64 in the package lists"; exit 1; }
kver=${kernel_pkg#linux-image-}

GUEST_PACKAGES=(openjdk-17-jre-headless runc busybox-static)
version_of() { apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1; }
versions="$kernel_pkg=$(version_of "$kernel_pkg")"
for p in "${GUEST_PACKAGES[@]}"; do
    versions="$versions $p=$(version_of "$p")"
done
key=$( (echo "$versions"; cat "$here/build-guest.sh" "$here/guest-init") | sha256sum | cut -c1-16)
image="$cache/$key"
if [ -f "$image/ready" ]; then
    echo "$image"
    exit 0
fi

log "building the guest image $image ($versions)"
mkdir -p "$cache"
work=$(mktemp -d "$cache/build.XXXXXX")
cleanup() {
    # debootstrap may leave its chroot's mounts behind on failure: never delete through them.
    for m in proc sys dev/pts dev; do
        mountpoint -q "$work/root/$m" 2>/dev/null && umount -l "$work/root/$m" || true
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# The Debian mirror this host uses (deb822 sources or a one-line sources.list).
mirror=$(grep -hs -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list \
    | grep -v -e security -e '\[' | sed -E 's/^URIs: *//; s/^deb +//' | awk '{print $1}' | grep '/debian/\?$' | head -n 1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

# Kernel: unpacked into the work dir (never into /boot), modules indexed for modprobe.
# Stale package lists name files the mirror no longer has: refreshed once, then tried again.
(cd "$work" && apt-get download "$kernel_pkg" >&2) \
    || { apt-get update -q >&2 && (cd "$work" && apt-get download "$kernel_pkg" >&2); }
dpkg -x "$work"/linux-image-*.deb "$work/kernel"
depmod -b "$work/kernel" "$kver"

# Guest root.
log "debootstrap from $mirror"
debootstrap --variant=minbase --include="$(IFS=,; echo "${GUEST_PACKAGES[*]}")" bookworm "$work/root" "$mirror" >&2
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*
install -m 0755 "$here/guest-init" "$work/root/sbin/javarun-guest-init"
echo javarun-guest > "$work/root/etc/hostname"
mkdir -p "$work/root/opt/javarun"

# initramfs: busybox, the modules for the virtio disk and ext4 in dependency order, and an /init.
ird="$work/initramfs"
mkdir -p "$ird/bin" "$ird/lib/modules" "$ird/dev" "$ird/proc" "$ird/sys" "$ird/newroot"
install -m 0755 /bin/busybox "$ird/bin/busybox"
: > "$ird/lib/modules/order"
for mod in virtio_pci virtio_blk ext4; do
    modprobe -S "$kver" -d "$work/kernel" --show-depends "$mod" | awk '$1 == "insmod" {print $2}' | while read -r ko; do
        name=$(basename "$ko")
        if ! grep -qx "$name" "$ird/lib/modules/order"; then
            cp "$ko" "$ird/lib/modules/$name"
            echo "$name" >> "$ird/lib/modules/order"
        fi
    done
done
cat > "$ird/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs devtmpfs /dev
while read -r m; do /bin/busybox insmod "/lib/modules/$m" 2>/dev/null; done < /lib/modules/order
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do /bin/busybox sleep 0.1; i=$((i + 1)); done
/bin/busybox mount -t ext4 /dev/vda /newroot || { echo "javarun-guest: cannot mount /dev/vda"; echo o > /proc/sysrq-trigger; }
/bin/busybox umount /dev
/bin/busybox umount /proc
exec /bin/busybox switch_root /newroot /sbin/javarun-guest-init
EOF
chmod 0755 "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initrd.img"

# Disk: made from the directory, no loop mount. Used read-only (qemu's snapshot=on) by every run.
truncate -s 2G "$work/root.ext4"
mkfs.ext4 -q -F -L javarun-guest -d "$work/root" "$work/root.ext4"
cp "$work/kernel/boot/vmlinuz-$kver" "$work/vmlinuz"

mkdir -p "$image.tmp"
mv "$work/vmlinuz" "$work/initrd.img" "$work/root.ext4" "$image.tmp/"
echo "$versions" > "$image.tmp/versions"
touch "$image.tmp/ready"
rm -rf "$image"
mv "$image.tmp" "$image"
# Older images (other package versions) are of no further use.
for old in "$cache"/*/; do
    old=${old%/}
    [ "$old" != "$image" ] && [ -f "$old/ready" ] && rm -rf --one-file-system "$old"
done
log "guest image ready"
echo "$image"
