#!/usr/bin/env bash
# code/nav-args.sh STEM ALL...: weave's --prev/--next options for the page of
# chapter STEM, given every chapter stem in order.
me=$1; shift
prev=
while [ $# -gt 0 ]; do
	if [ "$1" = "$me" ]; then
		[ -n "$prev" ] && printf -- '--prev %s ' "chapters/$prev.md"
		[ $# -gt 1 ] && printf -- '--next %s ' "chapters/$2.md"
		exit 0
	fi
	prev=$1; shift
done
