/* cmd_serve.c - `joinedup serve`: the FHIR R4 API and sign-in over HTTP,
 * until SIGTERM or SIGINT, then a graceful stop. */
#include "cli/cli_demo.h"
#include "http/jup_http.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
	"usage: joinedup serve --db FILE [--listen HOST:PORT] [--config FILE]\n"
	"                      [--base-url URL] [--tls-cert FILE --tls-key FILE]\n"
	"                      [--access-log FILE|-] [--port-file FILE]\n\n"
	"Serves the joined-up record as a FHIR R4 API (base /fhir) with sign-in at\n"
	"/auth/token, on HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one).\n"
	"Every request for personal data goes through the purpose gate and is in the\n"
	"audit log before the answer leaves. --config reads production settings (one\n"
	"\"key = value\" a line: docs/SERVER.md); flags given here override it.\n"
	"With --tls-cert and --tls-key the server speaks HTTPS itself. The access log\n"
	"(default: standard error) has one JSON line a request and no personal data.\n"
	"--port-file writes the port listened on, once listening (for scripts).\n"
	"SIGTERM or SIGINT stops it: no new connections, requests in flight finish,\n"
	"the audit log is flushed.\n";

/* "HOST:PORT", "[V6]:PORT", ":PORT" or "PORT" into the config. */
int jup_cli_set_listen(jup_http_config *c, const char *s)
{
	char host[64] = "", port[8];
	const char *colon = strrchr(s, ':');
	const char *p = colon ? colon + 1 : s;
	size_t hn = colon ? (size_t)(colon - s) : 0;
	if (hn >= 2 && s[0] == '[' && s[hn - 1] == ']') {
		s++;
		hn -= 2;
	}
	if (hn >= sizeof host || strlen(p) >= sizeof port || !*p)
		return jup_cli_usage_error("serve", "--listen: expected HOST:PORT");
	memcpy(host, s, hn);
	host[hn] = '\0';
	snprintf(port, sizeof port, "%s", p);
	jup_err err;
	if ((hn && jup_http_config_set(c, "host", host, &err)) ||
	    jup_http_config_set(c, "port", port, &err))
		return jup_cli_usage_error("serve", "--listen: %s", err.msg);
	return JUP_EXIT_OK;
}

typedef struct serve_args {
	const char *config, *listen, *port_file;
	const char *set[5][2]; /* key, value from flags */
	int nset;
} serve_args;

static int parse(int argc, char **argv, serve_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "access-log", required_argument, NULL, 'L' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const keys[128] = { ['d'] = "db", ['u'] = "base_url",
					       ['C'] = "tls_cert", ['K'] = "tls_key",
					       ['L'] = "access_log" };
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(help, stdout);
			return -1;
		} else if (ch == 'c') {
			a->config = optarg;
		} else if (ch == 'l') {
			a->listen = optarg;
		} else if (ch == 'P') {
			a->port_file = optarg;
		} else if (ch > 0 && ch < 128 && keys[ch] && a->nset < 5) {
			a->set[a->nset][0] = keys[ch];
			a->set[a->nset++][1] = optarg;
		} else {
			return jup_cli_usage_error("serve", "unknown option");
		}
	}
	if (optind < argc)
		return jup_cli_usage_error("serve", "unexpected argument \"%s\"", argv[optind]);
	return JUP_EXIT_OK;
}

static int configure(const serve_args *a, jup_http_config *c)
{
	jup_err err;
	jup_http_config_defaults(c);
	if (a->config) {
		jup_status st = jup_http_config_load(a->config, c, &err);
		if (st == JUP_ERR_INVALID || st == JUP_ERR_LIMIT) /* FILE:LINE: key: reason */
			return jup_cli_usage_error("serve", "%s", err.msg);
		if (st)
			return jup_cli_fail("serve", st, &err);
	}
	for (int i = 0; i < a->nset; i++)
		if (jup_http_config_set(c, a->set[i][0], a->set[i][1], &err))
			return jup_cli_usage_error("serve", "%s", err.msg);
	int rc = a->listen ? jup_cli_set_listen(c, a->listen) : JUP_EXIT_OK;
	if (rc)
		return rc;
	if (jup_http_config_check(c, &err))
		return jup_cli_usage_error("serve", "%s", err.msg);
	return JUP_EXIT_OK;
}

static int write_port(const char *path, unsigned port)
{
	FILE *f = fopen(path, "w");
	if (!f || fprintf(f, "%u\n", port) < 0 || fclose(f) != 0) {
		fprintf(stderr, "joinedup serve: could not write the port file\n");
		return JUP_EXIT_FAILURE;
	}
	return JUP_EXIT_OK;
}

int jup_cli_run_server(const jup_http_config *c, const char *port_file,
		       void (*banner)(void *ctx, const char *url), void *ctx)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread inherits it */
	signal(SIGPIPE, SIG_IGN);
	jup_http_server *srv;
	jup_err err;
	jup_status st = jup_http_server_start(c, &srv, &err);
	if (st)
		return jup_cli_fail("serve", st, &err);
	const char *url = jup_http_server_url(srv);
	printf("joinedup is serving %s/fhir (sign in at %s/auth/token); "
	       "stop with Ctrl-C or SIGTERM\n",
	       url, url);
	if (banner)
		banner(ctx, url);
	fflush(stdout);
	int rc = port_file ? write_port(port_file, jup_http_server_port(srv)) : JUP_EXIT_OK;
	if (rc) {
		jup_http_server_stop(srv);
		return rc;
	}
	int sig = 0;
	sigwait(&stop, &sig);
	printf("joinedup: stopping (%s): finishing requests in flight\n",
	       sig == SIGINT ? "SIGINT" : "SIGTERM");
	fflush(stdout);
	jup_http_server_stop(srv);
	printf("joinedup: stopped\n");
	return JUP_EXIT_OK;
}

int jup_cli_serve(int argc, char **argv)
{
	serve_args a = { 0 };
	jup_http_config c;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	if ((rc = configure(&a, &c)))
		return rc;
	return jup_cli_run_server(&c, a.port_file, NULL, NULL);
}
