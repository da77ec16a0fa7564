/*
 * cli.h - the joinedup command line: subcommands and shared helpers.
 *
 * Exit statuses mean the same for every subcommand (JUP_EXIT_*). Messages
 * go to stderr as "joinedup: what: why"; they never carry personal data.
 */
#ifndef JUP_CLI_H
#define JUP_CLI_H

#include "core/jup_status.h"

#include <stdbool.h>
#include <stdint.h>

enum {
	JUP_EXIT_OK = 0,
	JUP_EXIT_INVALID = 1, /* the data was checked and found invalid */
	JUP_EXIT_USAGE = 2,   /* the command line was wrong */
	JUP_EXIT_FAILURE = 3, /* the work could not be done (I/O, store, version) */
	JUP_EXIT_DENIED = 3,  /* the purpose gate said no (the reason is printed) */
};

typedef int (*jup_cli_fn)(int argc, char **argv);

typedef struct jup_cli_command {
	const char *name;
	const char *summary;
	jup_cli_fn run;
} jup_cli_command;

int jup_cli_synth(int argc, char **argv);
int jup_cli_import(int argc, char **argv);
int jup_cli_info(int argc, char **argv);
int jup_cli_nhs_number(int argc, char **argv);
int jup_cli_demo(int argc, char **argv);
int jup_cli_link_files(int argc, char **argv);
int jup_cli_link(int argc, char **argv);
int jup_cli_user(int argc, char **argv);
int jup_cli_audit(int argc, char **argv);
int jup_cli_consent(int argc, char **argv);
int jup_cli_record(int argc, char **argv);
int jup_cli_break_glass(int argc, char **argv);
int jup_cli_serve(int argc, char **argv);

/* jup_cli_usage_error: print "joinedup CMD: message" and a pointer to
 * --help on stderr; returns JUP_EXIT_USAGE. */
int jup_cli_usage_error(const char *cmd, const char *fmt, ...) JUP_PRINTF(2, 3);

/* jup_cli_fail: print "joinedup CMD: detail" for a failed status and return
 * the exit status it maps to. */
int jup_cli_fail(const char *cmd, jup_status st, const jup_err *err);

/* jup_cli_parse_i64: parse a whole decimal number in [min, max]. */
bool jup_cli_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* jup_cli_is_help: true for "-h" or "--help". */
bool jup_cli_is_help(const char *arg);

/* jup_cli_login_name: who is running the command (the login name), for
 * recording who decided; NULL when it cannot be told. */
const char *jup_cli_login_name(void);

/* jup_cli_exit_for: the exit status a status maps to. */
int jup_cli_exit_for(jup_status st);



/* Work shared by the subcommands (and by `demo`, which strings them). */
#include "store/jup_store.h"
#include "synth/jup_synth.h"

/* jup_cli_run_synth: write a city, print what was written; exit status. */
int jup_cli_run_synth(const jup_synth_opts *o);

/* jup_cli_run_import: import paths into the database at db (created when
 * missing); exit status (1 when any file was rejected). */
int jup_cli_run_import(const char *db, const char *const *paths, size_t n);

/* jup_cli_run_link: link the database's new source records, print what was
 * done and, with truth (may be NULL), the accuracy; exit status. */
int jup_cli_run_link(const char *db, const char *truth);

/* jup_cli_print_counts: print row counts per table, as text or one JSON
 * object keyed by table name; exit status. */
int jup_cli_print_counts(const char *cmd, jup_store *st, bool json);

#include "link/jup_link_model.h"

/* jup_cli_print_model: the linkage model's prior and, per comparison level,
 * m, u and the weight log2(m/u). */
void jup_cli_print_model(const jup_link_model *m);
#endif
