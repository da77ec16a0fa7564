# audit.sh - `joinedup audit`: keygen, append, checkpoint, prove and
# verify-proof, verify; then an edited, a deleted and two swapped audit_entry
# rows (raw sqlite3, on copies of the database) make verify exit 1 naming the
# entry, a person run row for a block not yet full naming the block; a
# modified proof fails; log lists a person's entries. The person index is
# audit_person_run, not an index on every entry.
source "$(dirname "$0")/lib.sh"

city="$WORK/city"
db="$WORK/audit.db"
"$JOINEDUP" synth --people 300 --seed 3 --out "$city" >/dev/null
"$JOINEDUP" import --db "$db" "$city" >/dev/null
"$JOINEDUP" link --db "$db" >/dev/null
nhs=$(sqlite3 "$db" "SELECT s.nhs_number FROM source_record s JOIN person_member m ON m.source_record_id = s.id WHERE s.nhs_number_status = 'valid' ORDER BY s.id LIMIT 1")
[[ -n $nhs ]] && pass || fail "no linked record with a valid NHS number"
[[ $(sqlite3 "$db" "SELECT group_concat(name) FROM sqlite_schema WHERE name IN ('audit_entry_person', 'audit_person_run')") == audit_person_run ]] &&
	pass || fail "audit_person_run should replace the index audit_entry_person"

expect_status 0 "$JOINEDUP" audit --help
expect_in "$WORK/out" "for systems without the purpose gate yet and for tests"
expect_status 2 "$JOINEDUP" audit
expect_status 2 "$JOINEDUP" audit frobnicate
expect_status 2 "$JOINEDUP" audit prove --db "$db"

expect_status 0 "$JOINEDUP" audit keygen --name joinedup/audit --private "$WORK/k.priv" --public "$WORK/k.pub"
expect_status 3 "$JOINEDUP" audit keygen --name joinedup/audit --private "$WORK/k.priv" --public "$WORK/k2.pub"

expect_status 0 "$JOINEDUP" audit verify --db "$db"
expect_in "$WORK/out" "audit: 0 entries, 0 checkpoints, chain and tree intact"
expect_status 1 "$JOINEDUP" audit checkpoint --db "$db" --key "$WORK/k.priv"

append() { expect_status 0 "$JOINEDUP" audit append --db "$db" "$@"; }
append --actor dr.okafor --role gp --org Y90001 --purpose direct_care --action read \
	--what gp_record --outcome permit --nhs-number "$nhs"
append --actor analyst.x --purpose research --action read --outcome deny \
	--reason "no consent" --nhs-number "$nhs"
append --actor linkage --purpose linkage --action link.run --outcome done
append --actor dr.ash --role ed --org R9A --purpose direct_care --action read --what summary \
	--outcome permit --break-glass "unconscious in A&E" --nhs-number "$nhs"
expect_in "$WORK/out" "audit: entry 4 appended"
expect_status 1 "$JOINEDUP" audit append --db "$db" --actor a --purpose p --action x --outcome maybe
expect_in "$WORK/err" "outcome: must be permit, deny or done"
expect_status 2 "$JOINEDUP" audit append --db "$db" --actor a --purpose p --action x
expect_status 1 "$JOINEDUP" audit append --db "$db" --actor a --purpose p --action x --outcome done --nhs-number 123
expect_not_in "$WORK/err" "123"

expect_status 0 "$JOINEDUP" audit checkpoint --db "$db" --key "$WORK/k.priv"
expect_in "$WORK/out" "joinedup/audit"
expect_status 3 "$JOINEDUP" audit checkpoint --db "$db" --key "$WORK/k.priv"
expect_in "$WORK/err" "already has a checkpoint at size 4"
append --actor dr.okafor --purpose direct_care --action read --outcome permit --nhs-number "$nhs"
expect_status 0 "$JOINEDUP" audit checkpoint --db "$db" --key "$WORK/k.priv"

