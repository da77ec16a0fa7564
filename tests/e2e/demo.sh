# demo.sh - `joinedup demo` builds and loads a city, and a second run changes nothing.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$JOINEDUP" demo --dir "$WORK/demo" --people 1500
expect_in "$WORK/out" "== 1. synthesise"
expect_in "$WORK/out" "0 rejected"
expect_in "$WORK/out" "== 3. link the records"
expect_in "$WORK/out" "precision="
expect_in "$WORK/out" "person_member"
"$JOINEDUP" info --db "$WORK/demo/joinedup.db" --json >"$WORK/first.json"
expect_status 0 "$JOINEDUP" demo --dir "$WORK/demo" --people 1500
expect_in "$WORK/out" "0 files imported"
"$JOINEDUP" info --db "$WORK/demo/joinedup.db" --json >"$WORK/second.json"
if cmp -s "$WORK/first.json" "$WORK/second.json"; then pass; else fail "second demo run changed the database"; fi
finish
