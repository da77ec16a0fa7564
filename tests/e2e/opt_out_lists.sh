# opt_out_lists.sh - a newer opt-out list replaces the one before it: who
# left the list is no longer opted out, who joined is, and every change is
# recorded; a GP objection list replaces only its own practices' rows.
source "$(dirname "$0")/lib.sh"

db="$WORK/city.db"
"$JOINEDUP" import --db "$db" "$SRC/tests/data/city" >/dev/null

planning() { # planning: permit|deny for an NHS number
	"$JOINEDUP" consent show --db "$db" --nhs-number "$1" | grep "^planning:" | cut -d' ' -f2
}
[[ $(planning 9990000085) == deny ]] && pass || fail "the listed person is not opted out"
[[ $(planning 9990000018) == permit ]] && pass || fail "an unlisted person is opted out"

# December's national list: 9990000085 has left it, 9990000018 has joined
mkdir "$WORK/dec"
printf 'nhs_number,recorded_on\n9990000018,2026-11-02\n' >"$WORK/dec/national_opt_outs_2026-12.csv"
expect_status 0 "$JOINEDUP" import --db "$db" "$WORK/dec/national_opt_outs_2026-12.csv"
[[ $(planning 9990000085) == permit ]] && pass || fail "a withdrawn opt-out still counts"
[[ $(planning 9990000018) == deny ]] && pass || fail "a new opt-out does not count"
changes=$(sqlite3 "$db" "SELECT c.change || ' ' || c.nhs_number FROM opt_out_change c
	JOIN import_file f ON f.id = c.file_id WHERE f.name = 'national_opt_outs_2026-12.csv'
	ORDER BY 1")
[[ $changes == $'added 9990000018\nremoved 9990000085' ]] && pass ||
	fail "changes not recorded: $changes"
# the earlier row stays, marked as withdrawn by the newer file
[[ $(sqlite3 "$db" "SELECT count(*) FROM opt_out WHERE nhs_number = '9990000085'
	AND withdrawn_file_id IS NOT NULL") -eq 1 ]] && pass || fail "withdrawn row not kept"

# a GP objection list for one practice leaves the other practices' lists alone
before=$(sqlite3 "$db" "SELECT count(*) FROM opt_out WHERE kind = 'gp_type1' AND withdrawn_file_id IS NULL")
printf 'practice_code,nhs_number,recorded_on\nY90001,9990000018,2026-11-03\n' \
	>"$WORK/dec/gp_objections_y90001.csv"
expect_status 0 "$JOINEDUP" import --db "$db" "$WORK/dec/gp_objections_y90001.csv"
after=$(sqlite3 "$db" "SELECT count(*) FROM opt_out WHERE kind = 'gp_type1' AND withdrawn_file_id IS NULL")
[[ $after -eq $((before + 1)) ]] && pass || fail "another practice's objections were withdrawn"

# a rejected list changes nothing
printf 'nhs_number,recorded_on\n1234567890,2026-11-02\n' >"$WORK/dec/national_opt_outs_bad.csv"
expect_status 1 "$JOINEDUP" import --db "$db" "$WORK/dec/national_opt_outs_bad.csv"
[[ $(planning 9990000018) == deny ]] && pass || fail "a rejected list changed the opt-outs"
finish
