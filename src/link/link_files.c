/*
 * link_files.c - `joinedup link-files`: estimate, block, score, write.
 *
 * Scoring is split over two threads (this machine has two cores); each
 * writes its share of the output into its own buffer and the buffers are
 * written in order, so the output is the same on every run. The output file
 * is written beside its final name and renamed into place, so a reader never
 * sees half a file.
 */
#include "link/jup_link_files.h"

#include "core/jup_buf.h"
#include "link/link_dataset.h"
#include "link/link_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct run {
	const jup_link_files_opts *o;
	link_dataset left, right;
	const link_dataset *other; /* right, or left again when deduplicating */
	jup_link_pairs pairs;
	jup_link_model model;
	jup_link_tf *tf;
} run;

typedef struct slice {
	jup_buf out;
	size_t written;
	jup_status st;
} slice;

typedef struct scoring {
	const run *r;
	slice s[LINK_THREADS];
} scoring;

static jup_status append_pair(const run *r, slice *s, const jup_link_pair *p, double weight,
			      double prob)
{
	jup_status st = jup_buf_append_csv_field(&s->out, jup_sv_from(link_dataset_id(&r->left, p->a)));
	if (!st)
		st = jup_buf_append_char(&s->out, ',');
	if (!st)
		st = jup_buf_append_csv_field(&s->out,
					      jup_sv_from(link_dataset_id(r->other, p->b)));
	if (!st)
		st = jup_buf_appendf(&s->out, ",%.6f,%.3f\n", prob, weight);
	return st;
}

static void score_slice(void *ctx, int k, size_t from, size_t to)
{
	scoring *sc = ctx;
	const run *r = sc->r;
	slice *s = &sc->s[k];
	for (size_t i = from; i < to && !s->st; i++) {
		const jup_link_pair *p = &r->pairs.items[i];
		double w = jup_link_score(&r->model, r->tf, &r->left.recs[p->a],
					  &r->other->recs[p->b], NULL);
		double prob = jup_link_probability(w);
		if (prob < r->o->threshold)
			continue;
		s->st = append_pair(r, s, p, w, prob);
		s->written++;
	}
}

static jup_status write_slices(run *r, slice *s, int n, size_t *written, jup_err *err)
{
	jup_buf tmp;
	jup_buf_init(&tmp, 4096);
	jup_status st = jup_buf_appendf(&tmp, "%s.tmp", r->o->out);
	FILE *f = st ? NULL : fopen(tmp.data, "wb");
	if (!f) {
		jup_buf_free(&tmp);
		return jup_err_set(err, JUP_ERR_IO, "could not write \"%s\"", r->o->out);
	}
	bool ok = fputs("left_id,right_id,match_probability,match_weight\n", f) >= 0;
	for (int i = 0; i < n && ok; i++) {
		ok = s[i].out.len == 0 || fwrite(s[i].out.data, 1, s[i].out.len, f) == s[i].out.len;
		*written += s[i].written;
	}
	ok = (fclose(f) == 0) && ok && rename(tmp.data, r->o->out) == 0;
	if (!ok)
		remove(tmp.data);
	jup_buf_free(&tmp);
	return ok ? JUP_OK : jup_err_set(err, JUP_ERR_IO, "could not write \"%s\"", r->o->out);
}

static jup_status score_all(run *r, size_t *written, jup_err *err)
{
	scoring sc = { .r = r };
	slice *s = sc.s;
	for (int i = 0; i < LINK_THREADS; i++)
		jup_buf_init(&s[i].out, 0);
	link_parallel(r->pairs.n, score_slice, &sc);
	jup_status st = JUP_OK;
	for (int i = 0; i < LINK_THREADS && !st; i++)
		st = s[i].st;
	if (st)
		st = jup_err_set(err, st, "scoring: %s", jup_strerror(st));
	else
		st = write_slices(r, s, LINK_THREADS, written, err);
	for (int i = 0; i < LINK_THREADS; i++)
		jup_buf_free(&s[i].out);
	return st;
}

static jup_status read_inputs(run *r, jup_err *err)
{
	const jup_link_files_opts *o = r->o;
	jup_status st = link_dataset_read_csv(&r->left, o->left, o->problems, 50, err);
	if (!st && o->right)
		st = link_dataset_read_csv(&r->right, o->right, o->problems, 50, err);
	r->other = o->right ? &r->right : &r->left;
	return st;
}

static jup_status link_all(run *r, jup_link_files_report *rep, jup_err *err)
{
	size_t nl = r->left.n, nr = r->other->n;
	const jup_link_rec *right = r->o->right ? r->right.recs : NULL;
	jup_status st = jup_link_block(r->left.recs, nl, right, r->o->right ? nr : 0, &r->pairs,
				       err);
	if (!st)
		st = jup_link_train(&r->model, r->left.recs, nl, right, nr, &r->pairs, err);
	if (!st)
		st = jup_link_tf_build(r->left.recs, nl, r->o->right ? r->right.recs : NULL,
				       r->o->right ? nr : 0, &r->tf, err);
	if (!st)
		st = score_all(r, &rep->written, err);
	if (st == JUP_ERR_NOMEM)
		jup_err_set(err, st, "out of memory");
	rep->candidates = r->pairs.n;
	rep->model = r->model;
	return st;
}

jup_status jup_link_files_run(const jup_link_files_opts *o, jup_link_files_report *rep,
			      jup_err *err)
{
	memset(rep, 0, sizeof *rep);
	run *r = calloc(1, sizeof *r);
	if (!r)
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory");
	r->o = o;
	jup_status st = read_inputs(r, err);
	rep->left = r->left.n;
	rep->right = r->other ? r->other->n : 0;
	if (!st)
		st = link_all(r, rep, err);
	jup_link_tf_free(r->tf);
	jup_link_pairs_free(&r->pairs);
	link_dataset_free(&r->left);
	link_dataset_free(&r->right);
	free(r);
	return st;
}
