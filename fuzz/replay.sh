#!/usr/bin/env bash
# fuzz/replay.sh - build the libFuzzer targets and replay their corpora.
#
# Usage: fuzz/replay.sh [--time SECONDS]
#
# Configures build-fuzz with clang and JUP_FUZZ=ON, builds every fuzz target
# (fuzz/fuzz_NAME.c) and runs each over every file of fuzz/corpus/NAME once;
# any crash, sanitizer report or failed check makes the script exit non-zero.
# With --time, each target is instead fuzzed for SECONDS, starting from the
# committed corpus; new inputs go to build-fuzz/corpus/NAME and crashes to
# build-fuzz/artifacts/, so the committed corpus is never changed.
set -euo pipefail

usage() {
	echo "usage: fuzz/replay.sh [--time SECONDS]"
}

seconds=""
while [ $# -gt 0 ]; do
	case "$1" in
	--time)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		seconds="$2"
		shift 2
		;;
	--time=*)
		seconds="${1#--time=}"
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done
if [ -n "$seconds" ] && ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
	echo "replay.sh: --time takes a whole number of seconds" >&2
	exit 2
fi

cd "$(dirname "$0")/.."
CC=clang cmake -S . -B build-fuzz -DJUP_FUZZ=ON -DJUP_TESTS=OFF >/dev/null
cmake --build build-fuzz --target jup_fuzz -j "$(nproc 2>/dev/null || echo 2)"

failed=0
targets=0
for src in fuzz/fuzz_*.c; do
	targets=$((targets + 1))
	name="$(basename "$src" .c)"
	target="build-fuzz/fuzz/$name"
	corpus="fuzz/corpus/${name#fuzz_}"
	if [ ! -x "$target" ]; then
		echo "replay.sh: $target was not built" >&2
		failed=$((failed + 1))
		continue
	fi
	if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
		echo "replay.sh: no corpus in $corpus" >&2
		failed=$((failed + 1))
		continue
	fi
	if [ -n "$seconds" ]; then
		mkdir -p "build-fuzz/corpus/${name#fuzz_}" build-fuzz/artifacts
		echo "== fuzzing $name for ${seconds}s"
		if ! "$target" -max_total_time="$seconds" -print_final_stats=1 \
			-artifact_prefix="build-fuzz/artifacts/$name-" \
			"build-fuzz/corpus/${name#fuzz_}" "$corpus"; then
			echo "replay.sh: $name failed" >&2
			failed=$((failed + 1))
		fi
	else
		files=("$corpus"/*)
		echo "== replaying $name over ${#files[@]} inputs"
		if ! "$target" "${files[@]}" >"build-fuzz/$name.log" 2>&1; then
			cat "build-fuzz/$name.log" >&2
			echo "replay.sh: $name failed (log: build-fuzz/$name.log)" >&2
			failed=$((failed + 1))
		fi
	fi
done
if [ "$failed" -ne 0 ]; then
	echo "replay.sh: FAILED" >&2
fi
# each target fails at most once, so this counts targets
echo "fuzz: $((targets - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
