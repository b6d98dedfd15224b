#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/deb/run.sh MAKE CC BUILD - the Debian packages (`make deb`,
# debian/rules), tested as installed:
#  - make deb builds deid_V_ARCH.deb, libdeid0_V_ARCH.deb and
#    libdeid-dev_V_ARCH.deb, V being DEID_VERSION from engine/deid.h, which
#    debian/changelog's first entry must say too;
#  - each holds exactly tests/deb/files-PKG.txt (MULTIARCH and SO_VERSION
#    filled in); deid and libdeid0 depend on libssl3, zlib1g and libcsv3
#    (dpkg-shlibdeps), libdeid-dev on libdeid0 of the same version;
#    libdeid0 has shlibs, symbols and the ldconfig trigger; man pages gzip'd;
#  - the three unpacked with dpkg -x into a scratch root: a program
#    (tests/install/app.c) compiled with `pkg-config --cflags --libs deid`
#    (PKG_CONFIG_PATH into the root) runs against libdeid.so.0 from the root
#    (LD_LIBRARY_PATH) and, linked with libdeid.a, on its own, writing the
#    output worked out by hand; the root's deid runs once;
#  - lintian, when there (make debtest installs it as root), on the three:
#    its findings are printed; an error (E:) fails the test.
set -u
MAKE=${1:-make}
CC=${2:-cc}
BUILD=${3:-build}
here=$(cd "$(dirname "$0")" && pwd)
fail=0
bad() { echo "FAIL: deb: $*"; fail=1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/deid-deb.XXXXXX") || exit 1
trap 'rm -rf "$scratch"' EXIT INT TERM

version=$(sed -n 's/^#define DEID_VERSION "\(.*\)"/\1/p' engine/deid.h)
so_version=$(sed -n 's/^SO_VERSION *:= *//p' Makefile)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
changelog_version=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "$changelog_version" = "$version" ] ||
  bad "debian/changelog starts with $changelog_version, engine/deid.h says DEID_VERSION $version"

