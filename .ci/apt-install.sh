#!/usr/bin/env bash
# Installs the Debian or Ubuntu packages named that are not installed yet, quietly, for the CI scripts; through sudo
# when not root (GitHub's runners).
#
# Usage: .ci/apt-install.sh PACKAGE...
#
# Package maintainer scripts are kept from starting services (redis-server's would take port 6379, docker.io's
# would start a second, system-wide dockerd): invoke-rc.d and deb-systemd-invoke obey a policy-rc.d that answers 101.
set -euo pipefail

missing=()
for package in "$@"; do
    [[ $(dpkg-query -W -f '${db:Status-Status}' "$package" 2>/dev/null) == installed ]] || missing+=("$package")
done
((${#missing[@]})) || exit 0
echo "apt-install: ${missing[*]}"

as_root=()
((EUID == 0)) || as_root=(sudo)

policy=/usr/sbin/policy-rc.d
if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod +x "$policy"
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
fi

# A new machine may have no package lists; fetch them unless some are less than a day old (they may be compressed).
if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit) ]]; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq update
fi
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq install -y --no-install-recommends "${missing[@]}" >/dev/null
