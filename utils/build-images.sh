#!/usr/bin/env bash
# Builds the local images without a registry (issue #9): each image is a rootfs imported with `docker import`.
# Cached by a hash of its inputs (label correctomatic.build-hash): a second run rebuilds nothing.
# Prints one line naming what it built, nothing when everything was up to date.
#
#   correctomatic/busybox, correctomatic/grader-shell      busybox-static on scratch (seconds)
#   correctomatic/python-base, correctomatic/node-base     a debootstrap --variant=minbase rootfs with python3 / nodejs
#                                                          from Debian; the rootfs is cached as a tar under
#                                                          $CORRECTOMATIC_CACHE (default /var/cache/correctomatic)
#   correctomatic/redis                                    the same, with redis-server and redis-tools: the tests' Redis
#                                                          (Testcontainers; its wait strategy runs redis-cli ping)
#   correctomatic/grader-io-python, grader-python-unittest, grader-node-test
#                                                          a base plus the grader's files (one thin layer)
#   correctomatic/assignment-*-sample                      a grader plus a sample assignment (images/assignments/)
#   correctomatic/starter, completer, notifier, cli, service-redis   utils/build-service-images.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
CACHE=${CORRECTOMATIC_CACHE:-/var/cache/correctomatic}

built=()

# image_is_current NAME HASH: the image exists and was built from these inputs.
image_is_current() {
  [ "$(docker image inspect -f '{{ index .Config.Labels "correctomatic.build-hash" }}' "$1" 2>/dev/null || true)" = "$2" ]
}

# image_id NAME: the image's id, empty when there is none.
image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

# drop_replaced OLD_ID NAME: remembers the image NAME pointed at before a rebuild; they are removed at the end, newest
# first (an old assignment before the old grader under it), unless a container still uses one (docker refuses,
# harmlessly). Never anything else: other builds share this engine.
replaced=()
drop_replaced() { [ -z "$1" ] || [ "$1" = "$(image_id "$2")" ] || replaced=("$1" "${replaced[@]}"); }

inputs_hash() { (cat "$0"; find "$@" -type f -print0 | sort -z | xargs -0 cat) | sha256sum | cut -c1-16; }

# A busybox rootfs: /bin/busybox and its applets, /etc/passwd with a non-root user 'grader' (uid 1000), /tmp.
busybox_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,etc,tmp,home/grader,grader}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"; done
  printf 'root:x:0:0:root:/root:/bin/sh\ngrader:x:1000:1000:grader:/home/grader:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\ngrader:x:1000:\nnogroup:x:65534:\n' > "$root/etc/group"
  chown 1000:1000 "$root/home/grader"
}

# The confinement helper (images/confine/, issue #13): one static binary, built from source here, copied into every
# grader at /grader/bin/confine. A static build is byte-for-byte repeatable, so the images' input hashes stay stable.
CONFINE=$(mktemp -d)
trap 'rm -rf "$CONFINE"' EXIT
mkdir -p "$CONFINE/rootfs/grader/bin"
command -v gcc >/dev/null || { echo "build-images: gcc is missing (apt-get install gcc libc6-dev)" >&2; exit 1; }
gcc -static -O2 -Wall -Wextra -Werror -o "$CONFINE/rootfs/grader/bin/confine" images/confine/confine.c \
  || { echo "build-images: images/confine/confine.c does not build (static glibc: apt-get install libc6-dev)" >&2; exit 1; }
strip "$CONFINE/rootfs/grader/bin/confine"

# The grader's files (/grader) belong to root and the grader's group, nothing for others: a submission runs as uid
# 1001 and reads nothing there, even where Landlock is missing (gVisor).
GRADER_FILES_MODE='a-w,ug+rX,o-rwx'

