# consent.sh - `joinedup consent` on the fixture city: a person on the national
# data opt-out list (planning and research deny, direct care permit), a patient
# of the practice that does not take part (no GP data, and told why), a citizen
# deny for planning that takes effect at once and is audited, the policy list;
# no NHS numbers or names in the output; invalid numbers exit 1, usage 2.
source "$(dirname "$0")/lib.sh"

db="$WORK/consent.db"
"$JOINEDUP" import --db "$db" "$SRC/tests/data/city" >/dev/null
"$JOINEDUP" link --db "$db" >/dev/null

opted_out=9990000085  # national_opt_outs.csv; GP register at Y90001 (takes part)
beckside=9990000158   # GP register at Y90002, which does not take part (organisations.csv)
plain=9990000018      # no opt-outs

# block PURPOSE: the lines `consent show` printed for one purpose, into $WORK/block
block() { awk -v p="$1:" '$1 == p { f = 1; print; next } /^[a-z_]+:/ { f = 0 } f' \
	"$WORK/out" >"$WORK/block"; }

expect_status 0 "$JOINEDUP" consent --help
expect_in "$WORK/out" "usage: joinedup consent show"

# the national data opt-out: used for direct care only
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$opted_out"
expect_not_in "$WORK/out" "$opted_out"
expect_not_in "$WORK/out" "Bram"
expect_not_in "$WORK/out" "Testperson"
block direct_care
expect_in "$WORK/block" "direct_care: permit"
expect_in "$WORK/block" "GP data: included"
block planning
expect_in "$WORK/block" "planning: deny"
expect_in "$WORK/block" "You have registered a national data opt-out, so your information is not used for planning."
expect_in "$WORK/block" "GP data: not included"
block research
expect_in "$WORK/block" "research: deny"
expect_in "$WORK/block" "specific consent"

# the practice that does not take part: no GP data, and the citizen is told
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$beckside"
expect_not_in "$WORK/out" "$beckside"
expect_not_in "$WORK/out" "Cleo"
block direct_care
expect_in "$WORK/block" "direct_care: permit"
expect_in "$WORK/block" "Your GP practice does not take part in the joined-up record, so your GP record is not shared."
expect_in "$WORK/block" "GP data: not included"
expect_in "$WORK/block" "social care data: included"
block planning
expect_in "$WORK/block" "type 1 objection"
# having said yes to research, still no GP data, and told so honestly
expect_status 0 "$JOINEDUP" consent set --db "$db" --nhs-number "$beckside" --purpose research \
	--decision permit --source citizen --by cit.cleo --evidence "online form"
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$beckside"
block research
expect_in "$WORK/block" "research: permit"
expect_in "$WORK/block" "so your GP record is not shared even though you agreed"
expect_in "$WORK/block" "GP data: not included"

# a citizen deny for planning takes effect at once, and is in the audit log
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$plain"
block planning
expect_in "$WORK/block" "planning: permit"
expect_status 0 "$JOINEDUP" consent set --db "$db" --nhs-number "$plain" --purpose planning \
	--decision deny --source citizen --by cit.ada
expect_in "$WORK/out" "recorded: citizen deny for planning"
expect_not_in "$WORK/out" "$plain"
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$plain"
block planning
expect_in "$WORK/block" "planning: deny"
expect_in "$WORK/block" "You asked for your information not to be used for planning."
block direct_care
expect_in "$WORK/block" "direct_care: permit"
expect_status 0 "$JOINEDUP" audit log --db "$db" --nhs-number "$plain"
expect_in "$WORK/out" "consent.set"
expect_status 0 "$JOINEDUP" audit verify --db "$db"
expect_in "$WORK/out" "audit: 2 entries"
# opting back in to every purpose cancels the deny (latest wins)
expect_status 0 "$JOINEDUP" consent set --db "$db" --nhs-number "$plain" --purpose all \
	--decision permit --source citizen --by cit.ada
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$plain"
block planning
expect_in "$WORK/block" "planning: permit"
# ... but never a national data opt-out, and the citizen is told
expect_status 0 "$JOINEDUP" consent set --db "$db" --nhs-number "$opted_out" --purpose planning \
	--decision permit --source citizen --by cit.bram
expect_status 0 "$JOINEDUP" consent show --db "$db" --nhs-number "$opted_out"
block planning
expect_in "$WORK/block" "planning: deny"
expect_in "$WORK/block" "does not override your national data opt-out"

# the policy
expect_status 0 "$JOINEDUP" consent policy --db "$db"
[[ $(wc -l <"$WORK/out") -eq 4 ]] && pass || fail "policy: want 4 flows"
expect_in "$WORK/out" "planning and commissioning"

# invalid data: exit 1, the number never echoed
expect_status 1 "$JOINEDUP" consent show --db "$db" --nhs-number 9990000019
expect_in "$WORK/err" "not a valid NHS number"
expect_not_in "$WORK/err" "9990000019"
expect_status 1 "$JOINEDUP" consent set --db "$db" --nhs-number 123 --purpose planning \
	--decision deny --source citizen --by x
expect_not_in "$WORK/err" "123"

# usage: exit 2
expect_status 2 "$JOINEDUP" consent
expect_status 2 "$JOINEDUP" consent frobnicate --db "$db"
expect_status 2 "$JOINEDUP" consent show --nhs-number "$plain"
expect_status 2 "$JOINEDUP" consent show --db "$db"
expect_status 2 "$JOINEDUP" consent show --db "$db" --nhs-number "$plain" extra
expect_status 2 "$JOINEDUP" consent show --db "$db" --bogus
expect_status 2 "$JOINEDUP" consent set --db "$db" --nhs-number "$plain" --purpose marketing \
	--decision deny --source citizen
expect_status 2 "$JOINEDUP" consent set --db "$db" --nhs-number "$plain" --purpose planning \
	--decision maybe --source citizen
expect_status 2 "$JOINEDUP" consent set --db "$db" --nhs-number "$plain" --purpose planning \
	--decision deny --source gp
expect_status 2 "$JOINEDUP" consent set --db "$db" --nhs-number "$plain" --purpose planning
# a failed or refused set wrote nothing
[[ $(sqlite3 "$db" "SELECT count(*) FROM consent_decision") -eq 4 ]] && pass ||
	fail "want 4 consent decisions"
# the store is missing: exit 3
expect_status 3 "$JOINEDUP" consent policy --db "$WORK/nothing.db"
finish
