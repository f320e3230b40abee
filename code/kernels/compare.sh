#!/usr/bin/env bash
# code/kernels/compare.sh KERNEL...: compares the book's observations across
# kernels, from the runs of code/kernels/run-kernel.sh in $BUILD/kernels/KERNEL/.
#
# Writes $BUILD/kernels/compare.txt (plain text, for the tests and a
# terminal) and $BUILD/html/kernels.html (a standalone page: everything
# escaped, inline CSS, no script):
#
#   - the kernels: release, how each ran, boot and run times, failures;
#   - the settings (sysctls) each kernel's experiments saw;
#   - each claim's result per kernel, when the runs have claims.txt;
#   - each experiment: "same on every kernel", or the kernels grouped by
#     identical observations.txt and, for each group after the first, the
#     lines that differ from the first group's, side by side, under the
#     section (packets, role, sockets at) they belong to.
#
# A kernel that did not run is shown with its reason and left out of the
# comparisons. Exit status 0 when the pages were written.
set -u
BUILD=${BUILD:-build}
[ $# -gt 0 ] || { echo "usage: code/kernels/compare.sh KERNEL..." >&2; exit 2; }
K=$BUILD/kernels
TXT=$K/compare.txt
HTML=$BUILD/html/kernels.html
mkdir -p "$K" "$BUILD/html" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpbook-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
txt=$tmp/txt
html=$tmp/html

# e TEXT...: the text escaped for HTML. (In bash 5.2 an unquoted & in a
# ${var//pattern/replacement} stands for the match: the quotes keep it.)
e() {
	local s="$*"
	s=${s//&/"&amp;"}
	s=${s//</"&lt;"}
	s=${s//>/"&gt;"}
	s=${s//\"/"&quot;"}
	printf '%s' "$s"
}
field() { sed -n "s/^$2 //p" "$1" 2>/dev/null | head -n 1; }

# The kernels that ran, in the order given.
kernels=("$@")
ran=()
for k in "${kernels[@]}"; do
	[ -d "$K/$k/run" ] && ran+=("$k")
done

# --- the page's head and the kernels ---------------------------------------------
cat >"$html" <<'EOF'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The experiments on several kernels</title>
<style>
body { font-family: Georgia, serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1, h2, h3 { font-family: Helvetica, Arial, sans-serif; }
h3 { margin-top: 2rem; }
table { border-collapse: collapse; margin: 0.8rem 0; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; font-family: Helvetica, Arial, sans-serif; font-size: 0.9rem; }
code, .obs td { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.8rem; }
.obs td { white-space: pre-wrap; word-break: break-word; }
.obs td.sec { background: #fafafa; color: #555; white-space: nowrap; }
.same { color: #1a6b1a; }
.differs { color: #a34400; }
.failed, .differs-claim, .invalid { color: #b00020; font-weight: bold; }
.confirmed { color: #1a6b1a; }
.varies, .unchecked { color: #7a5c00; }
tr.diff td { background: #fff4e5; }
mark { background: #ffe08a; }
.none { color: #888; }
</style>
</head>
<body>
<p><a href="index.html">&larr; The book</a></p>
<h1>The book&rsquo;s experiments on several kernels</h1>
<p>Every chapter&rsquo;s experiments, run with the same harness and the same
programs on each kernel below: on the host as it is, and on the others in a
qemu guest booted on Debian&rsquo;s kernel package. Observations are compared as
normalised (ports, sequence numbers and timestamps replaced by symbols), so
what differs is the kernel&rsquo;s behaviour. Rebuild with
<code>make matrix</code>.</p>
<h2>Kernels</h2>
<table>
<tr><th>kernel</th><th>release</th><th>ran on</th><th>boot (s)</th><th>run (s)</th><th>status</th></tr>
EOF
{
	echo "# The book's experiments on several kernels (code/kernels/compare.sh)"
	echo
	echo "kernels"
} >"$txt"
for k in "${kernels[@]}"; do
	s=$K/$k/summary
	rel=$(field "$s" kernel)
	accel=$(field "$s" accel)
	boot=$(field "$s" boot)
	secs=$(field "$s" seconds)
	status=$(field "$s" status)
	err=$(sed -n 's/^error //p' "$s" 2>/dev/null)
	[ -f "$s" ] || { status=failed; err="never run (code/kernels/run-kernel.sh $k)"; }
	case $accel in
	none) where="host" ;;
	'') where="" ;;
	*) where="qemu, $accel; $(field "$s" package)" ;;
	esac
	cls=same
	[ "$status" = ok ] || cls=failed
	printf '<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="%s">%s</td></tr>\n' \
		"$(e "$k")" "$(e "$rel")" "$(e "$where")" "$(e "$boot")" "$(e "$secs")" "$cls" \
		"$(e "$status${err:+: $err}")" >>"$html"
	printf '  %s\t%s\t%s\tboot %s s\trun %s s\t%s\n' "$k" "${rel:--}" "${where:--}" "${boot:--}" "${secs:--}" \
		"$status${err:+: $err}" >>"$txt"
done
echo "</table>" >>"$html"

if [ ${#ran[@]} -eq 0 ]; then
	echo "<p class=\"failed\">No kernel ran: nothing to compare.</p></body></html>" >>"$html"
	echo "no kernel ran: nothing to compare" >>"$txt"
	mv "$txt" "$TXT" && mv "$html" "$HTML"
	exit 0
fi

# --- settings: the first chapter's build-info of each kernel ---------------------
first_info() { ls "$K/$1"/run/*/build-info 2>/dev/null | head -n 1; }
{
	echo "<h2>Settings the experiments saw</h2>"
	echo "<p>From each kernel&rsquo;s own <code>build-info</code>: its sysctls as read in the experiments&rsquo; network namespace. Rows that differ are shaded.</p>"
	printf '<table>\n<tr><th>setting</th>'
	for k in "${ran[@]}"; do printf '<th>%s</th>' "$(e "$k")"; done
	echo "</tr>"
} >>"$html"
printf '\nsettings\n' >>"$txt"
for k in "${ran[@]}"; do
	f=$(first_info "$k")
	[ -n "$f" ] && sed -n 's/^sysctl //p' "$f" >"$tmp/sysctl.$k"
	touch "$tmp/sysctl.$k"
done
cat "$tmp"/sysctl.* | awk '{ print $1 }' | awk '!seen[$0]++' >"$tmp/names"
while read -r name; do
	vals=()
	for k in "${ran[@]}"; do
		vals+=("$(awk -v n="$name" '$1 == n { $1 = ""; sub(/^ /, ""); print; exit }' "$tmp/sysctl.$k")")
	done
	cls=""
	for v in "${vals[@]}"; do [ "$v" = "${vals[0]}" ] || cls=' class="diff"'; done
	printf '<tr%s><td><code>%s</code></td>' "$cls" "$(e "$name")" >>"$html"
	line="  $name"
	for i in "${!ran[@]}"; do
		printf '<td><code>%s</code></td>' "$(e "${vals[$i]:-—}")" >>"$html"
		line="$line | ${ran[$i]}: ${vals[$i]:--}"
	done
	echo "</tr>" >>"$html"
	[ -n "$cls" ] && line="$line   (differs)"
	echo "$line" >>"$txt"
done <"$tmp/names"
echo "</table>" >>"$html"

# --- claims ------------------------------------------------------------------------
# claims.txt records: "claim LINE RESULT", "experiment EXP", "text SENTENCE",
# ..., "end" (code/check/claims.c). One row per claim, one column per kernel.
stems=$(for k in "${ran[@]}"; do ls "$K/$k/run"; done | grep -v '^status$' | sort -u)
echo "<h2>Claims</h2>" >>"$html"
printf '\nclaims\n' >>"$txt"
have_claims=0
for stem in $stems; do
	for k in "${ran[@]}"; do [ -f "$K/$k/run/$stem/claims.txt" ] && have_claims=1; done
done
if [ $have_claims -eq 0 ]; then
	echo "<p class=\"none\">No claims results: no chapter&rsquo;s claims were checked (the build has no <code>bin/claims</code>, or no chapter has claims).</p>" >>"$html"
	echo "  none checked" >>"$txt"
else
	{
		echo "<p>Each claim of each chapter, checked against each kernel&rsquo;s observations. A claim whose result is not the same on every kernel is shaded.</p>"
		printf '<table>\n<tr><th>chapter</th><th>line</th><th>claim</th>'
		for k in "${ran[@]}"; do printf '<th>%s</th>' "$(e "$k")"; done
		echo "</tr>"
	} >>"$html"
	# "STEM LINE EXPERIMENT TEXT KERNEL RESULT" (separated by \037) of every
	# claim on every kernel; then one row per claim, one column per kernel.
	for stem in $stems; do
		for k in "${ran[@]}"; do
			f=$K/$k/run/$stem/claims.txt
			[ -f "$f" ] || continue
			awk -v k="$k" -v stem="$stem" '
				$1 == "claim" { line = $2; res = $3; ex = ""; text = "" }
				$1 == "experiment" { ex = $2 }
				$1 == "text" { text = substr($0, 6) }
				$1 == "end" { printf "%s\037%s\037%s\037%s\037%s\037%s\n", stem, line, ex, text, k, res }
			' "$f"
		done
	done | sort -t $'\037' -k1,1 -k2,2n -s | awk -F '\037' -v kernels="${ran[*]}" -v txt="$txt" '
		function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s); return s }
		BEGIN { nk = split(kernels, ks, " ") }
		{
			id = $1 ":" $2
			if (!(id in seen)) { seen[id] = 1; order[++n] = id; stem[id] = $1; line[id] = $2; ex[id] = $3; text[id] = $4 }
			res[id, $5] = $6
		}
		END {
			for (i = 1; i <= n; i++) {
				id = order[i]
				cls = ""
				for (j = 1; j <= nk; j++) {
					r[j] = ((id, ks[j]) in res) ? res[id, ks[j]] : "\342\200\224"
					if (r[j] != r[1]) cls = " class=\"diff\""
				}
				printf "<tr%s><td>%s</td><td>%s</td><td>%s <span class=\"none\">(%s)</span></td>", cls, esc(stem[id]), esc(line[id]), esc(text[id]), esc(ex[id])
				out = "  " id
				for (j = 1; j <= nk; j++) {
					c = (r[j] == "differs") ? "differs-claim" : r[j]
					printf "<td class=\"%s\">%s</td>", esc(c), esc(r[j])
					out = out " | " ks[j] ": " r[j]
				}
				print "</tr>"
				print out "   " text[id] >>txt
			}
		}' >>"$html"
	echo "</table>" >>"$html"
fi

# --- experiments -------------------------------------------------------------------
# side_by_side A B: the lines of observations A and B that differ, as rows
# "SECTION^_A-LINE^_B-LINE" (^_ is \037; either line may be empty), from diff's
# hunks, each line under the last unindented line (its section) above it.
side_by_side() {
	diff "$1" "$2" | awk -v A="$1" -v B="$2" '
		function sections(file, sec,    n, l, cur) {
			n = 0; cur = ""
			while ((getline l < file) > 0) {
				n++
				if (l !~ /^ /) cur = l
				sec[n] = cur
			}
			close(file)
		}
		function flush(    i, n, s) {
			n = nl > nr ? nl : nr
			for (i = 1; i <= n; i++) {
				s = (i <= nl) ? sa[la + i - 1] : sb[lb + i - 1]
				printf "%s\037%s\037%s\n", s, (i <= nl ? L[i] : ""), (i <= nr ? R[i] : "")
			}
			nl = nr = 0
		}
		BEGIN { sections(A, sa); sections(B, sb) }
		/^[0-9]/ {
			flush()
			split($0, p, /[acd]/)
			split(p[1], x, ","); split(p[2], y, ",")
			la = x[1]; lb = y[1]
			if ($0 ~ /a/) la++
			if ($0 ~ /d/) lb++
			next
		}
		/^< / { L[++nl] = substr($0, 5); next }
		/^> / { R[++nr] = substr($0, 5); next }
		END { flush() }
	'
}

# render A-NAME B-NAME TXT: reads side_by_side's rows and prints them as
# HTML table rows, each pair of lines with the words from the first
# difference to the last in <mark>, the section shown once; appends the
# same as text to the file TXT.
render() {
	awk -F '\037' -v an="$1" -v bn="$2" -v txt="$3" '
		function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); gsub(/"/, "\\&quot;", s); return s }
		function marked(s, i, j) {
			if (!both) return esc(s)
			return esc(substr(s, 1, i)) "<mark>" esc(substr(s, i + 1, length(s) - i - j)) "</mark>" esc(substr(s, length(s) - j + 1))
		}
		{
			sec = $1; a = $2; b = $3
			sub(/^  /, "", a); sub(/^  /, "", b)
			both = (a != "" && b != "")
			n = length(a) < length(b) ? length(a) : length(b)
			for (i = 0; i < n && substr(a, i + 1, 1) == substr(b, i + 1, 1); i++) ;
			while (i > 0 && substr(a, i, 1) !~ /[ ,\[(]/) i--
			for (j = 0; j < n - i && substr(a, length(a) - j, 1) == substr(b, length(b) - j, 1); j++) ;
			while (j > 0 && substr(a, length(a) - j + 1, 1) !~ /[ ,\]);]/) j--
			shown = (sec == last) ? "" : sec
			last = sec
			printf "<tr><td class=\"sec\">%s</td><td>%s</td><td>%s</td></tr>\n", esc(shown), marked(a, i, j), marked(b, i, j)
			if (shown != "") print "    " sec >>txt
			print "      " an ": " a >>txt
			print "      " bn ": " b >>txt
		}'
}

{
	echo "<h2>Experiments</h2>"
	echo "<p>Each experiment&rsquo;s <code>observations.txt</code> (packets, calls, sockets), compared between kernels. Kernels with identical observations are grouped; each group after the first is shown side by side with the first, differing lines only. A difference on one kernel alone can also be a race in the experiment itself, which timing decides: <code>make kernel KERNEL=...</code> runs that kernel again.</p>"
	echo "<table>"
	echo "<tr><th>experiment</th><th>result</th></tr>"
} >>"$html"
printf '\nexperiments\n' >>"$txt"
details=$tmp/details
: >"$details"
for stem in $stems; do
	exps=$(for k in "${ran[@]}"; do
		for d in "$K/$k/run/$stem"/*/; do [ -d "$d" ] && basename "$d"; done
	done | grep -v '\.tmp$' | sort -u)
	for x in $exps; do
		id="$stem/$x"
		# Group the kernels by identical observations.
		groups=()   # "k1 k2 ..." per distinct observations
		reps=()     # one observations file per group
		missing=()
		failed=()
		for k in "${ran[@]}"; do
			o=$K/$k/run/$stem/$x/observations.txt
			if [ ! -f "$o" ]; then missing+=("$k"); continue; fi
			grep -q '^status failed' "$K/$k/run/$stem/$x/meta" 2>/dev/null && failed+=("$k")
			placed=0
			for i in "${!reps[@]}"; do
				if cmp -s "$o" "${reps[$i]}"; then groups[$i]="${groups[$i]} $k"; placed=1; break; fi
			done
			[ $placed -eq 1 ] || { reps+=("$o"); groups+=("$k"); }
		done
		note=""
		[ ${#missing[@]} -gt 0 ] && note="; no observations on ${missing[*]}"
		[ ${#failed[@]} -gt 0 ] && note="$note; the experiment failed on ${failed[*]}"
		anchor=$(printf '%s' "$id" | tr -c 'A-Za-z0-9-' '-')
		if [ ${#reps[@]} -le 1 ]; then
			if [ ${#reps[@]} -eq 1 ]; then
				g=${groups[0]# }
				verdict="same on every kernel (${g// /, })"
			else
				verdict="no observations"
			fi
			printf '<tr><td><code>%s</code></td><td class="same">%s</td></tr>\n' "$(e "$id")" "$(e "$verdict$note")" >>"$html"
			echo "  $id: $verdict$note" >>"$txt"
			continue
		fi
		desc=""
		for g in "${groups[@]}"; do g=${g# }; desc="$desc${desc:+ | }${g// /, }"; done
		verdict="differs: $desc"
		printf '<tr><td><a href="#%s"><code>%s</code></a></td><td class="differs">%s</td></tr>\n' \
			"$anchor" "$(e "$id")" "$(e "$verdict$note")" >>"$html"
		echo "  $id: $verdict$note" >>"$txt"
		printf '<h3 id="%s"><code>%s</code></h3>\n' "$anchor" "$(e "$id")" >>"$details"
		for i in "${!reps[@]}"; do
			[ "$i" -eq 0 ] && continue
			a=${groups[0]# }
			a=${a// /, }
			b=${groups[$i]# }
			b=${b// /, }
			{
				printf '<table class="obs">\n<tr><th>section</th><th>%s</th><th>%s</th></tr>\n' "$(e "$a")" "$(e "$b")"
			} >>"$details"
			: >"$tmp/txtpart"
			side_by_side "${reps[0]}" "${reps[$i]}" | render "$a" "$b" "$tmp/txtpart" >>"$details"
			echo "</table>" >>"$details"
			cat "$tmp/txtpart" >>"$txt"
		done
	done
done
{
	echo "</table>"
	cat "$details"
	echo "<p class=\"none\">Written by <code>code/kernels/compare.sh</code> on $(date -u '+%Y-%m-%d %H:%M UTC').</p>"
	echo "</body>"
	echo "</html>"
} >>"$html"

# Written only when changed, so that make stays incremental.
for pair in "$txt:$TXT" "$html:$HTML"; do
	src=${pair%%:*}
	dst=${pair#*:}
	if [ "$src" = "$html" ]; then
		# the date line changes on every run: compare without it
		if [ -f "$dst" ] && cmp -s <(grep -v 'Written by' "$src") <(grep -v 'Written by' "$dst"); then continue; fi
	else
		cmp -s "$src" "$dst" && continue
	fi
	cp "$src" "$dst.tmp" && mv "$dst.tmp" "$dst"
done
exit 0
