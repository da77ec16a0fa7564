/*
 * fuzz_fhir_consent.c - libFuzzer target for the Consent parser (a
 * citizen's change of choice).
 *
 * Checks the parser's promises: only JUP_OK, JUP_ERR_INVALID or
 * JUP_ERR_LIMIT, with a reason naming the body or a Consent path on
 * failure; on success a purpose a person may choose about (or every
 * purpose) and a FHIR id for the patient. And the Consent we give for that
 * purpose and outcome reads back (its nested section provisions, which a
 * citizen cannot set, taken off) as the same change.
 */
#include "fuzz_check.h"
#include "fhir/jup_fhir.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const jup_fhir_consent_change *ch)
{
	if (ch->purpose == JUP_CONSENT_EVERY_PURPOSE)
		return; /* a Consent is given per purpose */
	jup_consent_decision d;
	memset(&d, 0, sizeof d);
	d.purpose = ch->purpose;
	d.permit = ch->permit;
	d.gp_data = true;
	jup_fhir_consent_in in = { .patient_id = ch->patient_id,
				   .purpose = ch->purpose,
				   .decision = &d,
				   .choice = JUP_CONSENT_CHOICE_NONE };
	json_t *c = NULL;
	jup_err err;
	jup_status r = jup_fhir_consent(&in, &c, &err);
	if (r == JUP_ERR_USAGE)
		return; /* a patient id too long to make a consent id of */
	check(r == JUP_OK);
	json_object_del(json_object_get(c, "provision"), "provision");
	char *text = json_dumps(c, 0);
	check(text != NULL);
	jup_fhir_consent_change back;
	check(jup_fhir_consent_parse(text, strlen(text), &back, &err) == JUP_OK);
	check(back.purpose == ch->purpose && back.permit == ch->permit &&
	      strcmp(back.patient_id, ch->patient_id) == 0);
	free(text);
	json_decref(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jup_fhir_consent_change ch;
	jup_err err = { "" };
	jup_status r = jup_fhir_consent_parse((const char *)data, size, &ch, &err);
	if (r) {
		check(r == JUP_ERR_INVALID || r == JUP_ERR_LIMIT);
		check(strncmp(err.msg, "Consent", 7) == 0 ||
		      strncmp(err.msg, "request body: ", 14) == 0);
		return 0;
	}
	check(ch.purpose == JUP_CONSENT_EVERY_PURPOSE ||
	      ((int)ch.purpose >= 0 && ch.purpose < JUP_CONSENT_PURPOSE__COUNT));
	check(jup_fhir_id_ok(ch.patient_id));
	round_trip(&ch);
	return 0;
}
