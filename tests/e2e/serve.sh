# serve.sh - `joinedup serve` on the command line: help, config file errors
# ("FILE:LINE: key: reason", exit 2), --listen errors (exit 2), an address
# already in use (exit 3), and a clean stop on SIGTERM. The HTTP API itself
# is tested by tests/e2e/server.c.
source "$(dirname "$0")/lib.sh"

db="$WORK/serve.db"
"$JOINEDUP" import --db "$db" "$SRC/tests/data/city/organisations.csv" >/dev/null

expect_status 0 "$JOINEDUP" serve --help
expect_in "$WORK/out" "usage: joinedup serve --db FILE"
expect_in "$WORK/out" "SIGTERM"

# config files: the first bad line named, exit 2, nothing started
printf '# test settings\nport = 8080\nrate_per_token = fast\n' >"$WORK/bad.conf"
expect_status 2 "$JOINEDUP" serve --db "$db" --config "$WORK/bad.conf"
expect_in "$WORK/err" "$WORK/bad.conf:3: rate_per_token: expected a number of requests"
printf 'threads = 2\ncolour = blue\n' >"$WORK/unknown.conf"
expect_status 2 "$JOINEDUP" serve --db "$db" --config "$WORK/unknown.conf"
expect_in "$WORK/err" "$WORK/unknown.conf:2: colour: unknown setting"
printf 'just words\n' >"$WORK/nokey.conf"
expect_status 2 "$JOINEDUP" serve --db "$db" --config "$WORK/nokey.conf"
expect_in "$WORK/err" "$WORK/nokey.conf:1: expected \"key = value\""
printf 'token_lifetime = 0\n' >"$WORK/range.conf"
expect_status 2 "$JOINEDUP" serve --db "$db" --config "$WORK/range.conf"
expect_in "$WORK/err" "$WORK/range.conf:1: token_lifetime: expected a whole number from 1 to 43200"
printf 'tls_cert = %s/cert.pem\n' "$WORK" >"$WORK/half-tls.conf"
expect_status 2 "$JOINEDUP" serve --db "$db" --config "$WORK/half-tls.conf"
expect_in "$WORK/err" "tls_cert, tls_key: give both files or neither"
expect_status 3 "$JOINEDUP" serve --db "$db" --config "$WORK/no-such.conf"
expect_in "$WORK/err" "no-such.conf"

# --listen and other flags
expect_status 2 "$JOINEDUP" serve --db "$db" --listen 127.0.0.1
expect_in "$WORK/err" "--listen: expected HOST:PORT"
expect_status 2 "$JOINEDUP" serve --db "$db" --listen 127.0.0.1:99999
expect_in "$WORK/err" "--listen: port: expected a whole number from 0 to 65535"
expect_status 2 "$JOINEDUP" serve --db "$db" --listen 127.0.0.1:http
expect_in "$WORK/err" "--listen: port"
expect_status 2 "$JOINEDUP" serve --db "$db" --listen myhost.example:8080
expect_in "$WORK/err" "host: \"myhost.example\" is not an IPv4 or IPv6 address"
expect_status 2 "$JOINEDUP" serve --listen 127.0.0.1:0
expect_in "$WORK/err" "db: no database given"
expect_status 2 "$JOINEDUP" serve --db "$db" --bogus
expect_status 2 "$JOINEDUP" serve --db "$db" extra

# a server on a free port; a second one on the same port cannot listen
"$JOINEDUP" serve --db "$db" --listen 127.0.0.1:0 --port-file "$WORK/port" \
	--access-log "$WORK/access.log" >"$WORK/serve.out" 2>&1 &
pid=$!
for _ in $(seq 300); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
port=$(cat "$WORK/port" 2>/dev/null || echo 0)
if [[ $port -gt 0 ]]; then pass; else fail "no port file"; fi
expect_status 3 "$JOINEDUP" serve --db "$db" --listen "127.0.0.1:$port"
expect_in "$WORK/err" "could not listen on 127.0.0.1 port $port"
expect_status 0 kill -TERM "$pid"
got=0
wait "$pid" || got=$?
if [[ $got -eq 0 ]]; then pass; else fail "serve exited $got on SIGTERM, want 0"; cat "$WORK/serve.out" >&2; fi
expect_in "$WORK/serve.out" "joinedup is serving http://127.0.0.1:$port/fhir"
expect_in "$WORK/serve.out" "joinedup: stopped"
expect_in "$WORK/access.log" "\"event\":\"stop\""
finish
