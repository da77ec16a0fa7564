# synth_import.sh - a synthetic city is deterministic, and imports cleanly.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$JOINEDUP" synth --people 2500 --seed 7 --out "$WORK/a"
expect_status 0 "$JOINEDUP" synth --people 2500 --seed 7 --out "$WORK/b"
if diff -r "$WORK/a" "$WORK/b" >/dev/null; then pass; else fail "same seed gave different files"; fi
expect_status 0 "$JOINEDUP" synth --people 2500 --seed 8 --out "$WORK/c"
if cmp -s "$WORK/a/gp_patients.csv" "$WORK/c/gp_patients.csv"; then fail "seeds 7 and 8 gave the same city"; else pass; fi
for f in organisations gp_patients social_care_clients truth; do
	[[ -s "$WORK/a/$f.csv" ]] && pass || fail "$f.csv missing or empty"
done
expect_in "$WORK/a/gp_patients.csv" "nhs_number,given_name,family_name,dob,sex,postcode,practice_code"
head -1 "$WORK/a/truth.csv" >"$WORK/truth_header"
expect_in "$WORK/truth_header" "source,local_id,person_key"

expect_status 0 "$JOINEDUP" import --db "$WORK/city.db" "$WORK/a"
expect_in "$WORK/out" "0 rejected"
"$JOINEDUP" info --db "$WORK/city.db" --json >"$WORK/info.json"
records=$(sqlite3 "$WORK/city.db" "SELECT count(*) FROM source_record")
truth=$(($(wc -l <"$WORK/a/truth.csv") - 1))
[[ "$records" -eq "$truth" ]] && pass || fail "source records $records, truth rows $truth"
# Every GP record carries a check-valid 999-range NHS number.
bad=$(sqlite3 "$WORK/city.db" "SELECT count(*) FROM source_record s JOIN organisation o ON o.id = s.org_id
	WHERE o.kind = 'gp_practice' AND (s.nhs_number_status <> 'valid' OR s.nhs_number NOT LIKE '999%')")
[[ "$bad" -eq 0 ]] && pass || fail "$bad GP records without a valid 999-range NHS number"
finish
