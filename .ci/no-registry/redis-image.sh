#!/usr/bin/env bash
# Builds a Redis image without any registry and tags it with every TAG given.
#
# Usage: .ci/no-registry/redis-image.sh TAG...   e.g. .ci/no-registry/redis-image.sh docker.io/library/redis:8.6 voting-ci/redis:7.0-debian
#
# No registry is reachable here, so the image is made from Debian's own redis-server and redis-cli, the
# libraries they load and a static busybox as /bin/sh, put in with `docker import`. Aspire.Hosting.Redis
# 13.6.5 asks for docker.io/library/redis:8.6 and does not pull an image that is present, but the image
# holds Debian's Redis 7.0: rely on no 8.x feature, and give it to the tests under a name that says so
# (voting-ci/redis:7.0-debian). It behaves like the official image for Testcontainers
# (default command, `redis-cli ping` inside) and for Aspire (entrypoint /bin/sh -c "redis-server ...").
# Needs a running engine (.ci/no-registry/docker-engine.sh start). It always rebuilds: that takes about a second.
set -euo pipefail

if (($# == 0)); then
    echo "usage: $0 TAG..." >&2
    exit 2
fi
if ! timeout 5 docker info >/dev/null 2>&1; then
    echo "redis-image: no Docker engine answers; run .ci/no-registry/docker-engine.sh start" >&2
    exit 1
fi

had_redis_server=$(dpkg-query -W -f '${db:Status-Status}' redis-server 2>/dev/null || true)
"$(dirname "${BASH_SOURCE[0]}")/../apt-install.sh" redis-server redis-tools busybox-static
# Only the binaries are wanted: keep a newly installed packaged service from starting at the next boot too.
if [[ $had_redis_server != installed ]]; then
    systemctl disable --quiet redis-server 2>/dev/null || update-rc.d redis-server disable >/dev/null 2>&1 || true
fi

t0=${EPOCHREALTIME//[.,]/}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root" # it becomes the image's /, and mktemp's 0700 would lock user redis out
mkdir -p "$root"/{bin,data,etc,tmp,usr/bin,usr/local/bin}
chmod 1777 "$root/tmp"

cp /usr/bin/redis-server /usr/bin/redis-cli "$root/usr/bin/"
# Every library ldd lists ("name => /path (addr)") and the dynamic loader ("\t/path (addr)"), at the
# same paths as here.
ldd /usr/bin/redis-server /usr/bin/redis-cli | awk '$2 == "=>" { print $3 } /^\t\// { print $1 }' |
    sort -u | xargs cp -L --parents -t "$root"

# busybox as /bin/sh, with every other applet (id, chown, find, su, ls, cat...) for scripts and
# `docker exec` sessions. --install links them all to the path it runs from, in one process.
busybox=$(readlink -f /bin/busybox)
cp --parents "$busybox" "$root"
"$busybox" --install -s "$root/bin"

# User redis (uid 999, as in the official image) owns /data, the working directory.
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'redis:x:999:999:Redis:/data:/bin/sh' >"$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'redis:x:999:' >"$root/etc/group"
chown 999:999 "$root/data"

# The entrypoint does what the official image's does, with busybox su in place of gosu.
cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
# No (or an empty) command, options ("--port 7000") or a config file: they are for redis-server.
case ${1-} in
    '') [ $# -eq 0 ] || shift; set -- redis-server "$@" ;;
    -* | *.conf) set -- redis-server "$@" ;;
esac
if [ "$1" = redis-server ]; then
    # Debian's build keeps protected mode on, which refuses password-less clients from outside the
    # container; the official image's build turns it off. Added last (a config file must stay first),
    # unless the arguments set it.
    case " $* " in
        *" --protected-mode "*) ;;
        *) set -- "$@" --protected-mode no ;;
    esac
    # Run as user redis, owning whatever is mounted on /data (the working directory). su's "--" keeps
    # redis-server's options from being read as its own.
    if [ "$(id -u)" = 0 ]; then
        find . \! -user redis -exec chown redis:redis '{}' +
        exec su redis -c 'exec "$0" "$@"' -- "$@"
    fi
fi
exec "$@"
EOF
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"

# A tag that names an image not built here (a real redis:8.6 pulled on a developer's machine) is left alone:
# this script only replaces its own images, which carry the label below.
label=voting-ci.local-build
tags=()
for tag in "$@"; do
    if ! docker image inspect "$tag" >/dev/null 2>&1 ||
        [[ $(docker image inspect --format "{{index .Config.Labels \"$label\"}}" "$tag") == true ]]; then
        tags+=("$tag")
    else
        echo "redis-image: $tag names an image not built by this script; left as it is"
    fi
done
((${#tags[@]})) || exit 0
set -- "${tags[@]}"

# Images these tags named before; once untagged they would only pile up.
mapfile -t previous < <(docker image inspect --format '{{.Id}}' "$@" 2>/dev/null | sort -u)
image=$(tar -C "$root" --numeric-owner -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'WORKDIR /data' -c 'EXPOSE 6379' -c "LABEL $label=true" \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["redis-server"]' -)
for tag in "$@"; do docker tag "$image" "$tag"; done
if ((${#previous[@]})); then
    docker image rm "${previous[@]}" >/dev/null 2>&1 || true # kept while a container or another tag uses one
fi

version=$("$root/usr/bin/redis-server" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')
echo "redis-image: $* = Redis $version, built in $(((${EPOCHREALTIME//[.,]/} - t0) / 1000)) ms"
