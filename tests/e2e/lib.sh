# tests/e2e/lib.sh - helpers for end-to-end tests that drive the real binary.
# Each test: `source "$(dirname "$0")/lib.sh"`, then use $JOINEDUP, $WORK, expect_*.
set -euo pipefail

JOINEDUP=${JOINEDUP:?set JOINEDUP to the joinedup binary}
SRC=${JUP_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORK=$(mktemp -d /tmp/jup-e2e-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

# expect_status WANT CMD...: run CMD, keep stdout/stderr in $WORK/out, $WORK/err.
expect_status() {
	local want=$1; shift
	local got=0
	"$@" >"$WORK/out" 2>"$WORK/err" || got=$?
	if [[ $got -ne $want ]]; then
		fail "exit $got, want $want: $*"; sed 's/^/  | /' "$WORK/err" >&2
	else
		pass
	fi
}

# expect_in FILE TEXT: FILE contains TEXT (fixed string).
expect_in() {
	if grep -qF -- "$2" "$1"; then pass; else fail "\"$2\" not in $(basename "$1")"; sed 's/^/  | /' "$1" | head -20 >&2; fi
}

# expect_not_in FILE TEXT
expect_not_in() {
	if grep -qF -- "$2" "$1"; then fail "\"$2\" unexpectedly in $(basename "$1")"; else pass; fi
}

finish() {
	echo "$checks passed, $failures failed"
	[[ $failures -eq 0 ]]
}
