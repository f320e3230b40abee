#!/usr/bin/env bash
# code/kernels/apt.sh COMMAND [ARG...]: apt for the guest kernels, without
# root and without touching the machine's own apt state.
#
#   apt.sh sources        prints the private sources list (see below)
#   apt.sh update         writes it and refreshes the private package lists
#                         when they are missing, older than a day
#                         (KERNELS_APT_MAXAGE, seconds) or made from another
#                         sources list
#   apt.sh cache ARG...   apt-cache ARG... with the private configuration
#   apt.sh get ARG...     apt-get ARG... with the private configuration
#
# Everything lives under $BUILD/kernels/apt/: sources.list, lists/,
# cache/. The sources are derived at run time from the machine's own
# (/etc/apt/sources.list and /etc/apt/sources.list.d/*.list, *.sources,
# one-line and deb822 formats, as apt(8) reads them; APT_SOURCES_DIR
# replaces /etc/apt for the tests): every Debian archive entry whose
# suite is a Debian release (bookworm, bookworm-updates,
# bookworm-security, ...) is repeated for bullseye, bookworm, trixie and
# sid, the suffixed suites (-updates, -security) for the releases only, so
# the same mirror, keys and components serve Debian 11, 12, 13 and
# unstable. Entries of other archives are left out. The rest of apt's
# configuration (proxies, apt.conf.d) is the machine's own: nothing here
# names a host.
set -u
BUILD=${BUILD:-build}
ETC=${APT_SOURCES_DIR:-/etc/apt}
A=$BUILD/kernels/apt
progname="code/kernels/apt.sh"
RELEASES="bullseye bookworm trixie sid"
die() { echo "$progname: $*" >&2; exit 1; }

# A Debian suite: a release's code name or alias, with an optional suffix.
debian_suite() {
	case ${1%%-*} in
	buster | bullseye | bookworm | trixie | forky | duke | sid | oldoldstable | oldstable | stable | testing | unstable) return 0 ;;
	esac
	return 1
}

# entries: one line "OPTIONS|URI|SUITE|COMPONENTS" per deb entry of the
# machine's sources (OPTIONS the one-line format's [...] content, or
# signed-by=... from a deb822 stanza).
entries() {
	local f
	for f in "$ETC/sources.list" "$ETC"/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -e 's/#.*//' "$f" | awk '
			$1 != "deb" { next }
			{
				opts = ""
				i = 2
				if ($2 ~ /^\[/) {
					opts = $2
					while (opts !~ /\]$/ && i < NF) { i++; opts = opts " " $i }
					gsub(/^\[|\]$/, "", opts)
					i++
				}
				uri = $(i); suite = $(i + 1); comps = ""
				for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
				if (uri != "" && suite != "") print opts "|" uri "|" suite "|" comps
			}'
	done
	for f in "$ETC"/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			function flush(    u, s, nu, ns, a, b, opts) {
				if (types ~ /(^| )deb( |$)/ && enabled != "no" && uris != "" && suites != "") {
					opts = (signed != "") ? "signed-by=" signed : ""
					nu = split(uris, a, " "); ns = split(suites, b, " ")
					for (u = 1; u <= nu; u++) for (s = 1; s <= ns; s++) print opts "|" a[u] "|" b[s] "|" comps
				}
				types = uris = suites = comps = signed = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, ""); v = $0
				if (key == "types") types = v
				else if (key == "uris") uris = v
				else if (key == "suites") suites = v
				else if (key == "components") comps = v
				else if (key == "signed-by") signed = v
				else if (key == "enabled") enabled = tolower(v)
			}
			END { flush() }' "$f"
	done
}

sources() {
	local seen="" opts uri suite comps base suffix r line
	while IFS='|' read -r opts uri suite comps; do
		debian_suite "$suite" || continue
		case $suite in *-*) suffix=-${suite#*-} ;; *) suffix= ;; esac
		[ -n "$comps" ] || comps=main
		# backports and proposed updates are not releases' kernels
		case $suffix in '' | -updates | -security) ;; *) continue ;; esac
		for r in $RELEASES; do
			[ "$r" = sid ] && [ -n "$suffix" ] && continue
			line="deb ${opts:+[$opts] }$uri $r$suffix $comps"
			case "$seen" in *"<$line>"*) continue ;; esac
			seen="$seen<$line>"
			echo "$line"
		done
	done < <(entries)
}

mkdir -p "$A" || die "cannot create '$A'"
AA=$(cd "$A" && pwd)
apt_opts=(-o "Dir::Etc::sourcelist=$AA/sources.list" -o "Dir::Etc::sourceparts=$AA/sources.list.d"
	-o "Dir::State::Lists=$AA/lists" -o "Dir::Cache=$AA/cache" -o "Dir::State::status=/dev/null"
	-o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)" -q)

update() {
	local new age maxage=${KERNELS_APT_MAXAGE:-86400}
	command -v apt-get >/dev/null || die "apt-get not found: the kernels come from Debian's packages"
	mkdir -p "$A/lists/partial" "$A/cache/archives/partial" "$A/sources.list.d" || die "cannot create '$A'"
	new=$(sources)
	[ -n "$new" ] || die "no Debian archive in $ETC/sources.list or $ETC/sources.list.d/ (an entry whose suite is a Debian release, such as bookworm)"
	if [ -f "$A/sources.list" ] && [ "$(cat "$A/sources.list")" = "$new" ] && [ -f "$A/updated" ]; then
		age=$(($(date +%s) - $(stat -c %Y "$A/updated")))
		[ "$age" -lt "$maxage" ] && return 0
	fi
	echo "$new" >"$A/sources.list"
	rm -f "$A/updated"
	echo "  APT     update ($(echo "$new" | wc -l) sources: $(echo $RELEASES))" >&2
	if ! timeout 600 apt-get "${apt_opts[@]}" update >"$A/update.log" 2>&1; then
		tail -n 3 "$A/update.log" >&2
		die "apt-get update failed (see $A/update.log)"
	fi
	grep -E '^(W|E):' "$A/update.log" | head -n 3 | sed "s|^|$progname: |" >&2
	touch "$A/updated"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
sources) sources ;;
update) update ;;
cache) exec apt-cache "${apt_opts[@]}" "$@" ;;
get) exec apt-get "${apt_opts[@]}" "$@" ;;
*) echo "usage: $progname sources | update | cache ARG... | get ARG..." >&2; exit 2 ;;
esac
