# nhs_number.sh - `joinedup nhs-number check` on the examples in RULES.md.
source "$(dirname "$0")/lib.sh"

expect_status 0 "$JOINEDUP" nhs-number check 9434765919 9000000009 9990000050 "943 476 5919"
for n in 9434765919 9000000009 9990000050 "943 476 5919"; do expect_in "$WORK/out" "$n: valid"; done

for n in 9990000000 9990000001 9990000002 9990000003 9990000004 9990000005 9990000006 \
	9990000007 9990000008 9990000009 9991234560 9876544321; do
	expect_status 1 "$JOINEDUP" nhs-number check "$n"
	expect_in "$WORK/out" "$n: invalid: "
done
expect_status 1 "$JOINEDUP" nhs-number check 9434765919 12345
expect_in "$WORK/out" "9434765919: valid"
expect_in "$WORK/out" "12345: invalid: must be 10 digits"
expect_status 1 "$JOINEDUP" nhs-number check 943476591X
expect_status 2 "$JOINEDUP" nhs-number check
expect_status 2 "$JOINEDUP" nhs-number verify 9434765919
finish
