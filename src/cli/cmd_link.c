/* cmd_link.c - `joinedup link`: the master person index over the store. */
#include "cli/cli.h"
#include "link/jup_link_db.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: joinedup link --db FILE [--upper P] [--lower P] [--retrain] [--truth TRUTH.csv]\n"
	"                     [--show-model]\n"
	"       joinedup link explain --db FILE A B\n"
	"       joinedup link review --db FILE\n"
	"       joinedup link decide --db FILE PAIR accept|reject [--by NAME] [--note TEXT]\n\n"
	"Links every source record not yet linked to a person: records whose valid NHS\n"
	"number is on a GP register record join that record's person; the rest are\n"
	"matched probabilistically (Fellegi-Sunter, trained on the data without labels).\n"
	"Pairs with a match probability of at least --upper (default 0.99) are linked,\n"
	"pairs from --lower (default 0.80) up are queued for a person to review. One\n"
	"person never holds two different NHS numbers, and people who already exist\n"
	"keep their ids: a later run only links the records imported since.\n"
	"--retrain trains a new model instead of the stored one. --truth scores the\n"
	"result against a synthetic city's truth.csv over pairs of source records.\n\n"
	"explain shows why two source records (an id, or ORG:LOCAL_ID) would or would\n"
	"not be linked: each comparison's level and weight, the prior and the total.\n"
	"review lists the queued pairs with their explanations; decide records a\n"
	"person's decision on one (--by: who decided, default the login name).\n"
	"No names, dates or addresses are printed: records are named by their source.\n";

typedef struct link_args {
	const char *db, *truth, *by, *note;
	jup_link_db_opts opts;
	bool show_model;
	int npos;
	const char *pos[3];
} link_args;

static int parse(const char *cmd, int argc, char **argv, link_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "upper", required_argument, NULL, 'u' },
		{ "lower", required_argument, NULL, 'l' },
		{ "retrain", no_argument, NULL, 'r' },
		{ "truth", required_argument, NULL, 't' },
		{ "show-model", no_argument, NULL, 'm' },
		{ "by", required_argument, NULL, 'b' },
		{ "note", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		double *p = ch == 'u' ? &a->opts.upper : &a->opts.lower;
		switch (ch) {
		case 'd':
			a->db = optarg;
			break;
		case 'u':
		case 'l':
			*p = strtod(optarg, &end);
			if (*end || end == optarg || !(*p >= 0 && *p <= 1))
				return jup_cli_usage_error(cmd, "--%s: from 0 to 1",
							   ch == 'u' ? "upper" : "lower");
			break;
		case 'r':
			a->opts.retrain = true;
			break;
		case 't':
			a->truth = optarg;
			break;
		case 'm':
			a->show_model = true;
			break;
		case 'b':
			a->by = optarg;
			break;
		case 'n':
			a->note = optarg;
			break;
		case 'h':
			fputs(help, stdout);
			return -1;
		default:
			return jup_cli_usage_error(cmd, "unknown option");
		}
	}
	for (; optind < argc; optind++) {
		if (a->npos == 3)
			return jup_cli_usage_error(cmd, "unexpected argument \"%s\"", argv[optind]);
		a->pos[a->npos++] = argv[optind];
	}
	if (!a->db)
		return jup_cli_usage_error(cmd, "--db FILE is required");
	if (a->opts.lower > a->opts.upper)
		return jup_cli_usage_error(cmd, "--lower may not be above --upper");
	return JUP_EXIT_OK;
}

static void print_truth(const jup_link_truth *t)
{
	printf("precision=%.4f recall=%.4f f1=%.4f\n", t->precision, t->recall, t->f1);
	printf("  over %zu records: %llu true pairs, %llu found, %llu correct\n", t->records,
	       (unsigned long long)t->true_pairs, (unsigned long long)t->found_pairs,
	       (unsigned long long)t->correct_pairs);
	printf("  pairs with a social care record: precision %.4f, recall %.4f, f1 %.4f "
	       "(%llu true pairs)\n",
	       t->sc_precision, t->sc_recall, t->sc_f1, (unsigned long long)t->sc_true_pairs);
}

static void print_run(const jup_link_db_report *r)
{
	printf("link: %zu source records, %zu not yet linked\n", r->records, r->new_records);
	if (!r->run_id) {
		printf("link: nothing to do\n");
		return;
	}
	printf("link: %zu joined by an NHS number on a GP register\n", r->linked_nhs);
	printf("link: %zu candidate pairs, %zu weighed by the model; %zu linked, %zu queued for "
	       "review, %zu refused (two NHS numbers)\n",
	       r->candidates, r->scored, r->linked_prob, r->queued, r->refused);
	if (r->trained)
		printf("link: model trained in this run (EM %d iterations%s)\n",
		       r->model.em_iterations, r->model.em_converged ? "" : ", not converged");
	else if (r->model_run_id)
		printf("link: model of run %lld used\n", (long long)r->model_run_id);
	else
		printf("link: no pairs to train a model on; NHS numbers only\n");
	printf("link: %zu people created (run %lld)\n", r->persons_new, (long long)r->run_id);
}

