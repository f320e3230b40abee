#!/usr/bin/env bash
# tests/attack.sh: chapters written as an attacker would, each with the
# verdict the build must give (tests/attack/table). A chapter is tangled,
# compiled and run the way code/scripts/build-chapter.sh does it, then woven
# when its verdict is about the page. After every case: no process or
# namespace of the case is left, no file appeared outside its scratch build
# directory, and the host's addresses (`ip addr`) are what they were.
#
# Verdicts (the table's third column):
#   tangle L:C: error: TEXT    tangle fails, and says CASE.md:L:C: error: TEXT
#   runs EXP ROLE TEXT         the run succeeds; ROLE printed the line TEXT and
#                              nothing saying ESCAPED
#   fails EXP ROLE FATE        the run fails; ROLE ended as FATE, named in the
#                              harness's errors
#   page EXP ROLE TEXT         the run succeeds; the page is valid UTF-8 with no
#                              control byte but newline, and ROLE's output on it
#                              contains TEXT (HTML-escaped)
#   book NAME TEXT             a book of one good chapter and the case's chapter
#                              copied under the file name NAME (%XX for a byte,
#                              %20 for a space), built with make once for all
#                              such cases: make fails and says DIR/NAME: error:
#                              TEXT, and builds the good chapter
# Column two says who runs the case: root (skipped as a user), user (as the
# host's root, through setpriv as nobody) or any (whoever runs the tests).
set -u
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1
S=$(scratch)
chmod 755 "$S"
A=tests/attack
CANARY=/var/tmp/tcpbook-attack	# the probes try to write here (and /var/tmp, /tmp)
RUNSOCK=/run/tcpbook-attack	# and to connect to a socket here
# Those paths are the host's: two suites at once (two worktrees, root and a
# user) take turns, each waiting at most ten minutes.
LOCK=/tmp/tcpbook-attack.lock
exec 9>>"$LOCK" && chmod 666 "$LOCK" 2>/dev/null
if ! flock -w 600 9; then fail "attack: another attack suite held $LOCK for ten minutes"; exit 1; fi
for t in tangle harness weave; do
	[ -x "$BIN/$t" ] || { fail "attack: $t is built" "$BIN/$t is missing"; exit 1; }
done

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
netns_of_case() { lsns -n -t net -o NS,COMMAND 2>/dev/null | grep -F "$1" || true; }
# lib.sh's end of suite, after the canary is gone.
cleanup() {
	local rc=$?
	if host_root; then umount "$CANARY/hostnet" 2>/dev/null; rm -rf "$RUNSOCK"; fi
	rm -rf "$CANARY"
	(exit $rc)
	_suite_end
}
trap cleanup EXIT

# The files an escape would leave: looked for after each case.
pwned() {
	find /tmp /var/tmp "$TOP" -maxdepth 3 -name '*PWNED*' -not -path "$S/*" 2>/dev/null
}

# The book of badly named chapters, made once, before the first book case.
book() {
	local md name
	B=$S/book
	mkdir -p "$B/chapters"
	cp tests/attack/forks.md "$B/chapters/01-good.md"
	while read -r md _ kind name _; do
		[ "$kind" = book ] || continue
		name=$(printf '%b' "${name//%/\\x}")
		cp "$A/$md" "$B/chapters/$name"
	done <"$A/table"
	book_rc=0
	make --no-print-directory BUILD="$B/build" CHAPTER_DIR="$B/chapters" html >"$B/make.out" 2>&1 || book_rc=$?
}

n=0
while read -r md who verdict; do
	case $md in ''|'#'*) continue ;; esac
	n=$((n + 1))
	name="attack: $md ($who): $verdict"
	run_as=
	case $who in
	root) host_root || continue ;;
	user) host_root && run_as=as_nobody ;;
	any) ;;
	*) fail "$name" "unknown runner '$who'"; continue ;;
	esac
	c=$S/case$n
	mkdir -p "$c" && chmod 777 "$c"	# nobody writes its run here
	rm -rf "$CANARY" && mkdir -p "$CANARY" && chmod 1777 "$CANARY"
	# As root, a host namespace where a program could name it.
	# and, in /run, a listening socket as a host daemon's would be.
	if host_root; then
		touch "$CANARY/hostnet" && mount --bind /proc/self/ns/net "$CANARY/hostnet"
		mkdir -p "$RUNSOCK" && chmod 755 "$RUNSOCK"
		python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
