#!/bin/bash
# make-rootfs.sh DIR: a minimal rootfs from Debian's busybox-static (one static binary + applet links).
set -eu
dir=$1
bb=/bin/busybox
[ -x "$bb" ] || { echo "make-rootfs: $bb missing (apt-get install busybox-static)" >&2; exit 1; }
mkdir -p "$dir"/{bin,proc,sys,dev,etc,tmp,root}
cp "$bb" "$dir/bin/busybox"
for a in $("$bb" --list); do
        [ "$a" = busybox ] || [ -e "$dir/bin/$a" ] || ln -s busybox "$dir/bin/$a"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\nuser:x:1000:1000:user:/:/bin/sh\n' >"$dir/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\nuser:x:1000:\n' >"$dir/etc/group"
chmod 1777 "$dir/tmp"
