#!/bin/sh
# Builds the minimal rootfs `make test` runs containers from: a static busybox, one symlink per
# applet, and the directories a container setup mounts over.
set -eu
root=$1
busybox=/bin/busybox

if [ ! -x "$busybox" ]; then
	echo "mkrootfs: $busybox not found (apt-get install busybox-static)" >&2
	exit 1
fi
rm -rf "$root"
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" "$root/etc" "$root/mnt"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\ntest:x:1000:1000:test:/home/test:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\ntest:x:1000:\n' >"$root/etc/group"
