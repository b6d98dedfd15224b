#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/cli/account.sh ARGS... - stands in for deid in the CLI tests
# (tests/cli/run.sh makes it $DEID and puts it first in PATH as `deid`) to
# check the accounting of every `deid run`: records read = records written +
# records removed, and the inputs' records add up to records read.
#
# Every JSON document the command writes is kept (a copy in the case's
# json/ folder, beside $DEID_ACCOUNT_LOG) for tests/cli/run.sh to validate
# against engine/schemas/: a run's report and its --record, and the
# --json output of check, plan and scan and check's --report.
#
# Other commands are exec'd unchanged. A `run` gets `--report FILE` in a
# folder of run.sh's unless it names its own report (then that file is read
# right after the run). deid runs as a child with the caller's stdin, stdout
# and stderr; nothing is added to them and the exit status is deid's. A
# signal sent to this script (a case's `kill $!`) is passed on to deid.
#
# The verdict is one line appended to $DEID_ACCOUNT_LOG per run:
#   ok READ WRITTEN REMOVED   a successful run whose report balances
#   FAIL REASON               a successful run without a report, or one
#                             that does not balance
#   skip REASON               a run that failed, asked for --help, or wrote
#                             its report where it cannot be read back
# Environment: DEID_REAL (the real binary), DEID_ACCOUNT_LOG,
# DEID_ACCOUNT_DIR (a folder for the added reports).
real=${DEID_REAL:?DEID_REAL is not set}