out=$BUILD/deb
rm -f "$out"/*.deb
$MAKE --no-print-directory BUILD="$BUILD" deb > "$scratch/deb.log" 2>&1 ||
  { tail -n 40 "$scratch/deb.log"; bad "make deb failed"; exit 1; }

root=$scratch/root
for pkg in deid libdeid0 libdeid-dev; do
  deb=$out/${pkg}_${version}_$arch.deb
  [ -f "$deb" ] || { bad "make deb did not write $deb"; continue; }
  [ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || bad "$deb is not package $pkg"
  [ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || bad "$deb is not version $version"
  dpkg-deb --fsys-tarfile "$deb" | tar -t | sed 's|^\./||' | grep -v '/$' | grep . | LC_ALL=C sort \
    > "$scratch/$pkg.has"
  sed -e "s/MULTIARCH/$multiarch/" -e "s/SO_VERSION/$so_version/" "$here/files-$pkg.txt" | LC_ALL=C sort \
    > "$scratch/$pkg.expected"
  diff -u "$scratch/$pkg.expected" "$scratch/$pkg.has" > "$scratch/$pkg.diff" ||
    { cat "$scratch/$pkg.diff"; bad "$pkg holds other files than tests/deb/files-$pkg.txt (- expected, + packaged)"; }
  dpkg-deb --fsys-tarfile "$deb" | tar -tv | awk '$2 != "root/root" { print; n++ } END { exit n > 0 }' ||
    bad "$pkg has files not owned by root/root"
  dpkg -x "$deb" "$root" || bad "dpkg -x $deb failed"
done
for pkg in deid libdeid0; do
  deps=$(dpkg-deb -f "$out/${pkg}_${version}_$arch.deb" Depends)
  for dep in libc6 libssl3 zlib1g libcsv3; do
    echo "$deps" | grep -q "\b$dep\b" || bad "$pkg does not depend on $dep (Depends: $deps)"
  done
done
dpkg-deb -f "$out/libdeid-dev_${version}_$arch.deb" Depends | grep -q "libdeid0 (= $version)" ||
  bad "libdeid-dev does not depend on libdeid0 (= $version)"
dpkg-deb -e "$out/libdeid0_${version}_$arch.deb" "$scratch/control0"
grep -qx "libdeid 0 libdeid0 (>= $version)" "$scratch/control0/shlibs" 2>/dev/null || bad "libdeid0 has no shlibs line"
grep -q '^ deid_job_new@Base' "$scratch/control0/symbols" 2>/dev/null || bad "libdeid0 has no symbols file"
grep -qx 'activate-noawait ldconfig' "$scratch/control0/triggers" 2>/dev/null || bad "libdeid0 has no ldconfig trigger"
lib=$root/usr/lib/$multiarch
soname=$(readelf -d "$lib/libdeid.so.$so_version" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libdeid.so.0 ] || bad "the packaged library's SONAME is '$soname', not libdeid.so.0"
for page in man1/deid.1.gz man5/deid-rules.5.gz; do
  gzip -t "$root/usr/share/man/$page" 2>/dev/null || bad "$page is not gzip"
done

# ---- the installed library through pkg-config ----------------------------------
export PKG_CONFIG_PATH="$lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root"
[ "$(pkg-config --modversion deid)" = "$version" ] || bad "pkg-config --modversion deid is not $version"
printf 'column name mask keep-first=1\ncolumn age range width=10\n' > "$scratch/app.rules"
printf 'name,age\n홍길동,34\n김철수,7\n' > "$scratch/in.csv"
printf 'name,age\n홍**,30-39\n김**,0-9\n' > "$scratch/expected.csv"   # by hand: mask keeps 1, bands of 10
$CC "$here/../install/app.c" $(pkg-config --cflags --libs deid) -o "$scratch/app_shared" 2> "$scratch/cc.txt" ||
  { cat "$scratch/cc.txt"; bad "cannot compile against the packaged libdeid.so with pkg-config"; }
if [ -x "$scratch/app_shared" ]; then
  LD_LIBRARY_PATH="$lib" ldd "$scratch/app_shared" | grep -q "libdeid.so.0 => $lib/libdeid.so.0" ||
    bad "app_shared does not load the packaged libdeid.so.0"
  LD_LIBRARY_PATH="$lib" "$scratch/app_shared" "$scratch/app.rules" < "$scratch/in.csv" > "$scratch/out_shared.csv" ||
    bad "app_shared failed"
  cmp -s "$scratch/expected.csv" "$scratch/out_shared.csv" || bad "app_shared wrote other output than expected"
fi
libs=$(pkg-config --static --libs deid | sed 's/-ldeid\b/-l:libdeid.a/')
$CC "$here/../install/app.c" $(pkg-config --cflags deid) $libs -o "$scratch/app_static" 2> "$scratch/cc.txt" ||
  { cat "$scratch/cc.txt"; bad "cannot compile against the packaged libdeid.a with pkg-config --static"; }
if [ -x "$scratch/app_static" ]; then
  readelf -d "$scratch/app_static" | grep -q libdeid && bad "app_static needs a shared libdeid"
  "$scratch/app_static" "$scratch/app.rules" < "$scratch/in.csv" > "$scratch/out_static.csv" || bad "app_static failed"
  cmp -s "$scratch/expected.csv" "$scratch/out_static.csv" || bad "app_static wrote other output than expected"
fi

# ---- the packaged program ------------------------------------------------------------
"$root/usr/bin/deid" --version | grep -q "$version" || bad "the packaged deid --version does not say $version"
"$root/usr/bin/deid" run -q -r "$scratch/app.rules" "$scratch/in.csv" > "$scratch/out_deid.csv" ||
  bad "the packaged deid run failed"
cmp -s "$scratch/expected.csv" "$scratch/out_deid.csv" || bad "the packaged deid wrote other output than expected"

# ---- lintian ---------------------------------------------------------------------------
if command -v lintian > /dev/null 2>&1; then
  lintian -I --pedantic --tag-display-limit 0 "$out/deid_${version}_$arch.deb" \
    "$out/libdeid0_${version}_$arch.deb" "$out/libdeid-dev_${version}_$arch.deb" \
    > "$scratch/lintian.txt" 2>&1
  grep -v 'running with root privileges' "$scratch/lintian.txt" | sed 's/^/lintian: /'
  grep -q '^E: ' "$scratch/lintian.txt" && bad "lintian reports errors (E:)"
  echo "deb: lintian: $(grep -c '^[EWIP]: ' "$scratch/lintian.txt") finding(s), errors fail the test"
else
  echo "SKIP: lintian (not installed; as root make debtest installs it: apt-get install lintian)"
fi

[ $fail = 0 ] && echo "deb: deid, libdeid0, libdeid-dev $version built; files, dependencies, pkg-config program (static, shared) and packaged deid checked"
exit $fail
