#!/usr/bin/env bash
# Builds the local images without a registry (issue #9): each image is a rootfs imported with `docker import`.
# Cached by a hash of its inputs (label correctomatic.build-hash): a second run rebuilds nothing.
# Prints one line naming what it built, nothing when everything was up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}

built=()

# image_is_current NAME HASH: the image exists and was built from these inputs.
image_is_current() {
  [ "$(docker image inspect -f '{{ index .Config.Labels "correctomatic.build-hash" }}' "$1" 2>/dev/null || true)" = "$2" ]
}

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

# build_busybox_image NAME DIR [--change ...]: DIR/rootfs/ is copied over the busybox rootfs.
build_busybox_image() {
  local name=$1 dir=$2; shift 2
  local hash; hash=$(inputs_hash "$dir")
  image_is_current "$name" "$hash" && return 0
  local root; root=$(mktemp -d)
  busybox_rootfs "$root"
  [ -d "$dir/rootfs" ] && cp -a "$dir/rootfs/." "$root/"
  tar -C "$root" --numeric-owner -c . | docker import \
    --change "LABEL correctomatic.build-hash=$hash" --change "ENV PATH=/bin" "$@" - "$name" >/dev/null
  rm -rf "$root"
  built+=("$name")
}

# A plain busybox image for tests that run arbitrary shell commands.
build_busybox_image correctomatic/busybox:latest images/busybox \
  --change 'USER grader' --change 'WORKDIR /tmp' --change 'CMD ["/bin/sh"]'

# The minimal shell grader used by the demo and by fast tests (images/grader-shell/README.md).
build_busybox_image correctomatic/grader-shell:latest images/grader-shell \
  --change 'USER grader' --change 'WORKDIR /tmp' --change 'CMD ["/bin/sh","/grader/grade.sh"]' \
  --change 'LABEL correctomatic.grader=shell'

[ ${#built[@]} -eq 0 ] || echo "built images: ${built[*]}"
