# cli.sh - the command line: help, unknown commands, usage errors, exit codes.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$JOINEDUP" --help
expect_in "$WORK/out" "commands:"
expect_status 0 "$JOINEDUP" --version
expect_in "$WORK/out" "joinedup "
for cmd in demo synth import info nhs-number; do
	expect_status 0 "$JOINEDUP" "$cmd" --help
	expect_in "$WORK/out" "usage: joinedup $cmd"
done
expect_status 2 "$JOINEDUP"
expect_status 2 "$JOINEDUP" frobnicate
expect_in "$WORK/err" 'unknown command "frobnicate"'
expect_status 2 "$JOINEDUP" import "$WORK"
expect_in "$WORK/err" "--db FILE is required"
expect_status 2 "$JOINEDUP" import --db "$WORK/x.db"
expect_status 2 "$JOINEDUP" info
expect_status 2 "$JOINEDUP" synth --people -5 --out "$WORK/c"
expect_status 2 "$JOINEDUP" synth --people 10 --as-of 2026-02-30 --out "$WORK/c"
expect_status 2 "$JOINEDUP" synth --people 10
expect_status 3 "$JOINEDUP" info --db "$WORK/missing.db"
expect_in "$WORK/err" "no database at"
expect_status 3 "$JOINEDUP" import --db "$WORK/x.db" "$WORK/does-not-exist"
expect_status 3 "$JOINEDUP" synth --people 10 --area "Nowhere-on-Sea" --out "$WORK/c"
finish