# proofs, checked with only the public key
expect_status 0 "$JOINEDUP" audit prove --db "$db" --entry 2
cp "$WORK/out" "$WORK/incl.proof"
expect_status 0 "$JOINEDUP" audit verify-proof --key "$WORK/k.pub" "$WORK/incl.proof"
expect_in "$WORK/out" "proof holds: entry 2 is in the log \"joinedup/audit\" of 5 entries"
expect_status 0 "$JOINEDUP" audit prove --db "$db" --from-size 4
cp "$WORK/out" "$WORK/cons.proof"
expect_status 0 "$JOINEDUP" audit verify-proof --key "$WORK/k.pub" "$WORK/cons.proof"
expect_in "$WORK/out" "extends its first 4"
expect_status 3 "$JOINEDUP" audit prove --db "$db" --entry 6
expect_status 3 "$JOINEDUP" audit prove --db "$db" --from-size 3
sed 's/^actor analyst.x$/actor analyst.y/' "$WORK/incl.proof" >"$WORK/bad.proof"
cmp -s "$WORK/incl.proof" "$WORK/bad.proof" && fail "sed changed nothing" || pass
expect_status 1 "$JOINEDUP" audit verify-proof --key "$WORK/k.pub" "$WORK/bad.proof"
expect_in "$WORK/err" "entry 2 is not in the signed tree"
sed 's/^tree_size 5$/tree_size 4/' "$WORK/incl.proof" >"$WORK/bad.proof"
expect_status 1 "$JOINEDUP" audit verify-proof --key "$WORK/k.pub" "$WORK/bad.proof"
"$JOINEDUP" audit keygen --name other --private "$WORK/o.priv" --public "$WORK/o.pub" >/dev/null
expect_status 1 "$JOINEDUP" audit verify-proof --key "$WORK/o.pub" "$WORK/incl.proof"

expect_status 0 "$JOINEDUP" audit verify --db "$db" --key "$WORK/k.pub"
expect_in "$WORK/out" "audit: 5 entries, 2 checkpoints (signatures checked), chain and tree intact"

# tampering with raw SQL, each on a copy
tamper() { # NAME SQL WANT-IN-STDERR
	local copy="$WORK/$1.db"
	sqlite3 "$db" ".backup '$copy'"
	sqlite3 "$copy" "$2"
	expect_status 1 "$JOINEDUP" audit verify --db "$copy" --key "$WORK/k.pub"
	expect_in "$WORK/err" "$3"
}
cols="recorded_at, actor, role, org_code, purpose, person_id, action, what, outcome, reason, break_glass, request_id, prev_hash, leaf_hash"
tamper edit "UPDATE audit_entry SET actor = 'dr.evil' WHERE id = 3" "audit entry 3 was altered"
tamper edit_outcome "UPDATE audit_entry SET outcome = 'permit' WHERE id = 2" "audit entry 2 was altered"
tamper edit_glass "UPDATE audit_entry SET break_glass = NULL WHERE id = 4" "audit entry 4 was altered"
tamper edit_prev "UPDATE audit_entry SET prev_hash = leaf_hash WHERE id = 3" "audit entry 3 was altered"
tamper delete "DELETE FROM audit_entry WHERE id = 2" "audit entry 2 was removed"
tamper delete_last "DELETE FROM audit_entry WHERE id = 5" "audit entry 5 was removed"
tamper swap "CREATE TEMP TABLE t AS SELECT * FROM audit_entry WHERE id IN (2, 4);
	UPDATE audit_entry SET ($cols) = (SELECT $cols FROM t WHERE t.id = 6 - audit_entry.id)
	WHERE id IN (2, 4);" "audit entry 2 was altered"
tamper run "INSERT INTO audit_person_run SELECT 0, person_id, id FROM audit_entry WHERE id = 1" \
	"audit person run of block 0: the block is not full"
tamper checkpoint "UPDATE audit_checkpoint SET root = (SELECT root FROM audit_checkpoint WHERE id = 2) WHERE id = 1" "audit checkpoint 1"

# the citizen's view: references only
expect_status 0 "$JOINEDUP" audit log --db "$db" --nhs-number "$nhs"
[[ $(grep -c '\[entry ' "$WORK/out") -eq 4 ]] && pass || fail "log does not list 4 entries"
expect_in "$WORK/out" "dr.okafor (gp) at Y90001: read gp_record  for direct_care  -> permit"
expect_in "$WORK/out" "for research (no consent)  -> deny"
expect_in "$WORK/out" "** BREAK GLASS: unconscious in A&E **"
expect_not_in "$WORK/out" "link.run"
expect_not_in "$WORK/out" "$nhs"
expect_status 1 "$JOINEDUP" audit log --db "$db" --nhs-number 1234567890
expect_status 2 "$JOINEDUP" audit log --db "$db"

finish
