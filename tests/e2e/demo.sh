# demo.sh - `joinedup demo` builds and loads a city, gives the end-of-life
# cohort their care plans (one per person on a register, each audited), and
# a second run changes nothing.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$JOINEDUP" demo --no-serve --dir "$WORK/demo" --people 1500
expect_in "$WORK/out" "== 1. synthesise"
expect_in "$WORK/out" "0 rejected"
expect_in "$WORK/out" "== 3. link the records"
expect_in "$WORK/out" "precision="
expect_in "$WORK/out" "== 4. end-of-life care plans"
expect_in "$WORK/out" "people already had one"
expect_in "$WORK/out" "person_member"
expect_in "$WORK/out" "care_plan"
db="$WORK/demo/joinedup.db"
register=$(sqlite3 -batch -noheader "$db" "SELECT count(DISTINCT p.person_id) FROM eol_plan e
	JOIN person_member p ON p.source_record_id = e.source_record_id")
plans=$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM care_plan WHERE kind = 'end_of_life'")
created=$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM audit_entry WHERE action = 'care_plan.create'")
if [[ $register -gt 0 && $plans -eq $register && $created -eq $plans ]]; then pass; else
	fail "want one audited end-of-life plan per person on a register ($register people, $plans plans, $created entries)"; fi
expect_in "$WORK/out" "care plans: $plans written"
expect_status 0 "$JOINEDUP" audit verify --db "$db"
"$JOINEDUP" info --db "$WORK/demo/joinedup.db" --json >"$WORK/first.json"
expect_status 0 "$JOINEDUP" demo --no-serve --dir "$WORK/demo" --people 1500
expect_in "$WORK/out" "0 files imported"
expect_in "$WORK/out" "care plans: 0 written, $plans people already had one"
"$JOINEDUP" info --db "$WORK/demo/joinedup.db" --json >"$WORK/second.json"
if cmp -s "$WORK/first.json" "$WORK/second.json"; then pass; else fail "second demo run changed the database"; fi
finish