static int run_link(link_args *a, jup_store *st)
{
	if (a->npos)
		return jup_cli_usage_error("link", "unexpected argument \"%s\"", a->pos[0]);
	jup_link_db_report rep;
	jup_err err;
	a->opts.log = isatty(STDERR_FILENO) ? stderr : NULL;
	jup_status s = jup_link_db_run(st, &a->opts, &rep, &err);
	if (s)
		return jup_cli_fail("link", s, &err);
	print_run(&rep);
	if (a->show_model && (rep.model_run_id || rep.trained))
		jup_cli_print_model(&rep.model);
	if (!a->truth)
		return JUP_EXIT_OK;
	jup_link_truth t;
	s = jup_link_db_truth(st, a->truth, stderr, &t, &err);
	if (s)
		return jup_cli_fail("link", s, &err);
	print_truth(&t);
	return JUP_EXIT_OK;
}

int jup_cli_run_link(const char *db, const char *truth)
{
	link_args a = { .db = db, .truth = truth };
	jup_link_db_defaults(&a.opts);
	jup_store *st;
	jup_err err;
	jup_status s = jup_store_open(db, 0, &st, &err);
	if (s)
		return jup_cli_fail("link", s, &err);
	int rc = run_link(&a, st);
	jup_store_close(st);
	return rc;
}

static void print_explain(const jup_link_explain *ex, const char *indent)
{
	for (int c = 0; c < JUP_CMP__COUNT; c++) {
		printf("%s%-14s %-26s %+7.2f", indent, jup_link_cmp_name((jup_link_cmp)c),
		       jup_link_level_name((jup_link_cmp)c, ex->level[c]), ex->weight[c]);
		if (ex->tf_share[c] > 0)
			printf("   (value shared by %.3g%% of records)", 100 * ex->tf_share[c]);
		putchar('\n');
	}
	printf("%s%-14s %-26s %+7.2f\n", indent, "prior", "", ex->prior_weight);
	printf("%s%-41s %+7.2f\n", indent, "total match weight", ex->total);
	printf("%s%-41s %7.4f\n", indent, "match probability", ex->probability);
}

static int run_explain(link_args *a, jup_store *st)
{
	if (a->npos != 3)
		return jup_cli_usage_error("link explain", "give two source records: A B");
	jup_link_db_ref ra, rb;
	jup_link_explain ex;
	jup_err err;
	jup_status s = jup_link_db_find(st, a->pos[1], &ra, &err);
	if (!s)
		s = jup_link_db_find(st, a->pos[2], &rb, &err);
	if (!s)
		s = jup_link_db_explain(st, ra.id, rb.id, &ex, &err);
	if (s)
		return jup_cli_fail("link explain", s, &err);
	printf("%s (source %lld) and %s (source %lld)\n", ra.name, (long long)ra.id, rb.name,
	       (long long)rb.id);
	print_explain(&ex, "  ");
	return JUP_EXIT_OK;
}

static jup_status print_pair(void *ctx, const jup_link_db_pair *p, const jup_link_explain *ex,
			     jup_err *err)
{
	(void)err;
	(*(size_t *)ctx)++;
	printf("pair %lld: %s (source %lld) and %s (source %lld), probability %.4f when queued\n",
	       (long long)p->id, p->a.name, (long long)p->a.id, p->b.name, (long long)p->b.id,
	       p->probability);
	print_explain(ex, "    ");
	return JUP_OK;
}

static int run_review(link_args *a, jup_store *st)
{
	if (a->npos != 1)
		return jup_cli_usage_error("link review", "unexpected argument \"%s\"", a->pos[1]);
	size_t n = 0;
	jup_err err;
	jup_status s = jup_link_db_review(st, print_pair, &n, &err);
	if (s)
		return jup_cli_fail("link review", s, &err);
	printf("%zu pair%s waiting for review%s\n", n, n == 1 ? "" : "s",
	       n ? ": joinedup link decide --db FILE PAIR accept|reject" : "");
	return JUP_EXIT_OK;
}

static int run_decide(link_args *a, jup_store *st)
{
	int64_t pair;
	if (a->npos != 3 || !jup_cli_parse_i64(a->pos[1], 1, INT64_MAX, &pair) ||
	    (strcmp(a->pos[2], "accept") != 0 && strcmp(a->pos[2], "reject") != 0))
		return jup_cli_usage_error("link decide",
					   "give a pair number and accept or reject");
	const char *by = a->by ? a->by : jup_cli_login_name();
	if (!by)
		return jup_cli_usage_error("link decide", "--by NAME: who decided");
	jup_link_db_pair p;
	jup_err err;
	jup_status s = jup_link_db_decide(st, pair, strcmp(a->pos[2], "accept") == 0, by, a->note,
					  &p, &err);
	if (s)
		return jup_cli_fail("link decide", s, &err);
	printf("pair %lld %s by %s at %s\n", (long long)p.id, p.status, p.decided_by, p.decided_at);
	return JUP_EXIT_OK;
}

int jup_cli_link(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(link_args *a, jup_store *st);
	} subs[] = { { "explain", run_explain },
		     { "review", run_review },
		     { "decide", run_decide } };
	link_args a = { 0 };
	jup_link_db_defaults(&a.opts);
	int rc = parse("link", argc, argv, &a);
	if (rc)
		return rc < 0 ? JUP_EXIT_OK : rc;
	int (*run)(link_args *, jup_store *) = run_link;
	for (size_t i = 0; a.npos && i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(a.pos[0], subs[i].name) == 0)
			run = subs[i].run;
	jup_store *st;
	jup_err err;
	jup_status s = jup_store_open(a.db, 0, &st, &err);
	if (s)
		return jup_cli_fail("link", s, &err);
	rc = run(&a, st);
	jup_store_close(st);
	return rc;
}