# build_busybox_image NAME DIR... [-- --change ...]: each DIR/rootfs/ is copied over the busybox rootfs.
build_busybox_image() {
  local name=$1; shift
  local dirs=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do dirs+=("$1"); shift; done; [ $# -gt 0 ] && shift
  local hash; hash=$( { inputs_hash "${dirs[@]}"; printf '%s\n' "$@"; } | sha256sum | cut -c1-16)
  image_is_current "$name" "$hash" && return 0
  local old; old=$(image_id "$name")
  local root; root=$(mktemp -d)
  busybox_rootfs "$root"
  for dir in "${dirs[@]}"; do [ -d "$dir/rootfs" ] && cp -a "$dir/rootfs/." "$root/"; done
  chown -R 0:1000 "$root/grader" && chmod -R "$GRADER_FILES_MODE" "$root/grader"
  tar -C "$root" --numeric-owner -c . | docker import \
    --change "LABEL correctomatic.build-hash=$hash" --change "ENV PATH=/bin" "$@" - "$name" >/dev/null
  rm -rf "$root"
  drop_replaced "$old" "$name"
  built+=("$name")
}

# A plain busybox image for tests that run arbitrary shell commands.
build_busybox_image correctomatic/busybox:latest images/busybox -- \
  --change 'USER grader' --change 'WORKDIR /tmp' --change 'CMD ["/bin/sh"]'

# The minimal shell grader used by the demo and by fast tests (images/grader-shell/README.md). Like every grader it
# starts under the spawner (label correctomatic.sandbox=spawner: the Starter runs it as root with CAP_SETUID/SETGID).
build_busybox_image correctomatic/grader-shell:latest images/grader-shell "$CONFINE" -- \
  --change 'USER grader' --change 'WORKDIR /tmp' --change 'CMD ["/grader/bin/confine","init","--private","EXPECTED","--","/bin/sh","/grader/grade.sh"]' \
  --change 'LABEL correctomatic.grader=shell' --change 'LABEL correctomatic.sandbox=spawner'

# --- Debian bases ---------------------------------------------------------------------------------------------
# The Debian mirror this machine reaches (its apt sources), the suite it runs; DEBIAN_MIRROR/DEBIAN_SUITE override.
debian_mirror() {
  local found
  found=$(grep -rhsE '^[[:space:]]*(URIs:|deb[[:space:]])' /etc/apt/sources.list /etc/apt/sources.list.d/ \
    | grep -oE 'https?://[^ ]+/debian/?([[:space:]]|$)' | grep -v security | head -1 | tr -d '[:space:]' || true)
  echo "${DEBIAN_MIRROR:-${found:-http://deb.debian.org/debian}}"
}
SUITE=${DEBIAN_SUITE:-$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")}
SUITE=${SUITE:-bookworm}

# The recipe of a base rootfs; its hash keys both the cached tar and the image, so editing it rebuilds both.
BASE_RECIPE_VERSION=1
strip_rootfs() {
  local root=$1
  # Only what a grader runs needs to stay: no docs, man pages, locales (C.UTF-8 is built into glibc), apt caches.
  rm -rf "$root"/usr/share/{doc,man,info,locale,lintian} "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* \
    "$root"/var/cache/debconf/*-old "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/*
  mkdir -p "$root/home/grader" "$root/grader"
  grep -q '^grader:' "$root/etc/passwd" || echo 'grader:x:1000:1000:grader:/home/grader:/bin/sh' >> "$root/etc/passwd"
  grep -q '^grader:' "$root/etc/group" || echo 'grader:x:1000:' >> "$root/etc/group"
  chown 1000:1000 "$root/home/grader"
  chmod 1777 "$root/tmp"
}

# debian_rootfs_tar NAME PACKAGES: prints the path of the cached rootfs tar, running debootstrap when it is missing.
debian_rootfs_tar() {
  local name=$1 packages=$2
  local key; key=$( { echo "$BASE_RECIPE_VERSION $SUITE $packages"; declare -f strip_rootfs; } | sha256sum | cut -c1-16)
  local tar="$CACHE/rootfs-$name-$key.tar"
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || { echo "build-images: debootstrap is missing (apt-get install debootstrap)" >&2; return 1; }
    mkdir -p "$CACHE"
    local root; root=$(mktemp -d /var/tmp/correctomatic-rootfs.XXXXXX)
    if ! debootstrap --variant=minbase --include="$packages" "$SUITE" "$root" "$(debian_mirror)" >"$root.log" 2>&1; then
      echo "build-images: debootstrap $name failed; last lines of $root.log:" >&2; tail -5 "$root.log" >&2; return 1
    fi
    strip_rootfs "$root"
    tar -C "$root" --numeric-owner --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$tar.partial" .
    mv "$tar.partial" "$tar"
    rm -rf "$root" "$root.log"
    # Older recipes of this base are dead weight.
    find "$CACHE" -maxdepth 1 -name "rootfs-$name-*.tar" ! -name "rootfs-$name-$key.tar" -delete
  fi
  echo "$tar"
}

# build_debian_base NAME PACKAGES [--change ...]: imports the cached rootfs as an image.
build_debian_base() {
  local name=$1 packages=$2; shift 2
  local tar; tar=$(debian_rootfs_tar "$(basename "${name%%:*}")" "$packages")
  local hash; hash=$( { basename "$tar"; printf '%s\n' "$@"; } | sha256sum | cut -c1-16)
  image_is_current "$name" "$hash" && return 0
  local old; old=$(image_id "$name")
  docker import --change "LABEL correctomatic.build-hash=$hash" --change 'USER grader' --change 'WORKDIR /tmp' \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/tmp' "$@" "$tar" "$name" >/dev/null
  drop_replaced "$old" "$name"
  built+=("$name")
}

# add_layer NAME FROM HASH [--change ...] < tar (runs in a pipeline's subshell: the caller records what it built): FROM plus the files of a tar stream (extracted at /) in one layer.
# docker create + cp + commit keeps FROM's config and shares its layers; the container is never started.
add_layer() {
  local name=$1 from=$2 hash=$3; shift 3
  local container; container=$(docker create --label correctomatic.build=images "$from")
  docker cp - "$container:/" || { docker rm -f "$container" >/dev/null; return 1; }
  local committed=0
  docker commit --change "LABEL correctomatic.build-hash=$hash" "$@" "$container" "$name" >/dev/null || committed=$?
  docker rm -f "$container" >/dev/null
  return "$committed"
}

# Grader files are root-owned and read-only: the submission runs as 'grader' and cannot change them.
# Only /grader goes in the tar: its "." entry would change / itself.
tar_readonly() { tar --numeric-owner --owner=0 --group=1000 --mode="$GRADER_FILES_MODE" --sort=name "$@" -c grader; }

# build_grader NAME FROM DIR... [-- --change ...]: FROM plus each DIR/rootfs/ over /.
build_grader() {
  local name=$1 from=$2; shift 2
  local dirs=(); while [ $# -gt 0 ] && [ "$1" != -- ]; do dirs+=("$1"); shift; done; [ $# -gt 0 ] && shift
  local hash; hash=$( { docker image inspect -f '{{.Id}}' "$from"; inputs_hash "${dirs[@]}"; printf '%s\n' "$@"; } \
    | sha256sum | cut -c1-16)
  image_is_current "$name" "$hash" && return 0
  local old; old=$(image_id "$name")
  local stage; stage=$(mktemp -d)
  for dir in "${dirs[@]}"; do cp -r "$dir/rootfs/." "$stage/"; done
  (cd "$stage" && tar_readonly) | add_layer "$name" "$from" "$hash" "$@"
  rm -rf "$stage"
  drop_replaced "$old" "$name"
  built+=("$name")
}

# The two debootstraps are mostly downloads and dpkg runs: on a fresh machine they fill the cache side by side.
PYTHON_PACKAGES=python3 NODE_PACKAGES=nodejs REDIS_PACKAGES=redis-server,redis-tools
debian_rootfs_tar python-base "$PYTHON_PACKAGES" >/dev/null & python_pid=$!
debian_rootfs_tar node-base "$NODE_PACKAGES" >/dev/null & node_pid=$!
debian_rootfs_tar redis "$REDIS_PACKAGES" >/dev/null & redis_pid=$!
bases_ok=1; wait "$python_pid" || bases_ok=0; wait "$node_pid" || bases_ok=0; wait "$redis_pid" || bases_ok=0
[ "$bases_ok" = 1 ] || exit 1

build_debian_base correctomatic/python-base:latest "$PYTHON_PACKAGES" --change 'CMD ["python3"]' \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' --change 'LABEL correctomatic.base=python'
build_debian_base correctomatic/node-base:latest "$NODE_PACKAGES" --change 'CMD ["node"]' --change 'LABEL correctomatic.base=node'
# The tests' Redis (issue #12): loopback only and no persistence unless a test says otherwise; runs as the package's user.
build_debian_base correctomatic/redis:latest "$REDIS_PACKAGES" --change 'USER redis' --change 'WORKDIR /var/lib/redis' \
  --change 'CMD ["redis-server","--bind","127.0.0.1","--save","","--appendonly","no"]' --change 'LABEL correctomatic.base=redis'

SPAWNED='["/grader/bin/confine","init","--",'
build_grader correctomatic/grader-io-python:latest correctomatic/python-base:latest \
  images/python-base images/grader-io-python "$CONFINE" -- \
  --change "CMD $SPAWNED\"python3\",\"-B\",\"/grader/grade.py\"]" --change 'LABEL correctomatic.grader=io-python' \
  --change 'LABEL correctomatic.sandbox=spawner'
build_grader correctomatic/grader-python-unittest:latest correctomatic/python-base:latest \
  images/python-base images/grader-python-unittest "$CONFINE" -- \
  --change "CMD $SPAWNED\"python3\",\"-B\",\"/grader/grade.py\"]" --change 'LABEL correctomatic.grader=python-unittest' \
  --change 'LABEL correctomatic.sandbox=spawner'
build_grader correctomatic/grader-node-test:latest correctomatic/node-base:latest \
  images/node-base images/grader-node-test "$CONFINE" -- \
  --change "CMD $SPAWNED\"node\",\"/grader/grade.js\"]" --change 'LABEL correctomatic.grader=node-test' \
  --change 'LABEL correctomatic.sandbox=spawner'

# The sample assignments (images/assignments/), built as a teacher would with images/build-assignment.sh.
for sample in io-python python-unittest node-test; do
  tag=correctomatic/assignment-$sample-sample:latest
  old=$(image_id "$tag")
  line=$(images/build-assignment.sh "correctomatic/grader-$sample:latest" "images/assignments/$sample-sample" "$tag")
  [ -z "$line" ] || { built+=("$tag"); drop_replaced "$old" "$tag"; }
done

for id in "${replaced[@]}"; do [ -n "$(docker ps -aq --filter "ancestor=$id")" ] || docker rmi "$id" >/dev/null 2>&1 || true; done

# The services' images (issue #16): their own script, cached by the services' sources.
service_images=$(utils/build-service-images.sh) || exit 1
[ -z "$service_images" ] || built+=("${service_images#built images: }")

[ ${#built[@]} -eq 0 ] || echo "built images: ${built[*]}"
