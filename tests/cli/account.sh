#!/bin/sh
# tests/cli/account.sh ARGS... - stands in for deid in the CLI tests
# (tests/cli/run.sh makes it $DEID and puts it first in PATH as `deid`) to
# check the accounting of every `deid run`: records read = records written +
# records removed, and the inputs' records add up to records read.
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
if [ "${1:-}" != run ] || [ -z "${DEID_ACCOUNT_LOG:-}" ] || [ -z "${DEID_ACCOUNT_DIR:-}" ]; then
    exec "$real" "$@"
fi

log() { echo "$*" >> "$DEID_ACCOUNT_LOG"; }

# Find a report the command names itself, and --help. getopt_long takes
# unambiguous prefixes: --rep is the shortest one for --report (--re could be
# --record or --report), --h the shortest for --help.
report=
help=0
expect_report=0
skip_next=0
for a in "$@"; do
    if [ "$expect_report" = 1 ]; then report=$a; expect_report=0; continue; fi
    if [ "$skip_next" = 1 ]; then skip_next=0; continue; fi
    case $a in
    --) break ;;
    --rep=* | --repo=* | --repor=* | --report=*) report=${a#*=} ;;
    --rep | --repo | --repor | --report) expect_report=1 ;;
    --h | --he | --hel | --help | -h) help=1 ;;
    -r | -o | -d | -j | --rules | --output | --record | --delimiter | --output-delimiter | \
    --gzip-level | --threads | --chunk-size)
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
