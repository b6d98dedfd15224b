#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/db/run.sh - a real PostgreSQL round trip (part of `make check`
# through `make dbtest`, which installs Debian's postgresql when root).
# A scratch cluster in a temporary folder, listening only on a Unix socket
# there, run by an unprivileged user (PostgreSQL refuses root); then
#  1. samples/customers.csv is loaded into a source table with \copy and
#     streamed `psql \copy TO STDOUT | deid run | psql \copy FROM STDIN`
#     into a target table in one transaction (load below);
#  2. SQL confirms the target's row count is the source's minus the records
#     deid's --report says it removed, and that no source identifier (id,
#     name, rrn, phone, email; rrn and phone also as bare digits) is found
#     anywhere in any target row's text - the same query finds every one
#     of them in the source table itself, so it can fail; again with a
#     rule set that suppresses records (k=20 over sex and age), whose
#     removed count SQL computes from the source's classes;
#  3. a deid that fails - bad rules (exit 3, no output) or a bad value in
#     record 500 with on-error=fail (exit 4 after ~500 records were
#     written) - leaves the target table exactly as it was; a plain pipe
#     without the guard commits the partial stream (the control).
# The server is stopped and the folder removed on every exit (trap).
# usage: sh tests/db/run.sh path/to/deid
set -u
DEID=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "db: FAIL: no /usr/lib/postgresql/*/bin/initdb (Debian's postgresql)"; exit 1; }

fails=0
fail() { echo "db: FAIL: $*"; fails=$((fails + 1)); }

# The server's user: ourselves, or an unprivileged one when we are root.
if [ "$(id -u)" = 0 ]; then
    DB_USER=${DEID_DB_USER:-nobody}
    if ! id "$DB_USER" > /dev/null 2>&1; then
        DB_USER=deidtest
        id "$DB_USER" > /dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$DB_USER" ||
            { echo "db: FAIL: cannot create the user $DB_USER"; exit 1; }
    fi
    as_db_user() { runuser -u "$DB_USER" -- "$@"; }
else
    DB_USER=$(id -un)
    as_db_user() { "$@"; }
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/deid-db.XXXXXX") || exit 1
stop_server() {
    [ -f "$T/data/postmaster.pid" ] && as_db_user "$PGBIN/pg_ctl" -D "$T/data" -m immediate -t 120 stop > /dev/null 2>&1
    rm -rf "$T"
}
trap "stop_server" EXIT
trap 'exit 130' INT TERM HUP
mkdir "$T/sock" "$T/data" "$T/rules" "$T/rules/keys"
[ "$(id -u)" = 0 ] && chown "$DB_USER" "$T" "$T/sock" "$T/data"
cd "$T" || exit 1

# ---- the scratch server --------------------------------------------------
# fsync off and small buffers: a scratch cluster on a busy 2-core machine.
as_db_user "$PGBIN/initdb" -D "$T/data" -U "$DB_USER" --auth=trust -E UTF8 --no-locale > "$T/initdb.log" 2>&1 ||
    { cat "$T/initdb.log"; echo "db: FAIL: initdb"; exit 1; }
as_db_user "$PGBIN/pg_ctl" -D "$T/data" -l "$T/data/server.log" -w -t 180 \
    -o "-c listen_addresses='' -c unix_socket_directories='$T/sock' -c fsync=off -c shared_buffers=16MB -c max_connections=10" \
    start > /dev/null 2>&1 || { cat "$T/data/server.log"; echo "db: FAIL: pg_ctl start"; exit 1; }
ready=no
for _ in $(seq 1 180); do
    "$PGBIN/pg_isready" -q -h "$T/sock" -U "$DB_USER" -d postgres && { ready=yes; break; }
    sleep 1
done
[ $ready = yes ] || { cat "$T/data/server.log"; echo "db: FAIL: the server did not answer in 180 s"; exit 1; }

