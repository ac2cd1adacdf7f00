#!/usr/bin/env bash
# Builds a minimal busybox root filesystem offline, from Debian's busybox-static (/bin/busybox).
#
#   build-busybox-rootfs.sh DEST
#
# DEST gets bin/busybox plus one symlink per applet in bin/, sbin, usr/bin and usr/sbin as links to
# bin, the usual empty directories (dev proc sys tmp etc root home var/run) and etc/passwd, group,
# hostname with root, daemon, nobody and a test user user1 (uid 1000, gid 1000, also in grp2 2000).
# Used by install.sh (the demo bundle) and by the integration tests: the single source of the rootfs.
set -euo pipefail

usage() { echo "usage: $0 DEST" >&2; exit 2; }
[ $# -eq 1 ] || usage
dest=$1
busybox=${BUSYBOX:-/bin/busybox}

if [ ! -x "$busybox" ]; then
    echo "build-busybox-rootfs: $busybox not found: install Debian's busybox-static (apt-get install busybox-static)" >&2
    exit 1
fi
# A dynamically linked busybox would not run inside a rootfs with no libc.
if ! "$busybox" --list >/dev/null 2>&1; then
    echo "build-busybox-rootfs: $busybox --list failed: is it busybox?" >&2
    exit 1
fi
if command -v file >/dev/null 2>&1 && ! file -L "$busybox" | grep -q 'statically linked\|static-pie'; then
    echo "build-busybox-rootfs: $busybox is not statically linked: install busybox-static" >&2
    exit 1
fi

mkdir -p "$dest"
cd "$dest"
mkdir -p bin dev proc sys tmp etc root home/user1 var/run usr
chmod 1777 tmp
chmod 0700 root
install -m 0755 "$busybox" bin/busybox
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] && continue
    ln -sfn busybox "bin/$applet"
done
# One directory holds every applet; the other usual PATH entries point at it.
ln -sfn bin sbin
ln -sfn ../bin usr/bin
ln -sfn ../bin usr/sbin

cat > etc/passwd <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
user1:x:1000:1000:test user:/home/user1:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat > etc/group <<'GROUP'
root:x:0:
daemon:x:1:
tty:x:5:
user1:x:1000:
grp2:x:2000:user1
nogroup:x:65534:
GROUP
echo busybox > etc/hostname
chmod 0644 etc/passwd etc/group etc/hostname
chown -R 1000:1000 home/user1
