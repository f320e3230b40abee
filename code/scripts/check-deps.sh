#!/usr/bin/env bash
# code/scripts/check-deps.sh: makes sure the Debian packages in code/scripts/debian-packages
# are installed. As root it installs the missing ones with apt-get; as an
# ordinary user it prints the one command that does, and fails.
set -u
list=$(dirname "$0")/debian-packages
want=$(grep -v '^#' "$list" | tr -s ' \n' ' ')
missing=()
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	echo "installing the missing packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# A fresh machine has no package lists yet.
	if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
		apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" || exit 1
	fi
	exit 0
fi
echo "these packages are missing: ${missing[*]}" >&2
echo "install them with:" >&2
echo "  sudo apt-get install ${missing[*]}" >&2
exit 1