export PGHOST="$T/sock" PGUSER="$DB_USER" PGDATABASE=postgres PGCLIENTENCODING=UTF8 PGCONNECT_TIMEOUT=60
db() { timeout 600 "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
query() { db -A -t -c "$1"; }

# load SELECT TARGET RULES NAME: streams SELECT's rows through `deid run`
# into TARGET in ONE transaction that commits only when the export and
# deid both exited 0. The guard NAME.guard.sql is written by the upstream
# group after deid ended and before it closes the pipe, so the loading
# psql reaches it only after its \copy saw end of input; when it is missing
# (psql stopped reading early) \i fails, which fails closed too.
# deid's exit status is left in NAME.status, its report in NAME.json.
load() {
    rm -f "$T/$4.guard.sql" "$T/$4.status" "$T/$4.json"
    {
        { db -c "\\copy ($1) TO STDOUT WITH CSV HEADER"; echo $? > "$T/$4.export"; } |
            { "$DEID" run -q -r "$3" --report "$T/$4.json"; echo $? > "$T/$4.status"; }
        if [ "$(cat "$T/$4.export")" = 0 ] && [ "$(cat "$T/$4.status")" = 0 ]; then
            echo "SELECT 'upstream ok' AS guard;"
        else
            echo "DO \$\$ BEGIN RAISE EXCEPTION 'export exit $(cat "$T/$4.export"), deid exit $(cat "$T/$4.status"): nothing of this load is kept'; END \$\$;"
        fi > "$T/$4.guard.sql"
    } 2> "$T/$4.deid.log" |
        db --single-transaction -c "\\copy $2 FROM pstdin WITH CSV HEADER" -c "\\i $T/$4.guard.sql" > "$T/$4.load.log" 2>&1
}

# ---- the source table -----------------------------------------------------
db -c "CREATE TABLE customers (id text PRIMARY KEY, name text, rrn text, phone text, email text,
         birth date, sex text, age integer, zip text, address text, income bigint, job text,
         diagnosis text, memo text)" \
   -c "CREATE TABLE customers_deid (id text, name text, rrn text, phone text, email text, birth text,
         sex text, age text, zip text, address text, income bigint, job text, diagnosis text,
         person_key text)" \
   -c "CREATE TABLE customers_naive (LIKE customers_deid)" \
   -c "\\copy customers FROM '$ROOT/samples/customers.csv' WITH CSV HEADER" || { echo "db: FAIL: loading the sample"; exit 1; }
source_rows=$(query "SELECT count(*) FROM customers")
# (records, not lines: a quoted memo may span lines; every record starts with its id)
expected=$(grep -c '^C[0-9]\{6\},' "$ROOT/samples/customers.csv")
[ "$source_rows" = "$expected" ] || fail "source table: $source_rows rows, the sample has $expected records"

# The shipped rule set with a fresh key: a copy of rules/customers.rules
# beside its hierarchies and a key made by deid keygen.
cp "$ROOT/rules/customers.rules" "$T/rules/"
cp -R "$ROOT/rules/hierarchies" "$T/rules/"
"$DEID" keygen "$T/rules/keys/demo.key" > /dev/null || fail "deid keygen"
SELECT_ALL="SELECT id, name, rrn, phone, email, birth, sex, age, zip, address, income, job, diagnosis, memo FROM customers ORDER BY id"

# ---- 1, 2: the round trip ---------------------------------------------------
load "$SELECT_ALL" customers_deid "$T/rules/customers.rules" good ||
    { cat "$T/good.deid.log" "$T/good.load.log"; fail "the round trip failed (deid exit $(cat "$T/good.status"))"; }
python3 "$ROOT/tests/lib/validate_json.py" "$ROOT/engine/schemas" "$T/good.json" ||
    fail "deid's report does not validate against its schema"
removed=$(sed -n 's/.*"records_removed": *\([0-9]*\).*/\1/p' "$T/good.json")
target_rows=$(query "SELECT count(*) FROM customers_deid")
[ -n "$removed" ] || fail "no records_removed in deid's report"
[ "$target_rows" = $((source_rows - ${removed:-0})) ] ||
    fail "target: $target_rows rows, source $source_rows minus ${removed:-?} removed"
[ "$target_rows" -gt 0 ] || fail "target is empty"

# Every source identifier, searched as a substring of every row's text.
found_in() {
    query "SELECT count(*) FROM customers s,
             LATERAL (VALUES (s.id), (s.name), (s.rrn), (s.phone), (s.email),
                             (regexp_replace(s.rrn, '[^0-9]', '', 'g')),
                             (regexp_replace(s.phone, '[^0-9]', '', 'g'))) v(identifier)
           WHERE v.identifier <> '' AND EXISTS (SELECT 1 FROM $1 t WHERE strpos(t::text, v.identifier) > 0)"
}
leaked=$(found_in customers_deid)
[ "$leaked" = 0 ] || fail "$leaked source identifiers found in the target table"
# The control: the source with rrn and phone also as bare digits holds all.
query "CREATE TABLE customers_control AS SELECT c.*, regexp_replace(rrn, '[^0-9]', '', 'g') AS rrn_digits,
         regexp_replace(phone, '[^0-9]', '', 'g') AS phone_digits FROM customers c" > /dev/null
