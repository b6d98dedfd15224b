#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/lib/layout.sh - the shape of engine/ that the README promises
# (part of `make libtest`):
#  1. layers: a file in engine/LAYER/ includes only headers of its own layer
#     or of the layers before it in "base io keys xf rules model run report
#     cli" (deid.h and deid_limits.h, the public headers, from anywhere);
#  2. no engine file is over 700 lines;
#  3. README's "Source layout" table names every engine file, and every
#     file it names exists.
# Prints one line per problem and a closing "layout: N checks, N failed".
set -u
cd "$(dirname "$0")/../.."
order="base io keys xf rules model run report cli"
checks=0
failed=0
problem() { echo "layout: $*"; failed=$((failed + 1)); }
rank() { i=0; for o in $order; do [ "$o" = "$1" ] && { echo $i; return; }; i=$((i + 1)); done; echo 99; }

# 1. layers
for f in engine/*/*.[ch]; do
    layer=$(echo "$f" | cut -d/ -f2)
    r=$(rank "$layer")
    checks=$((checks + 1))
    for h in $(sed -n 's/^#include "\([A-Za-z_0-9]*\.h\)".*/\1/p' "$f"); do
        case $h in deid.h | deid_limits.h) continue ;; esac
        hp=$(ls engine/*/"$h" 2> /dev/null | head -n 1)
        [ -n "$hp" ] || continue # a test or bench header, not the engine's
        hl=$(echo "$hp" | cut -d/ -f2)
        [ "$(rank "$hl")" -le "$r" ] || problem "$f ($layer) includes $hp ($hl), a later layer"
    done
done

# 2. file length
for f in engine/*.h engine/*/*.[ch]; do
    checks=$((checks + 1))
    n=$(wc -l < "$f")
    [ "$n" -le 700 ] || problem "$f has $n lines (at most 700: split it by responsibility)"
done

# 3. the README's source tour
listed=$(sed -n '/^## Source layout/,/^Elsewhere/p' README.md | grep '^| `' | cut -d'|' -f2 |
    grep -o '`[^`]*`' | tr -d '`' | while read -r name; do
        case $name in
        */) ;;
        *.c/.h) echo "${name%/.h}"; echo "${name%.c/.h}.h" ;;
        *.[ch]) echo "$name" ;;
        esac
    done | sort -u)
actual=$(cd engine && ls *.h */*.[ch] | sort -u)
for f in $actual; do
    checks=$((checks + 1))
    echo "$listed" | grep -qx "$f" || problem "engine/$f is not in README's Source layout table"
done
for f in $listed; do
    checks=$((checks + 1))
    [ -f "engine/$f" ] || problem "README's Source layout names engine/$f, which does not exist"
done
echo "layout: $checks checks, $failed failed"
[ "$failed" = 0 ]
