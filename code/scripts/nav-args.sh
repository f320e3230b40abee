#!/usr/bin/env bash
# code/scripts/nav-args.sh DIR STEM ALL...: weave's --prev/--next options for the
# page of chapter STEM, given the chapters' directory and every stem in order.
dir=$1 me=$2; shift 2
prev=
while [ $# -gt 0 ]; do
	if [ "$1" = "$me" ]; then
		[ -n "$prev" ] && printf -- '--prev %s ' "$dir/$prev.md"
		[ $# -gt 1 ] && printf -- '--next %s ' "$dir/$2.md"
		exit 0
	fi
	prev=$1; shift
done