control=$(found_in customers_control)
[ "$control" = $((source_rows * 7)) ] || fail "control: the search finds $control of $((source_rows * 7)) identifiers in the source itself"

# A rule set that removes records: the same, with k=20 over sex and age
# suppressing whole records. SQL counts the records in the (sex, 10-year
# age band) classes smaller than 20 itself; the report must agree, and the
# target holds the rest.
query "CREATE TABLE customers_k20 (LIKE customers_deid)" > /dev/null
{ cat "$T/rules/customers.rules"; printf 'quasi sex age\nrequire k=20\nsuppress max=10%% how=record\n'; } > "$T/rules/k20.rules"
load "$SELECT_ALL" customers_k20 "$T/rules/k20.rules" k20 ||
    { cat "$T/k20.deid.log" "$T/k20.load.log"; fail "the round trip with suppression failed (deid exit $(cat "$T/k20.status"))"; }
removed_k20=$(sed -n 's/.*"records_removed": *\([0-9]*\).*/\1/p' "$T/k20.json")
small_k20=$(query "SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM customers GROUP BY sex, age / 10 HAVING count(*) < 20) c")
k20_rows=$(query "SELECT count(*) FROM customers_k20")
[ "$removed_k20" = "$small_k20" ] && [ "$small_k20" -gt 0 ] ||
    fail "suppression: the report says ${removed_k20:-?} removed, SQL counts $small_k20 in classes under 20"
[ "$k20_rows" = $((source_rows - ${removed_k20:-0})) ] ||
    fail "suppression: target $k20_rows rows, source $source_rows minus ${removed_k20:-?} removed"
[ "$(found_in customers_k20)" = 0 ] || fail "suppression: source identifiers found in the target table"

snapshot() { query "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM customers_deid t"; }
before=$(snapshot)

# ---- 3a: bad rules, exit 3, nothing written ---------------------------------
sed 's/^column age .*/column age  range width=ten/' "$T/rules/customers.rules" > "$T/rules/bad.rules"
load "$SELECT_ALL" customers_deid "$T/rules/bad.rules" badrules && fail "bad rules: the load succeeded"
[ "$(cat "$T/badrules.status")" = 3 ] || fail "bad rules: deid exit $(cat "$T/badrules.status"), expected 3"
grep -q 'deid exit 3: nothing of this load is kept' "$T/badrules.load.log" || fail "bad rules: the guard did not stop the load"
[ "$(snapshot)" = "$before" ] || fail "bad rules: the target table changed"

# ---- 3b: a bad value in record 500, exit 4 mid-stream -----------------------
SELECT_BAD="SELECT id, name, rrn, phone, email,
              CASE WHEN id = 'C000500' THEN 'not a date' ELSE birth::text END,
              sex, age, zip, address, income, job, diagnosis, memo FROM customers ORDER BY id"
load "$SELECT_BAD" customers_deid "$T/rules/customers.rules" midstream && fail "mid-stream: the load succeeded"
[ "$(cat "$T/midstream.status")" = 4 ] || fail "mid-stream: deid exit $(cat "$T/midstream.status"), expected 4"
grep -q 'record 500 .*column "birth"' "$T/midstream.deid.log" || fail "mid-stream: deid did not stop at record 500"
grep -q 'deid exit 4: nothing of this load is kept' "$T/midstream.load.log" || fail "mid-stream: the guard did not stop the load"
[ "$(snapshot)" = "$before" ] || fail "mid-stream: the target table changed"
# The control: the same stream through a plain pipe commits what deid wrote
# before it stopped - which is what the guard prevents.
db -c "\\copy ($SELECT_BAD) TO STDOUT WITH CSV HEADER" | "$DEID" run -q -r "$T/rules/customers.rules" 2> /dev/null |
    db -c "\\copy customers_naive FROM pstdin WITH CSV HEADER" > /dev/null 2>&1
naive=$(query "SELECT count(*) FROM customers_naive")
[ "$naive" -gt 0 ] && [ "$naive" -le 499 ] ||
    fail "control: a plain pipe loaded $naive rows (a partial stream of at most 499 expected)"

echo "db: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'): source $source_rows rows, target $target_rows (removed ${removed:-?}), with k=20 suppression $k20_rows (removed ${removed_k20:-?}, SQL $small_k20); identifiers found in the target $leaked, in the control $control; a plain pipe committed $naive rows of the failed run"
echo "db: $fails failed"
[ $fails = 0 ]
