/* cli_demo.h - what `joinedup demo` adds to a loaded city: sign-in
 * accounts for trying each role. */
#ifndef JUP_CLI_DEMO_H
#define JUP_CLI_DEMO_H

#include "cli/cli.h"
#include "gate/jup_user.h"
#include "store/jup_store.h"

#include <stdio.h>

/* The one password of every demo account (a synthetic city's, printed). */
#define JUP_DEMO_PASSWORD "joinedup-demo"

/* jup_cli_demo_accounts: one account per role (jup_user_add) at the
 * organisations of the first person found with GP, hospital and council
 * records (the citizen account is theirs); *person gets that person's id.
 * Accounts that exist are left as they are. JUP_ERR_NOT_FOUND when the
 * city has no such person; store errors. */
jup_status jup_cli_demo_accounts(jup_store *st, int64_t *person, jup_err *err) JUP_MUST_CHECK;

/* jup_cli_demo_accounts_print: the accounts, what each is, and a first
 * request to try against the server at url. */
void jup_cli_demo_accounts_print(FILE *out, const char *url, int64_t person);

/* jup_cli_run_server: serve c until SIGTERM or SIGINT, then stop
 * gracefully; banner (may be NULL) prints what to try once listening;
 * port_file (may be NULL) gets the port. Exit status. */
#include "http/jup_http.h"
int jup_cli_run_server(const jup_http_config *c, const char *port_file,
		       void (*banner)(void *ctx, const char *url), void *ctx);

/* jup_cli_set_listen: "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" into c;
 * exit status (usage error printed). */
int jup_cli_set_listen(jup_http_config *c, const char *s);

#endif
