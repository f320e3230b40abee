#!/usr/bin/env bash
# tests/tangle.sh: tests of build/bin/tangle (or $BUILD/bin/tangle).
#
# 1. Golden cases: the tangle lines of tests/TESTLIST. Each chapter is
#    tangled; its diagnostics, exit status and, when tangle succeeds, the
#    whole output directory (program files, experiments, claims, .files)
#    must equal the expectations; when it fails, nothing may be written.
#    `tests/regen tangle [NAME...]` rewrites the expectations.
# 2. Properties: #line lands compiler errors on the chapter's line, files
#    are written only when they change, stale files are removed, a failing
#    run leaves the previous output alone, hostile input never crashes.
set -u
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
T=$BIN/tangle
S=$(scratch)

if [ ! -x "$T" ]; then fail "tangle is built" "$T is missing; run make $T"; exit 1; fi

# ---- 1. golden cases ---------------------------------------------------
# tangle_case NAME CHAPTER EXPECTED [OPTIONS...]: see tests/TESTLIST.
tangle_case() {
	local n=$1 md=$2 want=$3 got=$S/golden/$1 st=0
	shift 3
	mkdir -p "$got"
	"$T" "$@" -o "$got/out" "$md" 2>"$got/err" || st=$?
	echo "$st" >"$got/status"
	golden "$n: diagnostics" "$want.err" "$got/err"
	golden "$n: exit status" "$want.status" "$got/status"
	golden_tree "$n: tangled files" "$want.out" "$got/out"
}
run_table tangle tangle_case

