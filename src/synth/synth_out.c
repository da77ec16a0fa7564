/*
 * synth_out.c - buffered CSV writers for the synthetic city's extracts.
 *
 * Each extract has one writer: rows are built straight into a jup_buf with
 * hand-rolled formatting (no printf on the hot path) and written out in
 * chunks of about 1 MiB. Write errors are sticky and reported at close.
 */
#include "synth/synth_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
	const char *name, *header;
} files[SYNTH_F__COUNT] = {
    [SYNTH_F_ORGS] = {"organisations.csv", "org_code,name,kind,participating,postcode"},
    [SYNTH_F_GP_PATIENTS] = {"gp_patients.csv",
                             "nhs_number,given_name,family_name,dob,sex,postcode,"
                             "practice_code,local_id,address,registered_on"},
    [SYNTH_F_GP_CONDITIONS] = {"gp_conditions.csv",
                               "practice_code,local_id,code_system,code,description,onset_on"},
    [SYNTH_F_GP_MEDICATIONS] = {"gp_medications.csv",
                                "practice_code,local_id,code_system,code,description,"
                                "started_on,ended_on"},
    [SYNTH_F_GP_EOL] = {"gp_eol_register.csv",
                        "practice_code,local_id,added_on,preferred_place_of_care,"
                        "preferred_place_of_death,resuscitation"},
    [SYNTH_F_GP_OBJECTIONS] = {"gp_objections.csv", "practice_code,nhs_number,recorded_on"},
    [SYNTH_F_OPT_OUTS] = {"national_opt_outs.csv", "nhs_number,recorded_on"},
    [SYNTH_F_HOSP_PATIENTS] = {"hospital_patients.csv",
                               "trust_code,local_id,nhs_number,given_name,family_name,dob,"
                               "sex,postcode,address"},
    [SYNTH_F_HOSP_ADMISSIONS] = {"hospital_admissions.csv",
                                 "trust_code,spell_id,local_id,method,admitted_on,"
                                 "discharged_on,discharge_destination,diagnoses"},
    [SYNTH_F_AE] = {"ae_attendances.csv", "trust_code,attendance_id,local_id,arrived_at,disposal"},
    [SYNTH_F_SC_CLIENTS] = {"social_care_clients.csv",
                            "local_id,nhs_number,given_name,family_name,dob,sex,"
                            "postcode,practice_code,council_code,address"},
    [SYNTH_F_SC_ASSESSMENTS] = {"social_care_assessments.csv",
                                "council_code,assessment_id,local_id,kind,started_on,"
                                "completed_on,outcome"},
    [SYNTH_F_SC_SERVICES] = {"social_care_services.csv",
                             "council_code,service_id,local_id,kind,started_on,ended_on,"
                             "end_reason"},
    [SYNTH_F_SC_CONSENTS] = {"social_care_consents.csv",
                             "council_code,local_id,form_version,decision,recorded_on,"
                             "recorded_by"},
    [SYNTH_F_CARE_TEAM] = {"care_team.csv",
                           "org_code,team,source_org,local_id,role,started_on,ended_on"},
    [SYNTH_F_DEATHS] = {"deaths.csv", "nhs_number,dob,date_of_death,place_of_death"},
    [SYNTH_F_TRUTH] = {"truth.csv", "source,local_id,person_key"},
};

const char *synth_out_name(int k)
{
	return files[k].name;
}

static jup_status flush(synth_out *o)
{
	if (o->buf.len && o->f && fwrite(o->buf.data, 1, o->buf.len, o->f) != o->buf.len)
		o->failed = true;
	jup_buf_reset(&o->buf);
	return o->failed ? JUP_ERR_IO : JUP_OK;
}

