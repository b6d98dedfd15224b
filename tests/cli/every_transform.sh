#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/cli/every_transform.sh - a filter for CLI cases whose output lists
# every transform, as in `unknown transform "x" (known: keep, drop, ...)`.
# A list that is exactly the rows of engine/xf/xf_list.h, in order, becomes
# "(known: <every transform>)", so the expected output stays the same when
# a transform is added; any other list is left as it is, so the case fails
# and shows it. Reads stdin, writes stdout; needs $ROOT (tests/cli/run.sh).
set -u
list=$(sed -n 's/^XF(\([a-z0-9_]*\))$/\1/p' "$ROOT/engine/xf/xf_list.h" | paste -sd, - |
       sed 's/,/, /g')
if [ -z "$list" ]; then
    echo "every_transform.sh: no XF(name) rows in $ROOT/engine/xf/xf_list.h" >&2
    exit 1
fi
exec sed "s/(known: $list)/(known: <every transform>)/g"
