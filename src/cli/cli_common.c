/* cli_common.c - helpers shared by the subcommands. */
#include "cli/cli.h"

#include <errno.h>
#include <pwd.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int jup_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "joinedup %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'joinedup %s --help'.\n", cmd);
	return JUP_EXIT_USAGE;
}

int jup_cli_exit_for(jup_status st)
{
	switch (st) {
	case JUP_OK:
		return JUP_EXIT_OK;
	case JUP_ERR_INVALID:
		return JUP_EXIT_INVALID;
	case JUP_ERR_USAGE:
		return JUP_EXIT_USAGE;
	default:
		return JUP_EXIT_FAILURE;
	}
}

int jup_cli_fail(const char *cmd, jup_status st, const jup_err *err)
{
	const char *detail = err && err->msg[0] ? err->msg : jup_strerror(st);
	fprintf(stderr, "joinedup %s: %s\n", cmd, detail);
	return jup_cli_exit_for(st);
}

bool jup_cli_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return false;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool jup_cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

void jup_cli_print_model(const jup_link_model *m)
{
	printf("prior %.3g (weight %.2f)\n", m->prior, log2(m->prior / (1 - m->prior)));
	for (int c = 0; c < JUP_CMP__COUNT; c++)
		for (int l = 1; l < jup_link_levels((jup_link_cmp)c); l++)
			printf("  %-12s %-24s m=%-10.4g u=%-10.4g weight %+.2f\n",
			       jup_link_cmp_name((jup_link_cmp)c), jup_link_level_name((jup_link_cmp)c, l),
			       m->m[c][l], m->u[c][l], log2(m->m[c][l] / m->u[c][l]));
}


const char *jup_cli_login_name(void)
{
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return pw->pw_name;
	const char *user = getenv("USER");
	return user && *user ? user : NULL;
}
