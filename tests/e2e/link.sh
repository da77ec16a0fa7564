# link.sh - `joinedup link` over the store: accuracy on synthetic cities of two
# seeds, incremental runs keep person ids, explain/review/decide, bad input.
source "$(dirname "$0")/lib.sh"

# at_least FILE KEY MIN: the "precision=P recall=R f1=F" line has KEY >= MIN.
at_least() {
	local v
	v=$(grep -oE "^precision=.*" "$1" | grep -oE "$2=[0-9.]+" | cut -d= -f2)
	if [[ -n $v ]] && awk -v v="$v" -v m="$3" 'BEGIN { exit !(v >= m) }'; then pass
	else fail "$2=$v, want >= $3"; fi
}

for seed in 7 2026; do
	city="$WORK/city$seed"
	"$JOINEDUP" synth --people 4000 --seed "$seed" --out "$city" >/dev/null
	"$JOINEDUP" import --db "$city.db" "$city" >/dev/null
	expect_status 0 "$JOINEDUP" link --db "$city.db" --truth "$city/truth.csv"
	expect_in "$WORK/out" "model trained in this run"
	[[ $(grep -c "^precision=" "$WORK/out") -eq 1 ]] && pass || fail "not one precision line"
	at_least "$WORK/out" precision 0.995
	at_least "$WORK/out" recall 0.99
	grep -q "^  pairs with a social care record: precision" "$WORK/out" && pass ||
		fail "no social care line"
done

# Incremental: link the health records, then the council's; ids do not move.
city="$WORK/city7"
mkdir "$WORK/health" "$WORK/council"
cp "$city"/*.csv "$WORK/health/"
mv "$WORK/health"/social_care_* "$WORK/health/care_team.csv" "$WORK/council/"
"$JOINEDUP" import --db "$WORK/inc.db" "$WORK/health" >/dev/null
expect_status 0 "$JOINEDUP" link --db "$WORK/inc.db"
sqlite3 "$WORK/inc.db" "SELECT source_record_id, person_id FROM person_member ORDER BY 1" >"$WORK/before"
"$JOINEDUP" import --db "$WORK/inc.db" "$WORK/council" >/dev/null
expect_status 0 "$JOINEDUP" link --db "$WORK/inc.db" --truth "$city/truth.csv"
expect_in "$WORK/out" "model of run 1 used"
at_least "$WORK/out" precision 0.995
at_least "$WORK/out" recall 0.99
sqlite3 "$WORK/inc.db" "SELECT source_record_id, person_id FROM person_member ORDER BY 1" >"$WORK/after"
[[ -z $(comm -23 "$WORK/before" "$WORK/after") ]] && pass || fail "a linked record changed person"
[[ $(wc -l <"$WORK/after") -gt $(wc -l <"$WORK/before") ]] && pass || fail "council records not linked"
expect_status 0 "$JOINEDUP" link --db "$WORK/inc.db"
expect_in "$WORK/out" "nothing to do"

# explain: by id and by ORG:LOCAL_ID, every comparison with its weight.
db="$city.db"
gp=$(sqlite3 "$db" "SELECT o.code || ':' || s.local_id FROM source_record s JOIN organisation o ON o.id = s.org_id WHERE o.kind = 'gp_practice' LIMIT 1")
expect_status 0 "$JOINEDUP" link explain --db "$db" "$gp" 2
for c in nhs_number given_name family_name date_of_birth sex postcode address prior \
	"total match weight" "match probability"; do
	expect_in "$WORK/out" "$c"
done
expect_status 3 "$JOINEDUP" link explain --db "$db" NOSUCH:1 2
expect_in "$WORK/err" 'no organisation "NOSUCH"'
expect_status 2 "$JOINEDUP" link explain --db "$db" 1

# review and decide: who and when are kept; a second decision is refused.
# (A wide review band, so that a small city certainly queues some pairs.)
db="$WORK/review.db"
"$JOINEDUP" import --db "$db" "$city" >/dev/null
expect_status 0 "$JOINEDUP" link --db "$db" --upper 0.99999 --lower 0.5
expect_status 0 "$JOINEDUP" link review --db "$db"
expect_in "$WORK/out" "waiting for review"
pair=$(sqlite3 "$db" "SELECT id FROM link_pair WHERE status = 'review' ORDER BY id LIMIT 1")
if [[ -n $pair ]]; then
	expect_status 0 "$JOINEDUP" link decide --db "$db" "$pair" reject --by "ig.officer" --note "checked"
	expect_in "$WORK/out" "pair $pair rejected by ig.officer at "
	expect_status 3 "$JOINEDUP" link decide --db "$db" "$pair" accept
	expect_in "$WORK/err" "already rejected by ig.officer"
	[[ $(sqlite3 "$db" "SELECT note FROM link_pair WHERE id = $pair") == checked ]] && pass ||
		fail "note not kept"
	# the decision is in the audit log, and the log verifies
	[[ $(sqlite3 "$db" "SELECT actor || ' ' || action || ' ' || what FROM audit_entry") == \
		"ig.officer link.reject link_pair:$pair" ]] && pass || fail "decision not audited"
	expect_status 0 "$JOINEDUP" audit verify --db "$db"
else
	fail "no pair queued for review in a 4000-person city"
fi
linked=$(sqlite3 "$db" "SELECT id FROM link_pair WHERE status = 'linked' LIMIT 1")
expect_status 1 "$JOINEDUP" link decide --db "$db" "$linked" reject --by someone
expect_in "$WORK/err" "not waiting for review"
expect_status 2 "$JOINEDUP" link decide --db "$db" "$pair" maybe

# Bad input: thresholds, truth file, no database.
expect_status 2 "$JOINEDUP" link --db "$db" --upper 1.5
expect_status 2 "$JOINEDUP" link --db "$db" --lower 0.9 --upper 0.5
printf 'source,local_id\nY90001,G1\n' >"$WORK/badtruth.csv"
expect_status 1 "$JOINEDUP" link --db "$db" --truth "$WORK/badtruth.csv"
expect_in "$WORK/err" "$WORK/badtruth.csv:1: person_key: missing column in the header"
expect_status 3 "$JOINEDUP" link --db "$WORK/none.db"
finish
