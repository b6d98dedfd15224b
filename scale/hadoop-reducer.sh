#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scale/hadoop-reducer.sh DEID CHECK-OPTIONS... - the reduce side: reads
# the mappers' "summary<TAB>base64" lines (in any order, as the shuffle's
# sort leaves them), decodes each into a private temporary folder (mode
# 0700: summaries hold QI values) and prints `deid check --merge`'s report
# of the whole input; its exit status is deid's. README "Sharded runs".
set -eu
deid=$1
shift
umask 077
dir=$(mktemp -d "${TMPDIR:-/tmp}/deid-reduce.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
tab=$(printf '\t')
n=0
while IFS="$tab" read -r key value; do
    [ "$key" = summary ] || { echo "hadoop-reducer: unexpected key \"$key\"" >&2; exit 2; }
    n=$((n + 1))
    printf '%s' "$value" | base64 -d > "$dir/$n.sum"
done
[ "$n" -gt 0 ] || { echo "hadoop-reducer: no summary on stdin" >&2; exit 2; }
set +e
"$deid" check "$@" --merge "$dir"/*.sum
status=$?
exit $status
