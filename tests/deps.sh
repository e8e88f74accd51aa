#!/bin/bash
# Installs what sysrun needs to build and test on Debian 12, unless it is already there.
set -eu
pkgs=(meson ninja-build gcc pkg-config libsystemd-dev libseccomp-dev libjson-c-dev libcap-dev
      busybox-static bats jq procps time util-linux iproute2 systemd systemd-container dbus
      scdoc man-db zsh bash-completion
      podman catatonit containerd docker.io runc crun clang libclang-rt-14-dev uidmap dbus-user-session)

missing=()
for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
# No package's service may start on this machine (docker.io would start dockerd): policy-rc.d
# refuses them while we install, unless the machine has a policy of its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >&2