# keep_json FILE: a copy of FILE for the schema validation.
keep_json() {
    [ -f "$1" ] || return 0
    json_dir=${DEID_ACCOUNT_LOG%/*}/json
    mkdir -p "$json_dir"
    kept=$(ls "$json_dir" | wc -l)
    cp "$1" "$json_dir/$$.$kept.json"
}

# check, plan and scan with --json (check also with --report FILE): stdout
# goes through a file so that the document can be kept.
json_of_command() {
    [ -n "${DEID_ACCOUNT_LOG:-}" ] && [ -n "${DEID_ACCOUNT_DIR:-}" ] || return 1
    case ${1:-} in check | plan | scan) ;; *) return 1 ;; esac
    json=0 rep= next=0
    for a in "$@"; do
        if [ "$next" = 1 ]; then rep=$a; next=0; continue; fi
        case $a in
        --) break ;;
        --json) json=1 ;;
        --h | --he | --hel | --help | -h) return 1 ;;
        --rep | --repo | --repor | --report) [ "$1" = check ] && next=1 ;;
        --rep=* | --repo=* | --repor=* | --report=*) [ "$1" = check ] && rep=${a#*=} ;;
        esac
    done
    [ "$json" = 1 ] || [ -n "$rep" ]
}
if json_of_command "$@"; then
    if [ "$json" = 1 ]; then
        out=$DEID_ACCOUNT_DIR/stdout.$$
        "$real" "$@" > "$out"
        status=$?
        cat "$out"
        [ "$status" -le 1 ] && [ -s "$out" ] && keep_json "$out"
        rm -f "$out"
    else
        "$real" "$@"
        status=$?
    fi
    [ "$status" -le 1 ] && [ -n "$rep" ] && [ "$rep" != - ] && keep_json "$rep"
    exit "$status"
fi
if [ "${1:-}" != run ] || [ -z "${DEID_ACCOUNT_LOG:-}" ] || [ -z "${DEID_ACCOUNT_DIR:-}" ]; then
    exec "$real" "$@"
fi

log() { echo "$*" >> "$DEID_ACCOUNT_LOG"; }

# Find a report the command names itself, and --help. getopt_long takes
# unambiguous prefixes: --rep is the shortest one for --report (--re could be
# --record or --report), --h the shortest for --help.
report=
record=
help=0
expect_report=0
expect_record=0
skip_next=0
for a in "$@"; do
    if [ "$expect_report" = 1 ]; then report=$a; expect_report=0; continue; fi
    if [ "$expect_record" = 1 ]; then record=$a; expect_record=0; continue; fi
    if [ "$skip_next" = 1 ]; then skip_next=0; continue; fi
    case $a in
    --) break ;;
    --rep=* | --repo=* | --repor=* | --report=*) report=${a#*=} ;;
    --rep | --repo | --repor | --report) expect_report=1 ;;
    --rec=* | --reco=* | --recor=* | --record=*) record=${a#*=} ;;
    --rec | --reco | --recor | --record) expect_record=1 ;;
    --h | --he | --hel | --help | -h) help=1 ;;
    -r | -o | -d | -j | --rules | --output | --delimiter | --output-delimiter | \
    --gzip-level | --threads | --chunk-size | --sensitive-empty)
        skip_next=1 ;;
    esac
done
shift # run
if [ -z "$report" ]; then
    report=$DEID_ACCOUNT_DIR/report.$$.json
    rm -f "$report"
    set -- run --report "$report" "$@"
else
    set -- run "$@"
fi

# A child in the background, so that a signal reaches this script at once
# and can be passed on. A background command's stdin would be /dev/null:
# hand it ours through fd 3 (when we have one).
child=
signalled=
forward() {
    signalled=$1
    [ -n "$child" ] && kill "-$1" "$child" 2>/dev/null
}
trap 'forward TERM' TERM
trap 'forward INT' INT
trap 'forward HUP' HUP
if { : <&0; } 2>/dev/null; then
    exec 3<&0
    "$real" "$@" <&3 3<&- &
else
    "$real" "$@" <&- &
fi
child=$!
exec 3<&-
[ -n "$signalled" ] && kill "-$signalled" "$child" 2>/dev/null # came before child=$!
while :; do
    wait "$child" 2>/dev/null # no "Terminated" from this shell on deid's stderr
    status=$?
    # wait returns early (status > 128) when a trapped signal arrives; wait
    # again until deid has really ended.
    kill -0 "$child" 2>/dev/null || break
done
if [ -n "$signalled" ]; then
    log "skip killed by SIG$signalled"
    trap - "$signalled"
    kill "-$signalled" $$
    exit "$status"
fi

if [ "$status" != 0 ]; then
    log "skip exit $status"
    exit "$status"
fi
if [ "$help" = 1 ]; then
    log "skip --help"
    exit 0
fi
if [ "$report" = - ] && [ ! -f ./- ]; then
    log "skip report to stdout"
    exit 0
fi
[ "$report" = - ] && report=./-
if [ ! -f "$report" ]; then
    log "FAIL exit 0 but no report in $report"
    exit 0
fi
keep_json "$report"
[ -n "$record" ] && [ "$record" != - ] && keep_json "$record"

# The report's top-level counts, each exactly once; the inputs' "records".
field() {
    v=$(sed -n "s/^ *\"$1\": *\([0-9][0-9]*\),\{0,1\} *\$/\1/p" "$report")
    case $v in
    '' | *[!0-9]*) echo "FAIL report has no single \"$1\"" ;;
    *) echo "$v" ;;
    esac
}
read_n=$(field records_read)
written=$(field records_written)
removed=$(field records_removed)
for v in "$read_n" "$written" "$removed"; do
    case $v in FAIL*) log "$v"; exit 0 ;; esac
done
inputs=$(sed -n '/^  "inputs": \[/,/^  \]/s/.*"records": *\([0-9][0-9]*\).*/\1/p' "$report" |
         awk '{ s += $1 } END { print s + 0 }')
if [ "$read_n" -ne $((written + removed)) ]; then
    log "FAIL records read $read_n != written $written + removed $removed"
elif [ "$inputs" -ne "$read_n" ]; then
    log "FAIL the inputs' records add up to $inputs, records read is $read_n"
else
    log "ok $read_n $written $removed"
fi
exit 0
