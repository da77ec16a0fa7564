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
# Prints a Markdown table; also written to bench/out/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PEOPLE=${PEOPLE:-1000000}
RUNS=${RUNS:-3}
BIN=${JOINEDUP:-build/joinedup}
OUT=bench/out
CITY=$OUT/city
mkdir -p "$OUT"

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
drop_db() { rm -f "$1" "$1-wal" "$1-shm"; }

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

{
	echo "| benchmark ($PEOPLE people, median of $RUNS) | joinedup | baseline (same run) | ratio |"
	echo "|---|---|---|---|"
	printf '| synth: wall time (%s rows written) | %.1f s | dd of the same bytes: %.1f s | %.2f× the baseline |\n' \
		"$rows" "$synth_med" "$dd_med" "$(echo "$synth_med / $dd_med" | bc -l)"
	printf '| import: rows per second (%s rows) | %s rows/s (%.1f s) | sqlite3 .import: %s rows/s (%.1f s) | %.2f of the baseline |\n' \
		"$import_rows" "$jup_rps" "$import_med" "$base_rps" "$base_med" "$(echo "$jup_rps / $base_rps" | bc -l)"
	echo
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; joinedup $("$BIN" --version | cut -d' ' -f2)."
} | tee "$OUT/results.md"
