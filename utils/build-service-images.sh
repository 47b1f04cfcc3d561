#!/usr/bin/env bash
# Builds the service images without a registry (issue #16), as the grader images are built: a Debian minbase rootfs
# (debootstrap, cached as a tar) plus ONE self-contained `dotnet publish` of the starter, completer, notifier and CLI
# into a single directory (they share the runtime and Shared), imported once per entry point:
#   correctomatic/starter, correctomatic/completer, correctomatic/notifier, correctomatic/cli (the demo's receiver),
#   correctomatic/service-redis (redis-server from the same rootfs; the compose file runs it with AOF).
# Cached by a hash of the inputs (label correctomatic.build-hash): a second run publishes and imports nothing.
# Prints one line naming what it built, nothing when everything was up to date. Run by utils/build-images.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock} DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
CACHE=${CORRECTOMATIC_CACHE:-/var/cache/correctomatic}
SUITE=${DEBIAN_SUITE:-$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")}
SUITE=${SUITE:-bookworm}
# libssl3: ES256/HS256 signing and TLS; ca-certificates: https callbacks; busybox: wget for the compose health checks.
PACKAGES=ca-certificates,libssl3,busybox,redis-server
built=()

image_hash() { docker image inspect -f '{{ index .Config.Labels "correctomatic.build-hash" }}' "$1" 2>/dev/null || true; }
mirror() {
  grep -rhsE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/ \
    | grep -oE 'https?://[^ ]+/debian/?([[:space:]]|$)' | grep -v security | head -1 | tr -d '[:space:]' || true
}

# --- the rootfs (minutes, once) ------------------------------------------------------------------------------------
recipe() {
  local root=$1
  rm -rf "$root"/usr/share/{doc,man,info,locale,lintian} "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/tmp/*
  # One unprivileged user for every service; /data (Redis' AOF) is its own, so a named volume starts out writable.
  grep -q '^correctomatic:' "$root/etc/passwd" || echo 'correctomatic:x:10001:10001:correctomatic:/nonexistent:/usr/sbin/nologin' >> "$root/etc/passwd"
  grep -q '^correctomatic:' "$root/etc/group" || echo 'correctomatic:x:10001:' >> "$root/etc/group"
  mkdir -p "$root/data" "$root/app" && chown 10001:10001 "$root/data" && chmod 1777 "$root/tmp"
}
key=$( { echo "$SUITE $PACKAGES"; declare -f recipe; } | sha256sum | cut -c1-16)
tar="$CACHE/rootfs-service-base-$key.tar"
if [ ! -s "$tar" ]; then
  mkdir -p "$CACHE"
  root=$(mktemp -d /var/tmp/correctomatic-service-rootfs.XXXXXX)
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$(mirror)" >"$root.log" 2>&1; then
    echo "build-service-images: debootstrap failed; last lines of $root.log:" >&2; tail -5 "$root.log" >&2; exit 1
  fi
  recipe "$root"
  tar -C "$root" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$tar.partial" .
  mv "$tar.partial" "$tar"; rm -rf "$root" "$root.log"
  find "$CACHE" -maxdepth 1 -name 'rootfs-service-base-*.tar' ! -name "rootfs-service-base-$key.tar" -delete
fi

# --- the published services (one publish each into one directory, a minute or two, only when the code changed) -----
sources=$( { cat "$0"; cat Directory.Build.props Directory.Build.targets Directory.Packages.props;
  find Shared Starter Completer Notifier utils/Correctomatic.Cli schemas -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.json' \) \
    -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 cat; } | sha256sum | cut -c1-16)
hash=$(printf '%s %s\n' "$key" "$sources" | sha256sum | cut -c1-16)
images=(starter completer notifier cli service-redis)
current=1
for name in "${images[@]}"; do [ "$(image_hash "correctomatic/$name:latest")" = "$hash" ] || current=0; done
[ $current = 1 ] && exit 0

stage=$(mktemp -d /var/tmp/correctomatic-services.XXXXXX)
trap 'rm -rf "$stage"' EXIT
for project in Starter Completer Notifier utils/Correctomatic.Cli; do
  # Self-contained: the image needs no .NET install. Invariant globalization (Directory.Build.props): no ICU either.
  if ! dotnet publish "$project" -c Release -r linux-x64 --self-contained true -o "$stage/app" -v q -nologo >"$stage/publish.log" 2>&1; then
    echo "build-service-images: dotnet publish $project failed:" >&2; tail -20 "$stage/publish.log" >&2; exit 1
  fi
done
rm -f "$stage/publish.log" "$stage"/app/*.pdb
mkdir -p "$stage/rootfs" && tar -C "$stage/rootfs" -xf "$tar"
cp -r "$stage/app/." "$stage/rootfs/app/"
chown -R 0:0 "$stage/rootfs/app" && chmod -R a+rX,go-w "$stage/rootfs/app"
(cd "$stage/rootfs" && tar --numeric-owner -cf "$stage/image.tar" .)

common=(--change "LABEL correctomatic.build-hash=$hash" --change 'WORKDIR /app' --change 'ENV PATH=/app:/usr/local/bin:/usr/bin:/bin'
  --change 'ENV DOTNET_gcServer=0 CORRECTOMATIC_ENV_FILE=/nonexistent/.env')
import() { # name, user, entrypoint json
  local old; old=$(docker image inspect -f '{{.Id}}' "correctomatic/$1:latest" 2>/dev/null || true)
  docker import "${common[@]}" --change "USER $2" --change "ENTRYPOINT $3" "$stage/image.tar" "correctomatic/$1:latest" >/dev/null
  # The replaced image of ours, when no container uses it (never anything else: other builds share this engine).
  [ -z "$old" ] || [ "$old" = "$(docker image inspect -f '{{.Id}}' "correctomatic/$1:latest")" ] || docker rmi "$old" >/dev/null 2>&1 || true
  built+=("correctomatic/$1:latest")
}
# The starter and completer talk to the engine's socket (root:docker on the host): the compose file adds its group.
import starter 10001:10001 '["/app/Correctomatic.Starter"]'
import completer 10001:10001 '["/app/Correctomatic.Completer"]'
import notifier 10001:10001 '["/app/Correctomatic.Notifier"]'
import cli 10001:10001 '["/app/correctomatic"]'
import service-redis 10001:10001 '["redis-server"]'
echo "built images: ${built[*]}"