static jup_status open_one(synth_out *o, int k, const char *dir, jup_err *err)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", dir, files[k].name);
	if (n < 0 || (size_t)n >= sizeof path)
		return jup_err_set(err, JUP_ERR_USAGE, "output folder name is too long");
	o->name = files[k].name;
	o->header = files[k].header;
	o->rows = 0;
	o->failed = false;
	jup_buf_init(&o->buf, 0);
	if (jup_buf_reserve(&o->buf, SYNTH_OUT_FLUSH + 2 * SYNTH_ROW_MAX))
		return jup_err_set(err, JUP_ERR_NOMEM, "out of memory for output buffers");
	o->f = fopen(path, "wb");
	if (!o->f)
		return jup_err_set(err, JUP_ERR_IO, "could not create \"%s\": %s", path,
		                   strerror(errno));
	synth_put(o, o->header);
	synth_put_char(o, '\n');
	return JUP_OK;
}

jup_status synth_out_open_all(synth_out *outs, const char *dir, jup_err *err)
{
	memset(outs, 0, sizeof *outs * SYNTH_F__COUNT);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return jup_err_set(err, JUP_ERR_IO, "could not create folder \"%s\": %s", dir,
		                   strerror(errno));
	for (int k = 0; k < SYNTH_F__COUNT; k++) {
		jup_status st = open_one(&outs[k], k, dir, err);
		if (st) {
			jup_err dummy;
			jup_status ignored = synth_out_close_all(outs, &dummy);
			(void)ignored;
			return st;
		}
	}
	return JUP_OK;
}

jup_status synth_out_close_all(synth_out *outs, jup_err *err)
{
	jup_status first = JUP_OK;
	for (int k = 0; k < SYNTH_F__COUNT; k++) {
		synth_out *o = &outs[k];
		if (o->f) {
			(void)flush(o);
			if (fclose(o->f) != 0)
				o->failed = true;
			o->f = NULL;
			if (o->failed && !first)
				first =
				    jup_err_set(err, JUP_ERR_IO, "could not write \"%s\"", o->name);
		}
		jup_buf_free(&o->buf);
	}
	return first;
}

void synth_row_begin(synth_out *o)
{
	if (o->buf.len >= SYNTH_OUT_FLUSH)
		(void)flush(o);
}

void synth_row_end(synth_out *o)
{
	synth_put_char(o, '\n');
	o->rows++;
}

void synth_put_n(synth_out *o, const char *s, size_t n)
{
	jup_buf *b = &o->buf;
	if (b->len + n + 1 > b->cap) {
		o->failed = true;
		return;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void synth_put(synth_out *o, const char *s)
{
	synth_put_n(o, s, strlen(s));
}

void synth_put_char(synth_out *o, char ch)
{
	synth_put_n(o, &ch, 1);
}

void synth_put_csv(synth_out *o, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		synth_put(o, s);
		return;
	}
	synth_put_char(o, '"');
	for (; *s; s++) {
		if (*s == '"')
			synth_put_char(o, '"');
		synth_put_char(o, *s);
	}
	synth_put_char(o, '"');
}

void synth_put_i64(synth_out *o, int64_t v)
{
	char tmp[24];
	size_t n;
	const char *digits = jup_fmt_i64(tmp, v, &n);
	synth_put_n(o, digits, n);
}

void synth_put_padded(synth_out *o, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < 20);
	while (n < width && n < 20)
		tmp[sizeof tmp - 1 - n++] = '0';
	synth_put_n(o, tmp + sizeof tmp - n, (size_t)n);
}

void synth_put_date(synth_out *o, jup_date d)
{
	char tmp[11];
	jup_date_format(d, tmp);
	synth_put_n(o, tmp, 10);
}

void synth_put_datetime(synth_out *o, jup_date d, int minute_of_day)
{
	char tmp[17];
	jup_date_format(d, tmp);
	tmp[10] = 'T';
	int h = minute_of_day / 60, m = minute_of_day % 60;
	tmp[11] = (char)('0' + h / 10);
	tmp[12] = (char)('0' + h % 10);
	tmp[13] = ':';
	tmp[14] = (char)('0' + m / 10);
	tmp[15] = (char)('0' + m % 10);
	synth_put_n(o, tmp, 16);
}
