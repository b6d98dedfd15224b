#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/doc/run.sh DEID - runs every example in README.md and rules/.
#
# README.md and rules/README.md: the ```console blocks of each document run
# in order in one fresh folder holding copies of rules/ and samples/ (with
# rules/keys/demo.key made by `deid keygen`).
# Lines starting with "$ " are commands (`deid` is the binary under test);
# the lines after a command are its expected output, stdout and stderr
# together. A line "..." stands for any number of lines. A command ending in
# "# exit N" must exit with N, every other command with 0.
# Every JSON document the examples make deid write to a file must validate
# against its schema (engine/schemas, tests/lib/validate_json.py).
# rules/*.rules: every file must pass `deid lint`, and every line
# "# example: COMMAND" in it is run from such a folder and must exit 0.
set -u
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/deid-doc.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/bin"
ln -s "$DEID" "$work/bin/deid"
PATH="$work/bin:$PATH"
export PATH
passed=0
failed=0

# Every JSON document deid wrote in folder $1 (a report, a record, ...:
# those naming a deid schema) against its schema in engine/schemas/.
validated=0
validate_folder() {
    docs=$(grep -rl --include='*.json' '"schema_version": "deid\.' "$1" 2>/dev/null)
    [ -n "$docs" ] || return 0
    if printf '%s\n' "$docs" | xargs python3 "$ROOT/tests/lib/validate_json.py" "$ROOT/engine/schemas" \
        > "$work/schema-problems"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL JSON written by the examples does not validate:"
        sed "s|$work/||" "$work/schema-problems" | head -10
    fi
    validated=$((validated + $(printf '%s\n' "$docs" | wc -l)))
}

fresh_folder() {
    dir="$work/run.$1"
    [ -d "$dir" ] && validate_folder "$dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    cp -R "$ROOT/rules" "$ROOT/samples" "$dir/"
    rm -f "$dir"/rules/keys/*.key
    mkdir -p "$dir/rules/keys"
    deid keygen "$dir/rules/keys/demo.key" || exit 1
    # rules files may point at ../../shared (the Adult data beside the checkout)
    [ -e "$ROOT/../shared" ] && [ ! -e "$work/shared" ] && ln -s "$(cd "$ROOT/.." && pwd)/shared" "$work/shared"
    [ -e "$dir/../shared" ] || { [ -e "$work/shared" ] && ln -s "$work/shared" "$dir/../shared" 2>/dev/null; }
}

# Matches actual output ($2) against expected ($1), where a line "..." in
# the expected output matches any run of lines.
matches() {
    awk -v expf="$1" '
        BEGIN { while ((getline l < expf) > 0) want[ne++] = l }
        { got[na++] = $0 }
        function m(i, j,   k) {
            if (i == ne) return j == na
            if (want[i] == "...") {
                for (k = j; k <= na; k++) if (m(i + 1, k)) return 1
                return 0
            }
            if (j < na && want[i] == got[j]) return m(i + 1, j + 1)
            return 0
        }
        END { exit m(0, 0) ? 0 : 1 }' "$2"
}

run_command() { # $1 command, $2 expected file, $3 where
    cmd=$1
    want=0
    case "$cmd" in
    *"# exit "[0-9]) want=${cmd##*# exit } ;;
    esac
    (cd "$dir" && sh -c "$cmd") >"$work/actual" 2>&1
    status=$?
    if [ "$status" != "$want" ]; then
        failed=$((failed + 1))
        echo "FAIL $3: \`$cmd\` exited $status, expected $want"
        sed 's/^/    /' "$work/actual" | head -10
    elif ! matches "$2" "$work/actual"; then
        failed=$((failed + 1))
        echo "FAIL $3: \`$cmd\` printed something else:"
        diff "$2" "$work/actual" | head -20 | sed 's/^/    /'
    else
        passed=$((passed + 1))
    fi
}

# ---- README.md and rules/README.md --------------------------------------------
for doc in README.md rules/README.md; do
fresh_folder "$(echo "$doc" | tr / _)"
awk '
    /^```console[ \t]*$/ { inblock = 1; print "BLOCK\t" NR; next }
    /^```/ && inblock { inblock = 0; print "END"; next }
    inblock && /^\$ / { print "CMD\t" NR "\t" substr($0, 3); next }
    inblock { print "OUT\t" $0 }
' "$ROOT/$doc" >"$work/blocks"

cmd=""
where=""
while IFS= read -r line; do
    case "$line" in
    BLOCK*)
        cmd=""
        ;;
    CMD*|END)
        [ -n "$cmd" ] && run_command "$cmd" "$work/expected" "$where"
        cmd=""
        if [ "$line" != END ]; then
            rest=${line#CMD	}
            where="$doc:${rest%%	*}"
            cmd=${rest#*	}
            : >"$work/expected"
        fi
        ;;
    OUT*)
        printf '%s\n' "${line#OUT	}" >>"$work/expected"
        ;;
    esac
done <"$work/blocks"
done

# ---- rules/ -------------------------------------------------------------------
for rules in "$ROOT"/rules/*.rules; do
    name=rules/$(basename "$rules")
    fresh_folder rules
    : >"$work/expected"
    echo "..." >"$work/expected"
    run_command "deid lint $name >/dev/null" "$work/expected" "$name (lint)"
    grep -n '^# example: ' "$rules" | while IFS= read -r ex; do
        printf '%s\n' "$ex"
    done >"$work/examples"
    while IFS= read -r ex; do
        n=${ex%%:*}
        run_command "${ex#*:# example: } >/dev/null" "$work/expected" "$name:$n"
    done <"$work/examples"
done

for dir in "$work"/run.*; do
    [ -d "$dir" ] && validate_folder "$dir"
done

echo "doc: $passed passed, $failed failed, $validated JSON documents validated"
[ "$failed" -eq 0 ]
