#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/install/run.sh MAKE CC BUILD - `make install` into a scratch
# DESTDIR with PREFIX=/usr/local, then:
#  - the installed files are exactly tests/install/files.txt, which README's
#    "Install" section lists too; symlinks, modes and deid.pc's prefix;
#  - both man pages pass `mandoc -Tlint` and render (man -l, else mandoc);
#    deid.1 names every subcommand and every long option of every --help,
#    and README names every such option;
#  - a program (tests/install/app.c) compiled with `pkg-config --cflags
#    --libs deid` against the installed files runs, linked statically and
#    with the shared library, and writes the output worked out by hand;
#  - `make uninstall` leaves nothing behind (and keeps a file it did not
#    install).
set -u
MAKE=${1:-make}
CC=${2:-cc}
BUILD=${3:-build}
here=$(cd "$(dirname "$0")" && pwd)
fail=0
bad() { echo "FAIL: install: $*"; fail=1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/deid-install.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM
root=$scratch/root
prefix=/usr/local
dest=$root$prefix

# A file install does not own: uninstall must keep it and its folder.
mkdir -p "$dest/share/doc" && echo keep > "$dest/share/doc/other.txt"

$MAKE --no-print-directory BUILD="$BUILD" PREFIX=$prefix DESTDIR="$root" install \
  > "$scratch/install.log" 2>&1 || { cat "$scratch/install.log"; bad "make install failed"; exit 1; }

# ---- the files ---------------------------------------------------------------
(cd "$dest" && find . \( -type f -o -type l \) ! -path ./share/doc/other.txt | sed 's|^\./||' | LC_ALL=C sort) \
  > "$scratch/installed.txt"
LC_ALL=C sort "$here/files.txt" > "$scratch/expected.txt"
diff -u "$scratch/expected.txt" "$scratch/installed.txt" > "$scratch/files.diff" ||
  { cat "$scratch/files.diff"; bad "installed files differ from tests/install/files.txt (- expected, + installed)"; }
outside=$(cd "$root" && find . -mindepth 1 ! -path "./usr" ! -path "./usr/local" ! -path "./usr/local/*")
[ -z "$outside" ] || bad "installed outside PREFIX: $outside"

# README's Install section lists the same files (one `PATH` per line).
awk '/^## Install/{f=1;next} /^## /{f=0} f' README.md > "$scratch/install.md"
while read -r f; do
  grep -q "$f\`" "$scratch/install.md" || bad "README's Install section does not list $f"
done < "$here/files.txt"

so=$(cd "$dest/lib" && ls libdeid.so.*.*.*)
[ "$(readlink "$dest/lib/libdeid.so")" = libdeid.so.0 ] || bad "libdeid.so is not a symlink to libdeid.so.0"
[ "$(readlink "$dest/lib/libdeid.so.0")" = "$so" ] || bad "libdeid.so.0 is not a symlink to $so"
soname=$(readelf -d "$dest/lib/$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libdeid.so.0 ] || bad "SONAME is '$soname', not libdeid.so.0"
[ -x "$dest/bin/deid" ] || bad "bin/deid is not executable"
for f in include/deid.h lib/pkgconfig/deid.pc share/man/man1/deid.1 share/deid/customers.rules; do
  mode=$(stat -c %a "$dest/$f"); [ "$mode" = 644 ] || bad "$f has mode $mode, not 644"
done
version=$(sed -n 's/^#define DEID_VERSION "\(.*\)"/\1/p' engine/deid.h)
"$dest/bin/deid" --version | grep -q "$version" || bad "installed deid --version does not say $version"
grep -qx "prefix=$prefix" "$dest/lib/pkgconfig/deid.pc" || bad "deid.pc does not say prefix=$prefix"
find "$dest/share/deid" -name '*.key' | grep -q . && bad "a key file is installed in share/deid"

# ---- the man pages -------------------------------------------------------------
render() { # the page as plain text, whichever renderer there is
  if command -v man >/dev/null 2>&1; then MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$1" 2>/dev/null | sed 's/.\x08//g'
  else mandoc -Tascii "$1" | sed 's/.\x08//g'; fi
}
for page in share/man/man1/deid.1 share/man/man5/deid-rules.5; do
  mandoc -Tlint -W warning "$dest/$page" > "$scratch/lint.txt" 2>&1 ||
    { cat "$scratch/lint.txt"; bad "mandoc -Tlint finds problems in $page"; }
  render "$dest/$page" > "$scratch/$(basename "$page").txt"
  [ "$(wc -l < "$scratch/$(basename "$page").txt")" -gt 50 ] || bad "$page renders to almost nothing"
done
man1=$scratch/deid.1.txt
awk '/^## CLI reference/{f=1;next} /^## /{f=0} f' README.md > "$scratch/cliref.md"
grep -q 'deid-rules(5)' "$man1" || bad "deid.1 does not refer to deid-rules(5)"
for cmd in run check plan lint keygen reverse scan verify; do
  grep -q "deid $cmd" "$man1" || bad "deid.1 does not name the subcommand $cmd"
  "$dest/bin/deid" $cmd --help > "$scratch/help.txt" 2>&1
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' "$scratch/help.txt" | sort -u); do
    grep -q -- "$opt\b" "$man1" || bad "deid.1 does not document $cmd $opt"
    grep -q -- "$opt\b" "$scratch/cliref.md" || bad "README's CLI reference does not name $cmd $opt"
  done
done
"$dest/bin/deid" --help > "$scratch/help.txt" 2>&1
for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' "$scratch/help.txt" | sort -u); do
  grep -q -- "$opt\b" "$man1" || bad "deid.1 does not document deid $opt"
  grep -q -- "$opt\b" "$scratch/cliref.md" || bad "README's CLI reference does not name deid $opt"
done
for code in 0 1 2 3 4 5; do grep -qE "^ +$code +[A-Za-z]" "$man1" || bad "deid.1 does not explain exit code $code"; done
grep -q TMPDIR "$man1" || bad "deid.1 does not name TMPDIR, which the library reads"
for t in keep drop blank replace hash mask range round date prefix words hierarchy map encrypt fpe token scrub; do
  grep -qE "^ +$t( |\$)" "$scratch/deid-rules.5.txt" || bad "deid-rules.5 does not describe the transform $t"
done
for s in input output key default column add quasi sensitive require suppress purpose recipient retain \
         controller custodian destroy-keys record; do
  grep -qE "(^ +|, )$s( |,|\$)" "$scratch/deid-rules.5.txt" || bad "deid-rules.5 does not describe the statement $s"
done

# ---- a program built with pkg-config --------------------------------------------
export PKG_CONFIG_PATH="$dest/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
[ "$(pkg-config --modversion deid)" = "$version" ] || bad "pkg-config --modversion deid is not $version"
printf 'column name mask keep-first=1\ncolumn age range width=10\n' > "$scratch/app.rules"
printf 'name,age\n홍길동,34\n김철수,7\n' > "$scratch/in.csv"
printf 'name,age\n홍**,30-39\n김**,0-9\n' > "$scratch/expected.csv"   # by hand: mask keeps 1, bands of 10
$CC "$here/app.c" $(pkg-config --cflags --libs deid) -o "$scratch/app_shared" 2> "$scratch/cc.txt" ||
  { cat "$scratch/cc.txt"; bad "cannot compile against the shared library with pkg-config --cflags --libs deid"; }
if [ -x "$scratch/app_shared" ]; then
  readelf -d "$scratch/app_shared" | grep -q 'NEEDED.*\[libdeid.so.0\]' || bad "app_shared does not need libdeid.so.0"
  LD_LIBRARY_PATH="$dest/lib" ldd "$scratch/app_shared" | grep -q "libdeid.so.0 => $dest/lib/libdeid.so.0" ||
    bad "app_shared does not load the installed libdeid.so.0"
  LD_LIBRARY_PATH="$dest/lib" "$scratch/app_shared" "$scratch/app.rules" < "$scratch/in.csv" > "$scratch/out_shared.csv" ||
    bad "app_shared failed"
  cmp -s "$scratch/expected.csv" "$scratch/out_shared.csv" || bad "app_shared wrote other output than expected"
fi
# Static: the installed libdeid.a, with its dependencies from Libs.private
# and Requires.private (pkg-config --static).
libs=$(pkg-config --static --libs deid | sed 's/-ldeid\b/-l:libdeid.a/')
$CC "$here/app.c" $(pkg-config --cflags deid) $libs -o "$scratch/app_static" 2> "$scratch/cc.txt" ||
  { cat "$scratch/cc.txt"; bad "cannot compile against libdeid.a with pkg-config --static --libs deid"; }
if [ -x "$scratch/app_static" ]; then
  readelf -d "$scratch/app_static" | grep -q libdeid && bad "app_static needs a shared libdeid"
  "$scratch/app_static" "$scratch/app.rules" < "$scratch/in.csv" > "$scratch/out_static.csv" || bad "app_static failed"
  cmp -s "$scratch/expected.csv" "$scratch/out_static.csv" || bad "app_static wrote other output than expected"
fi

# ---- uninstall --------------------------------------------------------------------
$MAKE --no-print-directory BUILD="$BUILD" PREFIX=$prefix DESTDIR="$root" uninstall \
  > "$scratch/uninstall.log" 2>&1 || { cat "$scratch/uninstall.log"; bad "make uninstall failed"; }
left=$(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
[ "$left" = "./usr ./usr/local ./usr/local/share ./usr/local/share/doc ./usr/local/share/doc/other.txt " ] ||
  bad "make uninstall left or removed other files than it should: $left"

[ $fail = 0 ] && echo "install: $(wc -l < "$here/files.txt") files installed and removed; man pages lint clean; pkg-config program runs (static, shared)"
exit $fail
