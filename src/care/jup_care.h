/*
 * jup_care.h - the joined-up record: what the GP practice, the hospitals
 * and the council hold about one person, gathered from every source record
 * linked to them, each item carrying where it came from.
 *
 * It is read only behind the purpose gate: jup_care_record takes the gate's
 * decision and shows no more than it allows (its view and its sections).
 */
#ifndef JUP_CARE_H
#define JUP_CARE_H

#include "core/jup_status.h"
#include "gate/jup_gate.h"
#include "store/jup_store.h"

#include <jansson.h>

/*
 * jup_care_record: the record of the decision's persons as a new JSON
 * object (*out, caller json_decref's), as docs/FORMATS.md ("The joined-up
 * record") gives it: the view, purpose, basis and audit entry of the
 * decision; the person (identity from the records that may be shown); the
 * sources (organisation, kind, local record id, how linked); the GP,
 * hospital and social care sections the decision allows, every item with
 * its source (organisation and record, import file and line); what was
 * withheld and why. Records held at an organisation that does not take part
 * are not shown at all (nor used for identity or sources); a care team is
 * shown only when both its organisation's section and its record's section
 * are allowed; the care plans written through the record ("care_plans": the
 * latest version of each of the persons' plans, jup_care_plan.h). The view
 * decides how much: full, end-of-life (identity, sources, end-of-life plans
 * and notes, care teams) or de-identified (no names, NHS numbers, local ids,
 * addresses, postcodes or free text; year of birth only). JUP_ERR_DENIED
 * unless d is a permit to read the record (JUP_GATE_READ_RECORD) that was
 * logged (audit_id > 0) with at least one person; JUP_ERR_NOMEM; store
 * errors. Reads in the current transaction, if any.
 */
jup_status jup_care_record(jup_store *st, const jup_gate_decision *d, json_t **out,
			   jup_err *err) JUP_MUST_CHECK;

#endif
