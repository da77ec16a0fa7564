# user.sh - `joinedup user`: staff and citizen accounts, the rules for them,
# and passwords that never reach the command line, the database or the output.
source "$(dirname "$0")/lib.sh"

db="$WORK/users.db"
"$JOINEDUP" import --db "$db" "$SRC/tests/data/city/organisations.csv" >/dev/null
pw="correct horse battery staple"

echo "$pw" >"$WORK/pw"
expect_status 0 "$JOINEDUP" user add --db "$db" --username dr.ada --role gp --org Y90001 \
	--password-stdin <"$WORK/pw"
expect_in "$WORK/out" "user dr.ada added (gp"
expect_status 0 "$JOINEDUP" user add --db "$db" --username cit.bo --role citizen \
	--nhs-number 9990000018 --password-stdin <"$WORK/pw"
expect_status 3 "$JOINEDUP" user add --db "$db" --username dr.ada --role gp --org Y90001 \
	--password-stdin <"$WORK/pw"
expect_in "$WORK/err" "taken"
expect_status 1 "$JOINEDUP" user add --db "$db" --username sw.cy --role social_worker \
	--org Y90001 --password-stdin <"$WORK/pw"
expect_in "$WORK/err" "a social_worker cannot belong to a gp_practice"
expect_status 1 "$JOINEDUP" user add --db "$db" --username cit.x --role citizen \
	--nhs-number 9990000019 --password-stdin <"$WORK/pw"
expect_status 2 "$JOINEDUP" user add --db "$db" --username gp.x --role gp --org Y90001
expect_in "$WORK/err" "--password-stdin is required"
expect_status 2 "$JOINEDUP" user add --db "$db" --username gp.x --role surgeon --org Y90001 \
	--password-stdin <"$WORK/pw"
echo "short" | { expect_status 1 "$JOINEDUP" user add --db "$db" --username gp.s --role gp \
	--org Y90001 --password-stdin; }
expect_not_in "$WORK/err" "short"

# systems sign in with client credentials: a secret of at least 32 bytes, never a citizen
secret="sys-secret-0123456789abcdef0123456789"
echo "$secret" >"$WORK/secret"
expect_status 0 "$JOINEDUP" user add --db "$db" --username sys.risk --role analyst \
	--org E08000035 --system --password-stdin <"$WORK/secret"
expect_in "$WORK/out" "system sys.risk added (analyst"
expect_status 1 "$JOINEDUP" user add --db "$db" --username sys.short --role analyst \
	--org E08000035 --system --password-stdin <"$WORK/pw"
expect_in "$WORK/err" "client secret: 32 to 512 bytes"
expect_not_in "$WORK/err" "$pw"
expect_status 1 "$JOINEDUP" user add --db "$db" --username sys.cit --role citizen \
	--nhs-number 9990000026 --system --password-stdin <"$WORK/secret"
expect_in "$WORK/err" "a system cannot be a citizen"

expect_status 0 "$JOINEDUP" user list --db "$db"
expect_in "$WORK/out" "dr.ada"
expect_in "$WORK/out" "Y90001"
expect_not_in "$WORK/out" "9990000018"
[[ $(grep -c ' system ' "$WORK/out") -eq 1 && $(grep -c ' person ' "$WORK/out") -eq 2 ]] &&
	pass || fail "user list does not show each user's kind"
[[ $(sqlite3 "$db" "SELECT kind FROM app_user WHERE username = 'sys.risk'") == system ]] &&
	pass || fail "the system is not stored as one"
# only an Argon2id hash is stored
[[ $(sqlite3 "$db" "SELECT count(*) FROM app_user WHERE password_hash LIKE '\$argon2id\$%'") -eq 3 ]] &&
	pass || fail "passwords not stored as Argon2id hashes"
if grep -qa "$pw" "$db"; then fail "the password is in the database file"; else pass; fi
if grep -qa "$secret" "$db"; then fail "the client secret is in the database file"; else pass; fi
finish
