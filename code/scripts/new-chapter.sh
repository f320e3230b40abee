#!/usr/bin/env bash
# code/scripts/new-chapter.sh DIR SLUG: creates DIR/NN-SLUG.md from the template, NN
# one more than the highest chapter number below 90 in DIR: 90 and above are
# the book's closing chapters (the call table, the authoring guide), which
# stay last. The template builds and
# its claims hold as it is, so an author starts from a green page.
set -eu
dir=$1 slug=${2:-}
case $slug in
"" | *[!a-z0-9-]* | -*)
	echo "usage: make new NAME=slug (lowercase letters, digits and '-')" >&2
	exit 2 ;;
esac
last=$(ls "$dir" 2>/dev/null | sed -n 's/^\([0-9][0-9]*\)-.*\.md$/\1/p' | awk '$1 + 0 < 90' | sort -n | tail -n 1)
nn=$(printf '%02d' $((10#${last:-0} + 1)))
f=$dir/$nn-$slug.md
if ls "$dir/"*"-$slug.md" >/dev/null 2>&1; then
	echo "a chapter named '$slug' exists already: $(ls "$dir/"*"-$slug.md")" >&2
	exit 1
fi
title=$(echo "$slug" | tr '-' ' ')
sed -e "s/^# NN\. TITLE?/# $((10#$nn)). ${title^}?/" "$(dirname "$0")/chapter-template.md" >"$f"
echo "created $f"
echo "build it alone with: make chapter CH=$nn"
