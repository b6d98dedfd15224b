#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tools/spdx.sh [--check] - the license header of every source file.
#
# Source files: C (*.c, *.h), shell (*.sh, .ci/run), Python (*.py), awk
# (*.awk), the Makefile and debian/rules, as git lists them (else as find
# does), but not the test data (tests/fuzz/corpus, tests/fuzz/crashes,
# tests/cli/cases). Each must hold "SPDX-License-Identifier: Apache-2.0"
# in its first three lines.
#
# Without --check, adds the header to every file that lacks it: one line
# at the top, after a "#!" line where there is one - `/* ... */` in C,
# `# ...` elsewhere. Running it again changes nothing, so it can be re-run
# after a merge. With --check, changes nothing, names each file without
# the header and exits 1 if there is one (make spdxtest, part of check).
set -u
cd "$(dirname "$0")/.." || exit 1
check=0
[ "${1:-}" = --check ] && check=1
tag='SPDX-License-Identifier: Apache-2.0'

list() {
  if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
    git ls-files -- '*.c' '*.h' '*.sh' '*.py' '*.awk' Makefile debian/rules .ci/run
  else
    find . \( -name '*.[ch]' -o -name '*.sh' -o -name '*.py' -o -name '*.awk' \) -type f |
      sed 's|^\./||'
    for f in Makefile debian/rules .ci/run; do [ -f "$f" ] && echo "$f"; done
  fi | grep -v -e '^tests/fuzz/corpus/' -e '^tests/fuzz/crashes/' -e '^tests/cli/cases/' -e '^build/' |
    LC_ALL=C sort -u
}

missing=0
for f in $(list); do
  [ -f "$f" ] || continue
  head -n 3 "$f" | grep -q "$tag" && continue
  if [ $check = 1 ]; then
    echo "spdx: $f has no \"$tag\" line at the top (run: sh tools/spdx.sh)"
    missing=$((missing + 1))
    continue
  fi
  case "$f" in
    *.c|*.h) line="/* $tag */" ;;
    *) line="# $tag" ;;
  esac
  [ -s "$f" ] || { echo "$line" > "$f"; echo "spdx: added to $f"; continue; }
  # rewrite in place (cat >), keeping the file's mode and inode
  tmp=$(mktemp) || exit 1
  awk -v line="$line" 'NR == 1 && /^#!/ { print; print line; next } NR == 1 { print line } { print }' \
    "$f" > "$tmp" && cat "$tmp" > "$f"
  rm -f "$tmp"
  echo "spdx: added to $f"
done
if [ $check = 1 ]; then
  [ $missing = 0 ] || { echo "spdx: $missing source file(s) without the license header"; exit 1; }
  echo "spdx: every source file has the license header ($(list | wc -l) files)"
fi
exit 0
