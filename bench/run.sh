#!/usr/bin/env bash
# bench/run.sh - joinedup's benchmarks, each against a baseline measured in the
# same run (this machine is noisy: compare ratios, not absolute figures).
#
#   bench/run.sh                 1,000,000 people, 3 runs of each
#   PEOPLE=200000 RUNS=1 bench/run.sh
#
# 1. synth: `joinedup synth --people N` wall time (target: under 60 s for
#    1,000,000 people), against writing the same number of bytes with dd.
# 2. import: `joinedup import` (validating every row, one transaction per file,
#    indexes and constraints) in rows per second, against `sqlite3 .import` of
#    the same CSV files into bare tables (no validation, no indexes).
# 3. link-files: the GP register against the hospitals' patient masters (both
#    near PEOPLE rows), wall time and peak memory, against an exact-key join of
#    the same files in SQLite (import, index, join on name and date of birth);
#    and accuracy (precision, recall) of the GP register against the council's
#    case files, scored with the city's truth.csv.
# 4. link: `joinedup link` on the imported city (every source record, end to
#    end: load, NHS numbers, blocking, training, scoring, clustering, writing
#    people), wall time and peak memory, against an exact-key self-join of
#    source_record in the same database (index, join on names and date of
#    birth, results written to a table); accuracy from --truth afterwards
#    (not timed).
# 5. audit: entries appended per second to the audit log with group commit
#    (1,000 per transaction, as a server batching concurrent requests would),
#    against inserting the same number of rows of the same width in one
#    transaction with the sqlite3 shell; and `jup_audit_verify` over
#    1,000,000 entries. (`ONLY=audit bench/run.sh` runs just this stage.)
# 6. gate: audited purpose-gate decisions per second (direct care requests by
#    GPs, nine in ten at the person's own practice), each decision's audit
#    entry on disk before the call returns: through one jup_gate_group on
#    GATE_THREADS threads (as many requests in flight as a server's
#    connections), GATE_N decisions with the group's index of facts empty
#    (cold), then GATE_N more on the same group (warm: the steady state of a
#    server), against one jup_gate_decide and one durable commit per decision
#    on one thread, on the linked city of stage 4. (`ONLY=gate bench/run.sh`
#    runs just this stage on a 20,000-person city.)
# 7. finding people: time per `$match` (4,000 queries made from random linked
#    records: as recorded, moved, date of birth one digit out, given name cut
#    and moved) and per Patient search (2,000 each by NHS number, family and
#    given name, family prefix and birth date), with how often the record's own
#    person was found, on the linked city of stage 4 (bench/search_tool.c).
# Prints a Markdown table; also written to bench/out/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PEOPLE=${PEOPLE:-1000000}
RUNS=${RUNS:-3}
BIN=${JOINEDUP:-build/joinedup}
LINK_TOOL=${LINK_TOOL:-build/bench/link_tool}
AUDIT_TOOL=${AUDIT_TOOL:-build/bench/audit_tool}
AUDIT_N=${AUDIT_N:-1000000}
GATE_TOOL=${GATE_TOOL:-build/bench/gate_tool}
GATE_N=${GATE_N:-100000}
GATE_THREADS=${GATE_THREADS:-64}
SEARCH_TOOL=${SEARCH_TOOL:-build/bench/search_tool}
OUT=bench/out
CITY=$OUT/city
mkdir -p "$OUT"

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
drop_db() { rm -f "$1" "$1-wal" "$1-shm"; }

