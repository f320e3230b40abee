#!/usr/bin/env bash
# Regenerates the expected output of the claims cases, deliberately: run it
# after a change in the checker's results, then read the diff before
# committing.
set -eu
cd "$(dirname "$0")"
BUILD=${BUILD:-../../build}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cp -r run/. "$d"
"$BUILD/bin/claims" -c chapters/x.md -o "$d" cases.claims 2>expected.err || true
cp "$d/claims.txt" expected.txt
