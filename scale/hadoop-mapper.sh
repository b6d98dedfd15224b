#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scale/hadoop-mapper.sh DEID CHECK-OPTIONS... - the map side of a sharded
# `deid check` under Hadoop Streaming (or Spark's RDD.pipe): reads one part
# (a whole CSV file with its header) on stdin and prints one line,
# "summary<TAB>" and the part's summary in base64, so that the shuffle's
# sort cannot mix the lines of two summaries. The part's key (where it
# lies in the whole input) is the number in its file name
# (part-00007.csv: 7), from Hadoop's $mapreduce_map_input_file, or
# $DEID_PART. README "Sharded runs".
set -eu
deid=$1
shift
file=${mapreduce_map_input_file:-${map_input_file:-}}
part=${DEID_PART:-$(basename "${file:-part-0}" | tr -cd '0-9' | sed 's/^0*//')}
umask 077
dir=$(mktemp -d "${TMPDIR:-/tmp}/deid-map.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
"$deid" check "$@" --partial "$dir/part.sum" --part "${part:-0}" -
printf 'summary\t%s\n' "$(base64 -w0 < "$dir/part.sum")"
