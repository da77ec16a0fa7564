/* cmd_demo_accounts.c - the demo's sign-in accounts: one per role, at the
 * organisations of one synthetic person who has GP, hospital and council
 * records, so each role's view of the same joined-up record can be tried.
 * Made once; running the demo again finds them. */
#include "cli/cli_demo.h"

#include "core/jup_limits.h"
#include "person/jup_person.h"

#include <stdio.h>
#include <string.h>

typedef struct pick {
	int64_t org[JUP_ORG_KIND__COUNT]; /* the person's organisation of each kind */
	char nhs[11];
	int64_t person;
} pick;

/* Any participating organisation of kind k, when the person has none. */
static jup_status any_org(void *ctx, int64_t id, const jup_value *v, jup_err *err)
{
	(void)err;
	pick *pk = ctx;
	jup_org_kind k = jup_store_org_kind_parse(&v[JUP_ORG_KIND]);
	if (k >= JUP_ORG_KIND__COUNT || pk->org[k] ||
	    v[JUP_ORG_PARTICIPATING].i != 1)
		return JUP_OK;
	pk->org[k] = id;
	return JUP_OK;
}

static const struct demo_role {
	const char *username;
	jup_role role;
	jup_org_kind kind; /* JUP_ORG_KIND__COUNT: none (the citizen) */
	const char *what;
} demo_roles[] = {
	{ "gp.demo", JUP_ROLE_GP, JUP_ORG_GP_PRACTICE, "GP at the person's practice" },
	{ "clinician.demo", JUP_ROLE_HOSPITAL_CLINICIAN, JUP_ORG_HOSPITAL_TRUST,
	  "hospital clinician at a trust that treated them" },
	{ "socialworker.demo", JUP_ROLE_SOCIAL_WORKER, JUP_ORG_COUNCIL,
	  "social worker at their council" },
	{ "coordinator.demo", JUP_ROLE_CARE_COORDINATOR, JUP_ORG_COUNCIL,
	  "care coordinator at their council" },
	{ "eol.demo", JUP_ROLE_EOL_OPERATOR, JUP_ORG_HOSPICE, "end-of-life line operator" },
	{ "analyst.demo", JUP_ROLE_ANALYST, JUP_ORG_COUNCIL, "analyst (planning, research)" },
	{ "ig.demo", JUP_ROLE_IG_OFFICER, JUP_ORG_COUNCIL, "information governance officer" },
	{ "engagement.demo", JUP_ROLE_ENGAGEMENT_OFFICER, JUP_ORG_COUNCIL, "engagement officer" },
	{ "citizen.demo", JUP_ROLE_CITIZEN, JUP_ORG_KIND__COUNT, "the person themselves" },
};

static jup_status add_account(jup_store *st, const struct demo_role *d, const pick *pk,
			      jup_err *err)
{
	jup_user u;
	char code[JUP_MAX_ORG_CODE_LEN + 1] = "";
	jup_status s = jup_user_find(st, d->username, &u, err);
	if (s != JUP_ERR_NOT_FOUND)
		return s;
	jup_org_kind k = d->kind;
	if (k == JUP_ORG_HOSPICE && !pk->org[k])
		k = JUP_ORG_HOSPITAL_TRUST;
	if (k < JUP_ORG_KIND__COUNT && (s = jup_store_org_code(st, pk->org[k], code, sizeof code, err)))
		return s;
	jup_user_new nu = {
		.username = d->username,
		.role = d->role,
		.org_code = k < JUP_ORG_KIND__COUNT ? code : NULL,
		.nhs_number = k < JUP_ORG_KIND__COUNT ? NULL : pk->nhs,
		.password = JUP_DEMO_PASSWORD,
	};
	return jup_user_add(st, &nu, NULL, err);
}

jup_status jup_cli_demo_accounts(jup_store *st, int64_t *person, jup_err *err)
{
	pick pk = { 0 };
	jup_person p = { 0 };
	jup_status s = jup_person_find_joined(st, 5000, pk.nhs, &p, err);
	if (!s) {
		const jup_person_record *gp = jup_person_latest_gp(&p);
		for (size_t i = 0; i < p.nrec; i++)
			if (p.rec[i].kind < JUP_ORG_KIND__COUNT && p.rec[i].participating)
				pk.org[p.rec[i].kind] = p.rec[i].org_id;
		pk.org[JUP_ORG_GP_PRACTICE] = gp->org_id;
		pk.person = p.ids[0];
	}
	jup_person_free(&p);
	if (s || (s = jup_store_scan(st, JUP_TABLE_ORGANISATION, NULL, 0, any_org, &pk, err)))
		return s;
	for (size_t i = 0; i < sizeof demo_roles / sizeof demo_roles[0]; i++)
		if ((s = add_account(st, &demo_roles[i], &pk, err)))
			return s;
	*person = pk.person;
	return JUP_OK;
}

void jup_cli_demo_accounts_print(FILE *out, const char *url, int64_t person)
{
	fprintf(out, "Demo accounts (password for each: %s):\n", JUP_DEMO_PASSWORD);
	for (size_t i = 0; i < sizeof demo_roles / sizeof demo_roles[0]; i++)
		fprintf(out, "  %-18s %s\n", demo_roles[i].username, demo_roles[i].what);
	fprintf(out,
		"Their shared patient is Patient/%lld. Try:\n"
		"  curl -s -d grant_type=password -d username=gp.demo -d password=%s \\\n"
		"       -d purpose=direct_care %s/auth/token\n"
		"  curl -s -H \"Authorization: Bearer TOKEN\" %s/fhir/Patient/%lld/\\$everything\n"
		"  curl -s %s/fhir/metadata\n",
		(long long)person, JUP_DEMO_PASSWORD, url, url, (long long)person, url);
}
