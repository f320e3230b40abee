#!/bin/sh
# code/scripts/chapters.sh DIR: the chapters make builds, one stem a line
# ("01-handshake" for DIR/01-handshake.md), in file-name order.
# code/scripts/chapters.sh --bad DIR: the entries of DIR/*.md that are no
# chapter, one a line as "DIR/NAME: error: WHY".
#
# A chapter's file name must be NAME.md with NAME made of the safe set
# [A-Za-z0-9._+-], not starting with '-' or '.', and not a name the build
# uses for pages of its own (index, book, claims, kernels, front, back).
# The file must be a regular file or a link to one. Anything else is left
# out of the build (which goes on with the others) and named by --bad, which
# the build's verdict (code/scripts/verdict.sh) prints. The names are never
# passed through a shell: make uses them only once they are known safe.
set -u
LC_ALL=C
export LC_ALL
bad=0
if [ "${1:-}" = --bad ]; then bad=1; shift; fi
dir=${1:?usage: chapters.sh [--bad] DIR}
for f in "$dir"/*.md; do
	[ -e "$f" ] || [ -L "$f" ] || continue	# no match: the pattern itself
	name=${f##*/}
	stem=${name%.md}
	why=
	case $stem in
	"" | -* | .* | *[!A-Za-z0-9._+-]*)
		why="a chapter's file name is made of letters, digits and '._+-', not starting with '-' or '.'" ;;
	index | book | claims | kernels | front | back)
		why="'$stem' is the name of a page the build makes: rename the chapter" ;;
	esac
	if [ -z "$why" ]; then
		if [ -L "$f" ] && [ ! -e "$f" ]; then why="a symbolic link to nothing"
		elif [ -d "$f" ]; then why="a directory, not a chapter"
		elif [ ! -f "$f" ]; then why="not a regular file"
		elif [ ! -r "$f" ]; then why="cannot be read"
		fi
	fi
	if [ $bad -eq 1 ]; then
		[ -n "$why" ] && printf '%s: error: %s\n' "$f" "$why"
	elif [ -z "$why" ]; then
		printf '%s\n' "$stem"
	fi
done
exit 0
