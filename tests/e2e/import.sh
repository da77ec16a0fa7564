# import.sh - the fixture city imports; a corrupted extract is rejected with the
# exact file and line and leaves the database byte-for-byte as it was; re-import
# does nothing; a database from a newer joinedup is refused.
source "$(dirname "$0")/lib.sh"

DB="$WORK/city.db"
expect_status 0 "$JOINEDUP" import --db "$DB" "$SRC/tests/data/city"
expect_in "$WORK/out" "gp_patients.csv: imported 3 rows (gp_patients)"
expect_in "$WORK/out" "16 files imported"
"$JOINEDUP" info --db "$DB" --json >"$WORK/before.json"
expect_in "$WORK/before.json" '"source_record":8'

# Importing the same files again is recognised and changes nothing.
expect_status 0 "$JOINEDUP" import --db "$DB" "$SRC/tests/data/city"
expect_in "$WORK/out" "already imported"
expect_in "$WORK/out" "0 files imported"

# A corrupted GP extract: bad NHS number, impossible date, unknown practice.
mkdir "$WORK/bad"
{
	echo "practice_code,local_id,nhs_number,given_name,family_name,dob,sex,postcode,address,registered_on"
	echo "Y90001,G300001,9990000298,Erin,Sample,1970-01-01,F,LS6 2AB,,2000-01-01"
	echo "Y90001,G300002,9990000299,Fred,Sample,1971-01-01,M,LS6 2AB,,2000-01-01"
	echo "Y90001,G300003,9990000360,Gwen,Sample,1972-02-30,F,LS6 2AB,,2000-01-01"
	echo "Y12345,G300004,9990000433,Huw,Sample,1973-01-01,M,LS6 2AB,,2000-01-01"
} >"$WORK/bad/gp_patients.csv"
expect_status 1 "$JOINEDUP" import --db "$DB" "$WORK/bad/gp_patients.csv"
expect_in "$WORK/err" "$WORK/bad/gp_patients.csv:3: nhs_number: check digit does not match (modulus 11)"
expect_in "$WORK/err" "$WORK/bad/gp_patients.csv:4: dob: no such calendar date"
expect_in "$WORK/err" "$WORK/bad/gp_patients.csv:5: practice_code: unknown organisation code \"Y12345\""
expect_in "$WORK/err" "rejected: 3 problems; nothing from this file was imported"
expect_not_in "$WORK/err" "Fred"
"$JOINEDUP" info --db "$DB" --json >"$WORK/after.json"
if cmp -s "$WORK/before.json" "$WORK/after.json"; then pass; else fail "info --json changed after a rejected import"; fi

# A database written by a newer joinedup is refused with a clear message.
cp "$DB" "$WORK/newer.db"
sqlite3 "$WORK/newer.db" "PRAGMA user_version = 999"
expect_status 3 "$JOINEDUP" info --db "$WORK/newer.db"
expect_in "$WORK/err" "schema version 999, newer than this joinedup understands"
finish