# The audit log: append with group commit, against plain inserts; verify.
audit_stage() {
	local a_times=() b_times=() v_times=() t
	for ((i = 1; i <= RUNS; i++)); do
		drop_db "$OUT/audit.db"
		t=$(now); "$AUDIT_TOOL" append "$OUT/audit.db" "$AUDIT_N" 1000 >/dev/null
		a_times+=("$(elapsed "$t")")
		t=$(now); "$AUDIT_TOOL" verify "$OUT/audit.db" >/dev/null; v_times+=("$(elapsed "$t")")
		drop_db "$OUT/plain.db"
		t=$(now)
		sqlite3 "$OUT/plain.db" >/dev/null <<SQL
PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
CREATE TABLE e (id INTEGER PRIMARY KEY, recorded_at TEXT, actor TEXT, role TEXT, org_code TEXT,
  purpose TEXT, person_id INTEGER, action TEXT, what TEXT, outcome TEXT, reason TEXT,
  prev_hash TEXT, leaf_hash TEXT);
BEGIN;
INSERT INTO e SELECT value, '2026-11-23T12:00:00Z', 'gp.bench', 'gp', 'Y90001', 'direct_care',
  NULL, 'read', 'record:' || (value % 100000), 'permit', 'registered at the practice',
  hex(randomblob(32)), hex(randomblob(32)) FROM generate_series(1, $AUDIT_N);
COMMIT;
SQL
		b_times+=("$(elapsed "$t")")
		echo "  audit run $i: append ${a_times[-1]} s, verify ${v_times[-1]} s, plain inserts ${b_times[-1]} s" >&2
	done
	drop_db "$OUT/audit.db"; drop_db "$OUT/plain.db"
	local a_med b_med v_med
	a_med=$(printf '%s\n' "${a_times[@]}" | median)
	b_med=$(printf '%s\n' "${b_times[@]}" | median)
	v_med=$(printf '%s\n' "${v_times[@]}" | median)
	printf '| audit: entries appended per second (%s, 1,000 per transaction) | %.0f entries/s (%.1f s) | plain INSERT of as many rows in one statement: %.0f rows/s | %.2f of the baseline |\n' \
		"$AUDIT_N" "$(echo "$AUDIT_N / $a_med" | bc -l)" "$a_med" "$(echo "$AUDIT_N / $b_med" | bc -l)" "$(echo "$b_med / $a_med" | bc -l)"
	printf '| audit verify: %s entries | %.1f s | | |\n' "$AUDIT_N" "$v_med"
}

# The purpose gate: audited decisions through a group (cold, then warm),
# against one commit per decision. $1: a linked database; $2: its city
# directory.
gate_stage() {
	local c_rates=() w_rates=() s_rates=() out n_sync=$((GATE_N / 10))
	"$GATE_TOOL" users "$1" "$2" >/dev/null
	for ((i = 1; i <= RUNS; i++)); do
		drop_db "$OUT/gate.db"; cp "$1" "$OUT/gate.db"
		out=$("$GATE_TOOL" decide "$OUT/gate.db" "$2" "$GATE_N" "$GATE_THREADS")
		c_rates+=("$(sed -n 's/^cold: .*: \([0-9]*\) decisions\/s.*/\1/p' <<<"$out")")
		w_rates+=("$(sed -n 's/^warm: .*: \([0-9]*\) decisions\/s.*/\1/p' <<<"$out")")
		drop_db "$OUT/gate.db"; cp "$1" "$OUT/gate.db"
		out=$("$GATE_TOOL" sync "$OUT/gate.db" "$2" "$n_sync")
		s_rates+=("$(sed -n 's/.*: \([0-9]*\) decisions\/s.*/\1/p' <<<"$out")")
		echo "  gate run $i: cold ${c_rates[-1]}/s, warm ${w_rates[-1]}/s, one commit each ${s_rates[-1]}/s" >&2
	done
	drop_db "$OUT/gate.db"
	local c w b
	c=$(printf '%s\n' "${c_rates[@]}" | median)
	w=$(printf '%s\n' "${w_rates[@]}" | median)
	b=$(printf '%s\n' "${s_rates[@]}" | median)
	printf '| gate: audited decisions per second, warm group (%s more on the same group, %s threads; goal 50,000) | %.0f decisions/s | one commit per decision, one thread: %.0f decisions/s | %.2f× the baseline |\n' \
		"$GATE_N" "$GATE_THREADS" "$w" "$b" "$(echo "$w / $b" | bc -l)"
	printf '| gate: the same, cold group (the first %s, every person read from the store once) | %.0f decisions/s | same baseline | %.2f× the baseline |\n' \
		"$GATE_N" "$c" "$(echo "$c / $b" | bc -l)"
}

if [[ ${ONLY:-} == gate ]]; then
	echo "| benchmark (median of $RUNS) | joinedup | baseline (same run) | ratio |"
	echo "|---|---|---|---|"
	rm -rf "$OUT/gcity"; drop_db "$OUT/glink.db"
	"$BIN" synth --people 20000 --seed 1 --out "$OUT/gcity" >/dev/null
	"$BIN" import --db "$OUT/glink.db" "$OUT/gcity" >/dev/null
	"$BIN" link --db "$OUT/glink.db" >/dev/null
	gate_stage "$OUT/glink.db" "$OUT/gcity"
	drop_db "$OUT/glink.db"; rm -rf "$OUT/gcity"
	exit 0
fi

if [[ ${ONLY:-} == audit ]]; then
	echo "| benchmark (median of $RUNS) | joinedup | baseline (same run) | ratio |"
	echo "|---|---|---|---|"
	audit_stage
	exit 0