import os; os.chmod(sys.argv[1], 0o777); time.sleep(60)' "$RUNSOCK/sock" &
		listener=$!
		for i in $(seq 50); do [ -S "$RUNSOCK/sock" ] && break; sleep 0.1; done
	fi
	addr_before=$(ip -o addr 2>&1)
	why=
	st=0
	(cd "$c" && "$BIN/tangle" -o "$c/t" "$TOP/$A/$md") 2>"$c/tangle.err" || st=$?
	set -f	# the verdict holds [ and * meant literally
	set -- $verdict
	set +f
	kind=$1
	shift
	if [ "$kind" = book ]; then
		[ -n "${B:-}" ] || book
		name=$(printf '%b' "${1//%/\\x}")
		shift
		want="$B/chapters/$name: error: $*"
		if [ $book_rc -eq 0 ]; then why="make succeeded"
		elif ! grep -qF -- "$want" "$B/make.out"; then why="expected '$want', got: $(tail -n 20 "$B/make.out")"
		elif [ ! -s "$B/build/html/01-good.html" ]; then why="the good chapter was not built: $(tail -n 20 "$B/make.out")"
		fi
	elif [ "$kind" = tangle ]; then
		want="$TOP/$A/$md:$*"
		if [ $st -eq 0 ]; then why="tangle succeeded"
		elif ! grep -qF -- "$want" "$c/tangle.err"; then why="expected '$want', got: $(cat "$c/tangle.err")"
		elif [ -e "$c/t" ] && [ -n "$(ls -A "$c/t")" ]; then why="tangle wrote files after an error: $(ls "$c/t")"
		fi
	elif [ $st -ne 0 ]; then
		why="tangle failed: $(cat "$c/tangle.err")"
	elif ! make -s --no-print-directory -f code/scripts/programs.mk T="$c/t" P="$c/p" >"$c/cc.log" 2>&1; then
		why="compile failed: $(cat "$c/cc.log")"
	else
		exp=$1 role=$2
		shift 2
		text="$*"
		chmod -R a+rX "$c"
		rc=0
		$run_as "$BIN/harness" -p "$c/p" -o "$c/r" -c "$A/$md" "$c/t/experiments" >"$c/harness.out" 2>"$c/harness.err" || rc=$?
		out=$c/r/$exp/$role
		case $kind in
		runs)
			if [ $rc -ne 0 ]; then why="harness exited $rc: $(cat "$c/harness.err")"
			elif grep -q ESCAPED "$out.stdout"; then why="$(grep ESCAPED "$out.stdout")"
			elif ! grep -qxF -- "$text" "$out.stdout"; then why="no line '$text' in: $(cat "$out.stdout" "$out.stderr")"
			fi ;;
		fails)
			if [ $rc -ne 1 ]; then why="harness exited $rc: $(cat "$c/harness.err")"
			elif [ "$(cat "$out.status" 2>/dev/null)" != "$text" ]; then why="ended: $(cat "$out.status" 2>/dev/null)"
			elif ! grep -qF -- "role '$role': $text" "$c/harness.err"; then why="not named: $(cat "$c/harness.err")"
			fi ;;
		page)
			page=$c/page.html
			if [ $rc -ne 0 ]; then why="harness exited $rc: $(cat "$c/harness.err")"
			elif ! "$BIN/weave" --run "$c/r" -o "$page" "$A/$md" 2>"$c/weave.err"; then why="weave failed: $(cat "$c/weave.err")"
			elif ! iconv -f UTF-8 -t UTF-8 "$page" >/dev/null 2>&1; then why="the page is not valid UTF-8"
			elif LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$page"; then why="the page has control bytes: $(LC_ALL=C grep -n "$(printf '[\001-\010\013-\037\177]')" "$page" | cat -v | head -3)"
			elif ! grep -qF -- "$text" "$page"; then why="'$text' is not on the page: $(grep -A3 'class="stdout"' "$page" | head -5)"
			fi ;;
		*) why="unknown verdict '$kind'" ;;
		esac
	fi
	# Nothing of the case is left behind.
	for i in $(seq 30); do
		pgrep -f "$c/" >/dev/null || break
		sleep 0.1
	done
	left=$(pgrep -af "$c/")
	[ -n "$left" ] && why="$why; processes left: $left"
	left=$(netns_of_case "$c/")
	[ -n "$left" ] && why="$why; namespaces left: $left"
	left=$(pwned)
	[ -n "$left" ] && { why="$why; files written outside the build: $left"; rm -f $left; }
	[ "$(ip -o addr 2>&1)" = "$addr_before" ] || why="$why; the host's addresses changed"
	if host_root; then
		umount "$CANARY/hostnet" 2>/dev/null
		kill "$listener" 2>/dev/null && wait "$listener" 2>/dev/null
		rm -rf "$RUNSOCK"
	fi
	if [ -z "$why" ]; then pass "$name"; else fail "$name" "$why"; fi
done <"$A/table"
[ $n -gt 0 ] || fail "attack: the table has cases" "$A/table is empty"