# every chapter under tests/tangle/ is a case of the table
for md in tests/tangle/*.md; do
	grep -qE "^tangle +[^ ]+ +${md#tests/} " tests/TESTLIST || missing="${missing:-}${md#tests/} "
done
if [ -z "${missing:-}" ]; then pass "every tests/tangle/*.md is in tests/TESTLIST"
else fail "every tests/tangle/*.md is in tests/TESTLIST" "not listed: $missing"; fi

# ---- 2. #line: a type error in a chunk is reported on the chapter's line --
"$T" -o "$S/te" tests/tangle/typeerror.md 2>/dev/null
line=$(grep -n 'char \*s = 42.0;' tests/tangle/typeerror.md | cut -d: -f1)
msg=$(cd "$S/te" && ${CC:-cc} -c -o /dev/null typeerror.c 2>&1 | grep ': error: ' | head -1)
case $msg in
"tests/tangle/typeerror.md:$line:"*) pass "#line: cc reports tests/tangle/typeerror.md:$line" ;;
*) fail "#line: cc reports tests/tangle/typeerror.md:$line" "got: $msg" ;;
esac
# and the tangled basic program compiles, so its #line directives are valid
if (cd tests/tangle/basic.out && ${CC:-cc} -fsyntax-only server.c) 2>"$S/cc.err"; then
	pass "#line: tangled server.c compiles"
else
	fail "#line: tangled server.c compiles" "$(cat "$S/cc.err")"
fi

# ---- 3. write only if changed --------------------------------------------
w=$S/mtime
"$T" -o "$w" tests/tangle/basic.md 2>/dev/null
touch -d '2001-01-01 00:00' "$w/server.c" "$w/scripts/run.sh" "$w/experiments" "$w/claims" "$w/.files"
"$T" -o "$w" tests/tangle/basic.md 2>/dev/null
old=$(stat -c %Y "$w/server.c" "$w/scripts/run.sh" "$w/experiments" "$w/claims" "$w/.files" | sort -u)
if [ "$old" = "$(date -d '2001-01-01 00:00' +%s)" ]; then
	pass "unchanged files keep their mtime"
else
	fail "unchanged files keep their mtime" "$(ls -l --full-time "$w" "$w/scripts")"
fi
sed 's/int x = 9999;/int x = 9998;/' tests/tangle/basic.md >"$S/basic2.md"
"$T" -o "$w" "$S/basic2.md" 2>/dev/null
if [ "$(stat -c %Y "$w/server.c")" != "$(date -d '2001-01-01 00:00' +%s)" ] &&
   [ "$(stat -c %Y "$w/scripts/run.sh")" = "$(date -d '2001-01-01 00:00' +%s)" ] &&
   grep -q 9998 "$w/server.c"; then
	pass "a changed file is rewritten, the others are not"
else
	fail "a changed file is rewritten, the others are not" "$(ls -l --full-time "$w" "$w/scripts")"
fi
if [ -n "$(find "$w" -name '*.tmp*')" ]; then
	fail "no temporary files are left" "$(find "$w")"
else
	pass "no temporary files are left"
fi

# ---- 4. stale files ------------------------------------------------------
w=$S/stale
cat >"$S/v1.md" <<'MD'
```c file=a.c
int a;
```

```c file=sub/dir/b.c
int b;
```
MD
cat >"$S/v2.md" <<'MD'
```c file=a.c
int a;
```
MD
"$T" -o "$w" "$S/v1.md" && echo keep >"$w/not-ours.txt" && "$T" -o "$w" "$S/v2.md"
if [ -f "$w/a.c" ] && [ ! -e "$w/sub/dir/b.c" ] && [ ! -e "$w/sub" ] &&
   [ -f "$w/not-ours.txt" ] && [ "$(cat "$w/.files")" = a.c ]; then
	pass "stale files and their empty directories are removed, others kept"
else
	fail "stale files and their empty directories are removed, others kept" "$(cd "$w" && find .)"
fi
printf '../../escape\n/etc/passwd\n' >>"$w/.files"
touch "$S/escape"
"$T" -o "$w" "$S/v2.md"
if [ -f "$S/escape" ]; then pass "a tampered manifest cannot remove files outside"; else fail "a tampered manifest cannot remove files outside"; fi

# ---- 5. a chapter with errors leaves the previous output alone -------------
printf '```c file=a.c\n<<missing>>\n```\n' >"$S/bad.md"
before=$(cd "$w" && find . -type f | sort | xargs md5sum)
st=0; "$T" -o "$w" "$S/bad.md" 2>/dev/null || st=$?
after=$(cd "$w" && find . -type f | sort | xargs md5sum)
if [ $st = 1 ] && [ "$before" = "$after" ]; then
	pass "an error writes nothing and exits 1"
else
	fail "an error writes nothing and exits 1" "status $st"
fi

# ---- 6. command line -----------------------------------------------------
st=0; "$T" -o "$S/x" "$S/no-such.md" 2>"$S/e" || st=$?
if [ $st = 1 ] && grep -q "^tangle: cannot open '$S/no-such.md': No such file or directory$" "$S/e"; then
	pass "a missing chapter is reported"
else
	fail "a missing chapter is reported" "status $st: $(cat "$S/e")"
fi
st=0; "$T" 2>/dev/null || st=$?
if [ $st = 2 ]; then pass "usage error exits 2"; else fail "usage error exits 2" "status $st"; fi

# ---- 7. hostile input ----------------------------------------------------
# A 1 MB line inside a chunk and in prose. (The scratch path in #line may
# hold an x: look for a long run of them.)
{
	printf '# Long\n\n```c file=long.c\n<<long>>\n```\n\n```c chunk=long\nchar s[] = "'
	head -c 1048576 /dev/zero | tr '\0' x
	printf '";\n```\n\n'
	head -c 1048576 /dev/zero | tr '\0' y
	printf '\n'
} >"$S/long.md"
st=0; "$T" -o "$S/long" "$S/long.md" 2>"$S/e" || st=$?
if [ $st = 0 ] && [ "$(grep -c xxxxxxxxxxxxxxxx "$S/long/long.c")" = 1 ] &&
   [ "$(wc -c <"$S/long/long.c")" -gt 1048576 ]; then
	pass "a 1 MB line is tangled whole"
else
	fail "a 1 MB line is tangled whole" "status $st: $(head -c 300 "$S/e")"
fi
# Deterministic binary junk, alone and mixed into a valid chapter.
for seed in 1 2 3 4 5; do
	LC_ALL=C awk -v seed=$seed 'BEGIN { srand(seed); for (i = 0; i < 20000; i++) {
		r = rand(); if (r < 0.05) printf "\n"; else if (r < 0.08) printf "```c file=j.c\n";
		else if (r < 0.10) printf "<<j>>\n"; else if (r < 0.12) printf "> - ";
		else printf "%c", int(rand() * 255) + 1 } }' >"$S/junk$seed.md"
	st=0; "$T" -o "$S/junk$seed" "$S/junk$seed.md" >/dev/null 2>&1 || st=$?
	if [ $st -le 1 ]; then pass "binary junk $seed: exit $st, no crash"; else fail "binary junk $seed: no crash" "exit $st"; fi
done
head -c 65536 /dev/urandom >"$S/random.md"
printf '\0\0\0```c file=z.c\n\0<<\0>>\n```\n' >>"$S/random.md"
st=0; "$T" -o "$S/random" "$S/random.md" >/dev/null 2>&1 || st=$?
if [ $st -le 1 ]; then pass "random bytes and NULs: exit $st, no crash"; else fail "random bytes and NULs: no crash" "exit $st"; fi

# ---- 8. reproducible: tangling twice gives the same bytes -------------------
"$T" -o "$S/r1" tests/tangle/basic.md 2>/dev/null
"$T" -o "$S/r2" tests/tangle/basic.md 2>/dev/null
if diff -r "$S/r1" "$S/r2" >/dev/null; then pass "tangling is reproducible"; else fail "tangling is reproducible"; fi
exit 0