fi

echo "bench: $PEOPLE people, $RUNS runs each, $(nproc) cores" >&2

synth_times=() ; dd_times=()
for ((i = 1; i <= RUNS; i++)); do
	rm -rf "$CITY"
	t=$(now); "$BIN" synth --people "$PEOPLE" --seed 1 --out "$CITY" >/dev/null; synth_times+=("$(elapsed "$t")")
	bytes=$(du -cb "$CITY"/*.csv | tail -1 | cut -f1)
	t=$(now); dd if=/dev/zero of="$OUT/dd.bin" bs=1M count=$((bytes / 1048576 + 1)) conv=fsync status=none
	dd_times+=("$(elapsed "$t")"); rm -f "$OUT/dd.bin"
	echo "  synth run $i: ${synth_times[-1]} s, dd of the same bytes: ${dd_times[-1]} s" >&2
done
synth_med=$(printf '%s\n' "${synth_times[@]}" | median)
dd_med=$(printf '%s\n' "${dd_times[@]}" | median)
rows=$(($(cat "$CITY"/*.csv | wc -l) - $(ls "$CITY"/*.csv | wc -l)))
truth_rows=$(($(wc -l <"$CITY/truth.csv") - 1))
import_rows=$((rows - truth_rows))

# sqlite3 .import of the same extracts (truth.csv excluded), one transaction per file.
baseline_import() {
	local db=$1 f
	drop_db "$db"
	{
		echo "PRAGMA journal_mode = WAL;"
		echo "PRAGMA synchronous = NORMAL;"
		for f in "$CITY"/*.csv; do
			[[ $(basename "$f") == truth.csv ]] && continue
			echo ".import --csv $f $(basename "$f" .csv)"
		done
	} | sqlite3 "$db" >/dev/null
}

import_times=() ; base_times=()
for ((i = 1; i <= RUNS; i++)); do
	drop_db "$OUT/jup.db"
	t=$(now); "$BIN" import --db "$OUT/jup.db" "$CITY" >/dev/null; import_times+=("$(elapsed "$t")")
	t=$(now); baseline_import "$OUT/base.db"; base_times+=("$(elapsed "$t")")
	echo "  import run $i: joinedup ${import_times[-1]} s, sqlite3 .import ${base_times[-1]} s" >&2
done
import_med=$(printf '%s\n' "${import_times[@]}" | median)
base_med=$(printf '%s\n' "${base_times[@]}" | median)
jup_rps=$(echo "$import_rows / $import_med" | bc)
base_rps=$(echo "$import_rows / $base_med" | bc)
drop_db "$OUT/base.db"

# link-files, against an exact-key join in SQLite of the same two files.
mkdir -p "$OUT/link"
"$LINK_TOOL" convert "$CITY" "$OUT/link"
nl=$(($(wc -l <"$OUT/link/gp.csv") - 1)); nr=$(($(wc -l <"$OUT/link/hospital.csv") - 1))
exact_join() {
	local db=$1
	drop_db "$db"
	sqlite3 "$db" >/dev/null <<SQL
.import --csv $OUT/link/gp.csv l
.import --csv $OUT/link/hospital.csv r
CREATE INDEX r_key ON r(family_name, given_name, dob);
SELECT count(*) FROM l JOIN r USING (family_name, given_name, dob);
SQL
}
link_times=() ; join_times=() ; link_rss=()
for ((i = 1; i <= RUNS; i++)); do
	t=$(now)
	/usr/bin/time -f "%M" -o "$OUT/rss" "$BIN" link-files --left "$OUT/link/gp.csv" \
		--right "$OUT/link/hospital.csv" --out "$OUT/link/pairs.csv" >"$OUT/link/log"
	link_times+=("$(elapsed "$t")"); link_rss+=("$(cat "$OUT/rss")")
	t=$(now); exact_join "$OUT/join.db"; join_times+=("$(elapsed "$t")")
	echo "  link run $i: link-files ${link_times[-1]} s (peak ${link_rss[-1]} KiB), sqlite exact join ${join_times[-1]} s" >&2
done
drop_db "$OUT/join.db"
link_med=$(printf '%s\n' "${link_times[@]}" | median)
join_med=$(printf '%s\n' "${join_times[@]}" | median)
rss_mb=$(( $(printf '%s\n' "${link_rss[@]}" | median | cut -d. -f1) / 1024 ))
"$BIN" link-files --left "$OUT/link/gp.csv" --right "$OUT/link/social.csv" --out "$OUT/link/social_pairs.csv" >/dev/null
accuracy=$("$LINK_TOOL" score "$CITY/truth.csv" "$OUT/link/social_pairs.csv" "$OUT/link/gp.csv" "$OUT/link/social.csv")
echo "  accuracy, GP register x social care: $accuracy" >&2

# link over the store, on a copy of the imported database each run.
store_join() {
	local db=$1
	sqlite3 "$db" >/dev/null <<SQL
CREATE INDEX bench_key ON source_record(family_name, given_name, dob);
CREATE TABLE bench_exact AS SELECT a.id AS a, b.id AS b FROM source_record a
  JOIN source_record b ON b.family_name = a.family_name AND b.given_name = a.given_name
  AND b.dob = a.dob AND b.id > a.id;
SQL
}
store_times=() ; store_join_times=() ; store_rss=()
records=$(sqlite3 "$OUT/jup.db" "SELECT count(*) FROM source_record")
for ((i = 1; i <= RUNS; i++)); do
	drop_db "$OUT/link.db"; cp "$OUT/jup.db" "$OUT/link.db"
	t=$(now)
	/usr/bin/time -f "%M" -o "$OUT/rss" "$BIN" link --db "$OUT/link.db" >/dev/null
	store_times+=("$(elapsed "$t")"); store_rss+=("$(cat "$OUT/rss")")
	drop_db "$OUT/join.db"; cp "$OUT/jup.db" "$OUT/join.db"
	t=$(now); store_join "$OUT/join.db"; store_join_times+=("$(elapsed "$t")")
	echo "  link run $i: joinedup link ${store_times[-1]} s (peak ${store_rss[-1]} KiB), sqlite self-join ${store_join_times[-1]} s" >&2
done
drop_db "$OUT/join.db"
"$BIN" link --db "$OUT/link.db" --truth "$CITY/truth.csv" >"$OUT/link.log" # scores only: all linked
store_med=$(printf '%s\n' "${store_times[@]}" | median)
store_join_med=$(printf '%s\n' "${store_join_times[@]}" | median)
store_mb=$(( $(printf '%s\n' "${store_rss[@]}" | median | cut -d. -f1) / 1024 ))
audit_rows=$(audit_stage)
gate_rows=$(gate_stage "$OUT/link.db" "$CITY")
search_out=$("$SEARCH_TOOL" match "$OUT/link.db" 4000 && "$SEARCH_TOOL" search "$OUT/link.db" 2000)
store_acc=$(grep "^precision=" "$OUT/link.log")
store_sc=$(grep "social care record" "$OUT/link.log" | sed 's/^ *//')
echo "  link accuracy: $store_acc; $store_sc" >&2

{
	echo "| benchmark ($PEOPLE people, median of $RUNS) | joinedup | baseline (same run) | ratio |"
	echo "|---|---|---|---|"
	printf '| synth: wall time (%s rows written) | %.1f s | dd of the same bytes: %.1f s | %.2f× the baseline |\n' \
		"$rows" "$synth_med" "$dd_med" "$(echo "$synth_med / $dd_med" | bc -l)"
	printf '| import: rows per second (%s rows) | %s rows/s (%.1f s) | sqlite3 .import: %s rows/s (%.1f s) | %.2f of the baseline |\n' \
		"$import_rows" "$jup_rps" "$import_med" "$base_rps" "$base_med" "$(echo "$jup_rps / $base_rps" | bc -l)"
	printf '| link-files: %s x %s records, wall time | %.1f s, peak %s MiB | SQLite exact-key join (import, index, join): %.1f s | %.2f× the baseline |\n' \
		"$nl" "$nr" "$link_med" "$rss_mb" "$join_med" "$(echo "$link_med / $join_med" | bc -l)"
	printf '| link: the whole store (%s source records), wall time | %.1f s, peak %s MiB | SQLite exact-key self-join (index, join, write): %.1f s | %.2f× the baseline |\n' \
		"$records" "$store_med" "$store_mb" "$store_join_med" "$(echo "$store_med / $store_join_med" | bc -l)"
	echo "$audit_rows"
	echo "$gate_rows"
	echo
	echo "Accuracy, GP register x council case files (link-files, threshold 0.5): $accuracy"
	echo
	echo "Accuracy, \`joinedup link --truth\` over all pairs of source records: $store_acc; $store_sc"
	echo
	echo "Finding people (\`bench/search_tool\`, one thread):"
	echo
	echo '```'
	echo "$search_out"
	echo '```'
	echo
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; joinedup $("$BIN" --version | cut -d' ' -f2)."
} | tee "$OUT/results.md"
