# record.sh - the purpose gate on the demo database, end to end: a GP at the
# person's practice sees the joined-up record; a GP elsewhere is denied with
# a reason (exit 3); the same GP breaking glass sees it, flagged, on the
# review list; a national data opt-out keeps a person out of planning and
# research but not direct care; a patient of the practice that does not
# take part has no GP data shared (and the record says why); a citizen's
# change of choice takes effect on the next request; `audit log` lists each
# access, break-glass marked; `audit verify` passes, and fails once a gate
# entry is edited in the database file.
source "$(dirname "$0")/lib.sh"

"$JOINEDUP" demo --no-serve --dir "$WORK/demo" >/dev/null
db="$WORK/demo/joinedup.db"
q() { sqlite3 -batch -noheader "$db" "$1"; }

# People, chosen from the synthetic city by what the scenarios need.
# one GP register record, at Y90001 (takes part), no opt-out of any kind
registered=$(q "SELECT s.nhs_number FROM source_record s JOIN organisation o ON o.id = s.org_id
	WHERE o.code = 'Y90001' AND s.nhs_number IS NOT NULL
	AND s.nhs_number NOT IN (SELECT nhs_number FROM opt_out)
	AND (SELECT count(*) FROM source_record t JOIN organisation k ON k.id = t.org_id
	     WHERE t.nhs_number = s.nhs_number AND k.kind = 'gp_practice') = 1
	ORDER BY s.id LIMIT 1")
# on the national data opt-out list, registered at Y90001
opted_out=$(q "SELECT s.nhs_number FROM source_record s JOIN organisation o ON o.id = s.org_id
	JOIN opt_out x ON x.nhs_number = s.nhs_number AND x.kind = 'national_data_opt_out'
	WHERE o.code = 'Y90001'
	AND (SELECT count(*) FROM source_record t JOIN organisation k ON k.id = t.org_id
	     WHERE t.nhs_number = s.nhs_number AND k.kind = 'gp_practice') = 1
	ORDER BY s.id LIMIT 1")
# registered at Y90003 (does not take part), allocated to an open council team
outside=$(q "SELECT g.nhs_number FROM source_record g JOIN organisation o ON o.id = g.org_id
	JOIN source_record c ON c.nhs_number = g.nhs_number
	JOIN care_team t ON t.source_record_id = c.id AND t.ended_on IS NULL
	JOIN organisation k ON k.id = t.org_id AND k.code = 'E08000035'
	WHERE o.code = 'Y90003' ORDER BY g.id LIMIT 1")
for n in "$registered" "$opted_out" "$outside"; do
	[[ -n $n ]] || { fail "the demo city lacks a person a scenario needs"; finish; }
	expect_status 0 "$JOINEDUP" nhs-number check "$n"
done

add_user() { # USERNAME ROLE (--org CODE | --nhs-number N)
	echo "correct horse battery staple" |
		"$JOINEDUP" user add --db "$db" --username "$1" --role "$2" "$3" "$4" --password-stdin >/dev/null
}
add_user gp.linnet gp --org Y90001
add_user gp.heather gp --org Y90002
add_user sw.leeds social_worker --org E08000035
add_user analyst.leeds analyst --org E08000035
add_user ig.leeds ig_officer --org E08000035
add_user citizen.one citizen --nhs-number "$registered"

show() { # USERNAME PURPOSE NHS [--break-glass REASON]
	local who=$1 purpose=$2 nhs=$3; shift 3
	"$JOINEDUP" record show --db "$db" --as "$who" --purpose "$purpose" --nhs-number "$nhs" "$@"
}

expect_status 0 "$JOINEDUP" record --help
expect_in "$WORK/out" "usage: joinedup record show"

# 1. the GP at the person's practice sees the joined-up record, with sources
expect_status 0 show gp.linnet direct_care "$registered"
expect_in "$WORK/out" '"outcome": "permit"'
expect_in "$WORK/out" '"basis": "registered"'
expect_in "$WORK/out" "\"nhs_number\": \"$registered\""
expect_in "$WORK/out" '"gp": {'
expect_in "$WORK/out" '"file": "gp_patients.csv"'
expect_in "$WORK/out" '"sources": ['
expect_in "$WORK/out" '"care_plans": ['

# 2. a GP elsewhere is denied, with the reason, exit 3, nothing of the record
expect_status 3 show gp.heather direct_care "$registered"
expect_in "$WORK/out" '"outcome": "deny"'
expect_in "$WORK/out" "not registered at your practice"
expect_not_in "$WORK/out" "$registered"
expect_not_in "$WORK/out" '"gp"'
expect_in "$WORK/err" "denied"

# 3. the same GP breaking glass sees it; the access is flagged and waits for review
expect_status 0 show gp.heather direct_care "$registered" \
	--break-glass "Patient collapsed in surgery car park; needs medication list"
expect_in "$WORK/out" '"basis": "break_glass"'
expect_in "$WORK/out" '"break_glass_until"'
expect_status 0 "$JOINEDUP" break-glass list --db "$db"
expect_in "$WORK/out" "gp.heather (gp) at Y90002"
expect_in "$WORK/out" "not yet reviewed"
grant=$(sed -n 's/^grant \([0-9]*\):.*/\1/p' "$WORK/out" | head -1)
expect_status 2 show gp.heather direct_care "$registered" --break-glass "urgent"
expect_status 3 "$JOINEDUP" break-glass review --db "$db" --as gp.linnet --grant "$grant" \
	--outcome appropriate --note "checked"
expect_status 0 "$JOINEDUP" break-glass review --db "$db" --as ig.leeds --grant "$grant" \
	--outcome appropriate --note "Confirmed with the practice: genuine emergency"
expect_status 0 "$JOINEDUP" break-glass list --db "$db"
expect_not_in "$WORK/out" "grant $grant:"

# 4. a national data opt-out: out of planning and research, not direct care
expect_status 3 show analyst.leeds planning "$opted_out"
expect_in "$WORK/out" "national data opt-out"
expect_status 3 show analyst.leeds research "$opted_out"
expect_status 0 show gp.linnet direct_care "$opted_out"
expect_status 0 show analyst.leeds planning "$registered"
expect_in "$WORK/out" '"view": "deidentified"'
expect_not_in "$WORK/out" "$registered"

# 5. the practice that does not take part: the social worker sees the record,
#    but no GP data, and the record says why
expect_status 0 show sw.leeds direct_care "$outside"
expect_in "$WORK/out" '"basis": "care_team"'
expect_not_in "$WORK/out" '"gp": {'
expect_not_in "$WORK/out" '"organisation": "Y90003"'
expect_in "$WORK/out" "does not take part"

# 6. a citizen's change of choice takes effect on the next request
expect_status 0 "$JOINEDUP" consent set --db "$db" --nhs-number "$registered" \
	--purpose direct_care --decision deny --source citizen --by citizen.one
expect_status 3 show gp.linnet direct_care "$registered"
expect_in "$WORK/out" "asked for their information not to be used"
expect_status 0 show citizen.one direct_care "$registered"
expect_in "$WORK/out" '"basis": "self"'
expect_status 0 "$JOINEDUP" consent set --db "$db" --nhs-number "$registered" \
	--purpose direct_care --decision permit --source citizen --by citizen.one
expect_status 0 show gp.linnet direct_care "$registered"

# 7. the person's log lists each access, the break-glass one marked
expect_status 0 "$JOINEDUP" audit log --db "$db" --nhs-number "$registered"
expect_in "$WORK/out" "gp.linnet (gp) at Y90001: record.read"
expect_in "$WORK/out" "gp.heather (gp) at Y90002: record.read record  for direct_care (the person is not registered at your practice"
expect_in "$WORK/out" "** BREAK GLASS: Patient collapsed in surgery car park; needs medication list **"
expect_in "$WORK/out" "ig.leeds (ig_officer) at E08000035: break_glass.review"
expect_in "$WORK/out" "analyst.leeds (analyst) at E08000035: record.read record view=deidentified"
expect_in "$WORK/out" "citizen.one (citizen): record.read"
expect_in "$WORK/out" "consent.set"
[[ $(grep -c "record.read" "$WORK/out") -eq 8 ]] && pass || { fail "want 8 reads in the log"; cat "$WORK/out" >&2; }

# 8. the log verifies, and an edited gate entry is found
expect_status 0 "$JOINEDUP" audit verify --db "$db"
denial=$(q "SELECT id FROM audit_entry WHERE outcome = 'deny' ORDER BY id LIMIT 1")
q "UPDATE audit_entry SET outcome = 'permit' WHERE id = $denial"
expect_status 1 "$JOINEDUP" audit verify --db "$db"
expect_in "$WORK/err" "entry $denial"

finish
