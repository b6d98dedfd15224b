#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/lib/symbols.sh BUILD [CC DEP_LIBS] - the library's surface, checked
# on what the linker sees rather than on the sources:
#  1. libdeid.a and libdeid.so export only deid_-prefixed symbols (the
#     public API of engine/deid.h; everything else is hidden or local);
#  2. libdeid.so's SONAME is libdeid.so.0;
#  3. no library object refers to a function that prints or ends the
#     process: the library returns a deid_status and the CLI prints;
#  4. no library object but fsys.o refers to a file-system call (open,
#     read, write, close, rename, unlink, mkstemp, fsync, lseek, stat, ...):
#     engine/io/fsys.c is the one door, so that EINTR, O_CLOEXEC and the
#     temp-file hooks are handled once and fault injection sees every call;
#  5. with CC (the compiler and its flags) and DEP_LIBS: a program that
#     includes only deid.h (tests/lib/link_public.c) builds and runs
#     against libdeid.a and against libdeid.so.
# Prints one line per problem and "lib: N checks, N failed"; exits 1 on any.
set -u
build=${1:-build}
cc=${2:-}
dep_libs=${3:-}
checks=0
failed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

# Symbols a sanitizer or the compiler's runtime adds to instrumented
# objects (make asan, make fuzz) are not ours to hide.
runtime='^(__asan_|__ubsan_|__sanitizer_|__odr_asan|___asan_|__sancov_|_init$|_fini$)'

checks=$((checks + 1))
bad=$(nm -g --defined-only "$build/libdeid.a" 2>/dev/null | awk 'NF >= 3 { print $3 }' |
      grep -Ev '^deid_' | grep -Ev "$runtime")
if ! nm -g --defined-only "$build/libdeid.a" >/dev/null 2>&1; then
    fail "nm cannot read $build/libdeid.a"
elif [ -n "$bad" ]; then
    fail "libdeid.a exports symbols without the deid_ prefix: $(echo $bad | cut -c1-300)"
fi
checks=$((checks + 1))
n_public=$(nm -g --defined-only "$build/libdeid.a" | awk 'NF >= 3 && $3 ~ /^deid_/' | wc -l)
[ "$n_public" -gt 0 ] || fail "libdeid.a exports no deid_ symbol at all"

so=$build/libdeid.so.0.1.0
checks=$((checks + 1))
bad=$(nm -D --defined-only "$so" 2>/dev/null | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' |
      grep -Ev '^deid_' | grep -Ev "$runtime")
if ! nm -D --defined-only "$so" >/dev/null 2>&1; then
    fail "nm cannot read $so"
elif [ -n "$bad" ]; then
    fail "libdeid.so exports symbols without the deid_ prefix: $(echo $bad | cut -c1-300)"
fi
checks=$((checks + 1))
readelf -d "$so" | grep -q 'SONAME.*\[libdeid\.so\.0\]' || fail "libdeid.so's SONAME is not libdeid.so.0"
checks=$((checks + 1))
[ "$(readlink "$build/libdeid.so.0")" = libdeid.so.0.1.0 ] && [ "$(readlink "$build/libdeid.so")" = libdeid.so.0 ] ||
    fail "the symlinks libdeid.so -> libdeid.so.0 -> libdeid.so.0.1.0 are missing"

# Every public function of deid.h is exported, so the export macro was not
# forgotten on a new one.
checks=$((checks + 1))
root=$(cd "$(dirname "$0")/../.." && pwd)
declared=$(grep -Eo 'deid_[a-z0-9_]+\(' "$root/engine/deid.h" | tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$so" | awk '{ print $3 }' | sed 's/@.*//' | sort -u)
missing=$(printf '%s\n' "$declared" | grep -vxF "$exported")
[ -z "$missing" ] || fail "declared in deid.h but not exported by libdeid.so: $(echo $missing)"

# The library never prints or exits. Checked on the plain objects
# (libdeid_internal.a), one by one, so the message names the file.
forbidden='printf fprintf vprintf vfprintf dprintf vdprintf puts fputs putchar putc fputc fwrite perror exit _exit _Exit quick_exit abort err errx warn warnx'
checks=$((checks + 1))
nm -u -A "$build/libdeid_internal.a" > "$build/libdeid.undefined" 2>/dev/null ||
    fail "nm cannot read $build/libdeid_internal.a"
for name in $forbidden; do
    # a line is "archive:member:  U name" (gcc may name __printf_chk,
    # __fprintf_chk, ... for the _FORTIFY_SOURCE versions)
    hits=$(grep -E "[[:space:]]U (__)?${name}(_chk)?(@.*)?$" "$build/libdeid.undefined" |
           sed 's/^[^:]*:\([^:]*\):.*/\1/' | sort -u)
    [ -z "$hits" ] || fail "library objects call $name: $(echo $hits)"
done

# The file system only through fsys.o. Names as the linker sees them:
# glibc's 64-bit and _FORTIFY_SOURCE variants (open64, __open_2,
# __read_chk, ...) included.
fs_calls='open openat creat read pread write pwrite close rename renameat unlink unlinkat mkstemp mkostemp mkdtemp fsync fdatasync lseek ftruncate truncate stat fstat lstat fstatat statx realpath opendir fdopendir readdir fopen freopen fdopen flock fchmod chmod access faccessat'
checks=$((checks + 1))
for name in $fs_calls; do
    hits=$(grep -E "[[:space:]]U (__)?${name}(64)?(_2|_chk)?(@.*)?$" "$build/libdeid.undefined" |
           sed 's/^[^:]*:\([^:]*\):.*/\1/' | grep -vx 'fsys.o' | sort -u)
    [ -z "$hits" ] || fail "library objects call $name outside engine/io/fsys.c: $(echo $hits)"
done
rm -f "$build/libdeid.undefined"

if [ -n "$cc" ]; then
    root_engine=$(cd "$(dirname "$0")/../../engine" && pwd)
    prog=$build/link_public
    checks=$((checks + 1))
    if ! $cc -I"$root_engine" "$(dirname "$0")/link_public.c" "$build/libdeid.a" $dep_libs \
            -o "$prog.static" > "$prog.log" 2>&1; then
        fail "a program using only deid.h does not link against libdeid.a: $(head -3 "$prog.log")"
    elif ! "$prog.static"; then
        fail "the program linked against libdeid.a does not work"
    fi
    checks=$((checks + 1))
    if ! $cc -I"$root_engine" "$(dirname "$0")/link_public.c" -L"$build" -ldeid \
            -Wl,-rpath,"$(cd "$build" && pwd)" $dep_libs -o "$prog.shared" > "$prog.log" 2>&1; then
        fail "a program using only deid.h does not link against libdeid.so: $(head -3 "$prog.log")"
    elif ! "$prog.shared"; then
        fail "the program linked against libdeid.so does not work"
    elif ! ldd "$prog.shared" | grep -q 'libdeid\.so\.0 =>'; then
        fail "the program linked with -ldeid does not load libdeid.so.0"
    fi
    rm -f "$prog.static" "$prog.shared" "$prog.log"
fi

echo "lib: $checks checks, $failed failed"
[ "$failed" -eq 0 ]
