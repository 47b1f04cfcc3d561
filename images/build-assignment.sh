#!/usr/bin/env bash
# Builds an assignment image: a grader image plus a teacher's folder, baked in at /grader/assignment, root-owned and
# read-only (the submission runs as 'grader' and can neither change nor replace it). Issue #9; images/README.md.
#
#   images/build-assignment.sh GRADER_IMAGE FOLDER TAG
#
#   correctomatic/grader-io-python        FOLDER holds test.in, test.out, grade.in, grade.out (one case per line)
#   correctomatic/grader-python-unittest  FOLDER holds test*.py (unittest; they `import solution`)
#   correctomatic/grader-node-test        FOLDER holds *.test.js (node:test; they `require('solution')`)
#
# No registry needed: docker create + cp + commit, one thin layer over the grader. Cached by a hash of the grader
# image and the folder (label correctomatic.build-hash). Prints "built TAG", or nothing when TAG was up to date.
set -euo pipefail
export DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}
[ $# -eq 3 ] || { sed -n '4,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64; }
grader=$1 folder=$2 tag=$3
die() { echo "build-assignment: $*" >&2; exit 1; }

[ -d "$folder" ] || die "$folder is not a folder"
kind=$(docker image inspect -f '{{ index .Config.Labels "correctomatic.grader" }}' "$grader" 2>/dev/null) \
  || die "no image $grader (run utils/build-images.sh)"

# Check the folder against what the grader reads, so a teacher learns about a mistake now, not from every student.
lines() { local n; n=$(wc -l < "$1"); [ -z "$(tail -c1 "$1")" ] || n=$((n + 1)); echo "$n"; }
case "$kind" in
  io-python)
    for set in test grade; do
      for ext in in out; do [ -f "$folder/$set.$ext" ] || die "$folder has no $set.$ext"; done
      [ "$(lines "$folder/$set.in")" = "$(lines "$folder/$set.out")" ] \
        || die "$set.in has $(lines "$folder/$set.in") lines but $set.out has $(lines "$folder/$set.out")"
      [ "$(lines "$folder/$set.in")" -gt 0 ] || die "$set.in has no cases"
    done ;;
  python-unittest) compgen -G "$folder/test*.py" >/dev/null || die "$folder has no test*.py" ;;
  node-test) compgen -G "$folder/*.test.*js" >/dev/null || die "$folder has no *.test.js" ;;
  *) die "$grader is not an assignment grader (label correctomatic.grader='$kind')" ;;
esac

hash=$( { docker image inspect -f '{{.Id}}' "$grader"; cd "$folder" && find . -type f -print0 | sort -z \
  | xargs -0 sha256sum; } | sha256sum | cut -c1-16)
[ "$(docker image inspect -f '{{ index .Config.Labels "correctomatic.build-hash" }}' "$tag" 2>/dev/null || true)" = "$hash" ] \
  && exit 0

old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
stage=$(mktemp -d)
trap 'rm -rf "$stage"; [ -z "${container:-}" ] || docker rm -f "$container" >/dev/null' EXIT
mkdir -p "$stage/grader/assignment"
cp -r "$folder/." "$stage/grader/assignment/"
container=$(docker create --label correctomatic.build=images "$grader")
# Root's and the grader's group's, nothing for others: the submission (uid 1001) cannot read the hidden cases.
tar -C "$stage" --numeric-owner --owner=0 --group=1000 --mode='a-w,ug+rX,o-rwx' --sort=name -c grader | docker cp - "$container:/"
docker commit --change "LABEL correctomatic.build-hash=$hash" \
  --change "LABEL correctomatic.assignment=$(basename "$(cd "$folder" && pwd)")" "$container" "$tag" >/dev/null
# The image TAG named before, now untagged: removed unless something still uses it (docker refuses, harmlessly).
[ -z "$old" ] || docker rmi "$old" >/dev/null 2>&1 || true
echo "built $tag"
