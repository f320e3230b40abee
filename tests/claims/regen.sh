#!/usr/bin/env bash
# Regenerates the expected output of the claims cases, deliberately: run it
# after a change in the checker's results, then read the diff before
# committing. cases.md goes through tangle, as a chapter does: the checker
# reads only what tangle wrote.
set -eu
cd "$(dirname "$0")"
BUILD=${BUILD:-../../build}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp -r run/. "$d/run"
"$BUILD/bin/tangle" -o "$d/t" cases.md
"$BUILD/bin/claims" -c tests/claims/cases.md -o "$d/run" "$d/t/claims" 2>expected.err || true
cp "$d/run/claims.txt" expected.txt
