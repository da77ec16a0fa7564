# link_files.sh - `joinedup link-files`: known pairs are found, strangers are not,
# bad input is refused with FILE:LINE, and a synthetic city links accurately.
source "$(dirname "$0")/lib.sh"

HEADER="id,nhs_number,given_name,family_name,dob,sex,postcode,address"
{
	echo "$HEADER"
	echo "L1,9990000018,Margaret,Oyelaran-Whitfield,1941-03-12,F,LS6 2AB,1 Larch Grove"
	echo "L2,,Jonathan,Pemberton-Hale,1950-07-30,M,LS9 7QT,\"Flat 2, Beck Court\""
	echo "L3,9990000158,Zoë,Quartermaine,1988-12-01,F,LS1 3EX,7 Mill Lane"
	echo "L4,,Ahmed,Sample,1975-05-05,M,LS12 4PQ,22 Oak Road"
} >"$WORK/left.csv"
{
	echo "id,address,postcode,sex,dob,family_name,given_name,nhs_number"
	echo "R1,1 Larch Grove,LS6 2AB,F,1941-12-03,Whitfield,Peggy,"
	echo "R2,\"Flat 2, Beck Court\",LS9 7QT,M,1950-07-30,Pemberton Hale,Jon,"
	echo "R3,7 Mill Lane,LS1 3EX,F,1988-12-01,Quartermain,Zoe,9990000158"
	echo "R4,99 Elm Street,LS25 1AA,F,1932-01-19,Brown,Edith,"
} >"$WORK/right.csv"

expect_status 0 "$JOINEDUP" link-files --left "$WORK/left.csv" --right "$WORK/right.csv" \
	--out "$WORK/pairs.csv" --threshold 0.5
head -1 "$WORK/pairs.csv" >"$WORK/header"
expect_in "$WORK/header" "left_id,right_id,match_probability,match_weight"
expect_in "$WORK/pairs.csv" "L2,R2,"
expect_in "$WORK/pairs.csv" "L3,R3,"
expect_not_in "$WORK/pairs.csv" "L4,R4"
expect_not_in "$WORK/pairs.csv" "L4,"
expect_status 0 "$JOINEDUP" link-files --dedupe "$WORK/left.csv" --out "$WORK/dupes.csv"
[[ $(wc -l <"$WORK/dupes.csv") -eq 1 ]] && pass || fail "strangers paired in a dedupe"

# Bad input: the whole file is refused, with its line, and no output is written.
{
	echo "$HEADER"
	echo ",9990000018,Ann,Sample,1941-03-12,F,LS6 2AB,"
	echo "L9,9990000018,Ann,Sample"
} >"$WORK/bad.csv"
expect_status 1 "$JOINEDUP" link-files --left "$WORK/bad.csv" --right "$WORK/right.csv" --out "$WORK/none.csv"
expect_in "$WORK/err" "$WORK/bad.csv:2: id: required, but blank"
expect_in "$WORK/err" "$WORK/bad.csv:3: row: "
[[ ! -e "$WORK/none.csv" ]] && pass || fail "output written for a refused input"
echo "name,dob" >"$WORK/badhead.csv"
expect_status 1 "$JOINEDUP" link-files --dedupe "$WORK/badhead.csv" --out "$WORK/none.csv"
expect_in "$WORK/err" "badhead.csv:1: header: unknown column \"name\""
expect_status 2 "$JOINEDUP" link-files --left "$WORK/left.csv" --out "$WORK/x.csv"
expect_status 2 "$JOINEDUP" link-files --dedupe "$WORK/left.csv" --right "$WORK/right.csv" --out "$WORK/x.csv"
expect_status 2 "$JOINEDUP" link-files --dedupe "$WORK/left.csv" --out "$WORK/x.csv" --threshold 1.5

# A synthetic city: GP register against the council's case files.
LINK_TOOL=${LINK_TOOL:-$(dirname "$JOINEDUP")/bench/link_tool}
expect_status 0 "$JOINEDUP" synth --people 6000 --seed 3 --out "$WORK/city"
mkdir "$WORK/link"
expect_status 0 "$LINK_TOOL" convert "$WORK/city" "$WORK/link"
expect_status 0 "$JOINEDUP" link-files --left "$WORK/link/gp.csv" --right "$WORK/link/social.csv" \
	--out "$WORK/city_pairs.csv"
expect_status 0 "$LINK_TOOL" score "$WORK/city/truth.csv" "$WORK/city_pairs.csv" \
	"$WORK/link/gp.csv" "$WORK/link/social.csv"
cat "$WORK/out"
read -r precision recall < <(sed -E 's/precision=([0-9.]+) recall=([0-9.]+).*/\1 \2/' "$WORK/out")
awk -v p="$precision" -v r="$recall" 'BEGIN { exit !(p >= 0.99 && r >= 0.97) }' && pass ||
	fail "accuracy below precision 0.99 / recall 0.97: $(cat "$WORK/out")"
finish
