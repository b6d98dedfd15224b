#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bench/plan_speed.sh - `deid plan` on the ARX Adult data (all 9 columns as
# QIs with ARX's hierarchies, level=auto) for the issue's three scenarios,
# whole process including reading the CSV, median of 5 runs; next to ARX's
# anonymize() times on a warm JVM quoted by the optimal-search issue
# (ARX is not installed here). Then Adult concatenated 100 times (3,016,200
# rows, made in build/bench/) for k=5 at 1%.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEID=$ROOT/build/deid
ADULT=$(cd "$ROOT/.." && pwd)/shared/data/arx/adult
DIR=$ROOT/build/bench
mkdir -p "$DIR"
rules() { # k max file
    { printf 'input delimiter=;\n'
      for c in sex age race marital-status education native-country workclass occupation salary-class; do
          echo "column $c hierarchy file=$ADULT/adult_hierarchy_$c.csv level=auto"
      done
      printf 'quasi sex age race marital-status education native-country workclass occupation salary-class\n'
      printf 'require k=%s\nsuppress max=%s\n' "$1" "$2"; } >"$3"
}
median5() {
    for i in 1 2 3 4 5; do
        /usr/bin/time -f '%e %M' -o "$DIR/t" sh -c "$1" >/dev/null 2>&1
        cat "$DIR/t"
    done | sort -n | sed -n 3p
}
echo "| scenario | deid plan, median s | peak RSS KB | nodes evaluated / lattice | ARX anonymize() s | ARX / deid |"
echo "|---|---|---|---|---|---|"
for s in "5 0% 0.100" "5 1% 0.870" "5 5% 1.330"; do
    set -- $s
    rules "$1" "$2" "$DIR/plan.rules"
    m=$(median5 "$DEID plan -r $DIR/plan.rules $ADULT/adult.csv")
    nodes=$("$DEID" plan -r "$DIR/plan.rules" "$ADULT/adult.csv" | sed -n 's/^lattice *\([0-9]*\) nodes, \([0-9]*\) evaluated/\2 \/ \1/p')
    printf '| k=%s, %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "${m% *}" "${m#* }" "$nodes" "$3" \
        "$(awk -v a="$3" -v b="${m% *}" 'BEGIN { printf "%.1fx", a / b }')"
done
BIG=$DIR/adult-x100.csv
if [ ! -s "$BIG" ]; then
    head -1 "$ADULT/adult.csv" >"$BIG"
    i=0
    while [ $i -lt 100 ]; do tail -n +2 "$ADULT/adult.csv" >>"$BIG"; i=$((i + 1)); done
fi
rules 5 1% "$DIR/plan.rules"
m=$(median5 "$DEID plan -r $DIR/plan.rules $BIG")
echo
echo "Adult x100 ($(($(wc -l <"$BIG") - 1)) rows, $(wc -c <"$BIG") bytes), k=5 at 1%: median ${m% *} s, peak RSS ${m#* } KB (target < 3 s)"

# t-closeness (equal distance) with occupation sensitive and the other 8
# columns as QIs (4,320 nodes), k=5 t=0.2 at 5%: ARX 1.45 s on this kind
# of machine (issue 14). Not monotone with suppression: only k's part of
# the inference prunes (search.c). One run: it is the slow scenario.
{ printf 'input delimiter=;\n'
  for c in sex age race marital-status education native-country workclass salary-class; do
      echo "column $c hierarchy file=$ADULT/adult_hierarchy_$c.csv level=auto"
  done
  printf 'column occupation keep\nquasi sex age race marital-status education native-country workclass salary-class\n'
  printf 'sensitive occupation\nrequire k=5 t=0.2\nsuppress max=5%%\n'; } >"$DIR/tclose.rules"
/usr/bin/time -f '%e %M' -o "$DIR/t" "$DEID" plan -r "$DIR/tclose.rules" "$ADULT/adult.csv" >"$DIR/tclose.out" 2>&1
nodes=$(sed -n 's/^lattice *\([0-9]*\) nodes, \([0-9]*\) evaluated/\2 \/ \1/p' "$DIR/tclose.out")
m=$(cat "$DIR/t")
echo
echo "Adult, occupation sensitive, k=5 t=0.2 (equal distance) at 5%: ${m% *} s, peak RSS ${m#* } KB, nodes evaluated $nodes (ARX: 1.45 s)"

# The same with the hierarchical distance over ARX's occupation tree
# (`sensitive occupation hierarchy=`), t=0.2 and t=0.5: the dense path
# (search_lt.c), then the general path (DEID_LT_FAST_PATH=0) for the
# comparison; one run each, user CPU time being the fair figure on a
# shared machine. Both must print the same plan.
for t in 0.2 0.5; do
    sed -e "s#^sensitive occupation\$#sensitive occupation hierarchy=$ADULT/adult_hierarchy_occupation.csv#" \
        -e "s/ t=0.2\$/ t=$t/" "$DIR/tclose.rules" >"$DIR/thier-$t.rules"
    for fast in 1 0; do
        DEID_LT_FAST_PATH=$fast /usr/bin/time -f '%e %U %M' -o "$DIR/t" \
            "$DEID" plan -r "$DIR/thier-$t.rules" "$ADULT/adult.csv" >"$DIR/thier$fast.out" 2>&1
        set -- $(cat "$DIR/t")
        nodes=$(sed -n 's/^lattice *\([0-9]*\) nodes, \([0-9]*\) evaluated/\2 \/ \1/p' "$DIR/thier$fast.out")
        [ $fast = 1 ] && path="dense path" || path="general path (DEID_LT_FAST_PATH=0)"
        echo "Adult, occupation sensitive, k=5 t=$t (hierarchical distance) at 5%, $path: $1 s, user $2 s, peak RSS $3 KB, nodes evaluated $nodes"
    done
    cmp -s "$DIR/thier1.out" "$DIR/thier0.out" && echo "  the two paths print the same plan" || echo "  THE TWO PATHS DIFFER"
done
