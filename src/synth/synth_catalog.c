/*
 * synth_catalog.c - the synthetic city's clinical catalogues.
 *
 * One condition catalogue: every long-term condition or finding carries its
 * SNOMED CT concept (as the GP records it) and its ICD-10 code (as hospitals
 * record it), a prevalence by age band per 10,000 people, a deprivation
 * gradient and the weights the generator uses for mortality and emergency
 * admissions. It covers the Charlson conditions (ICD-10 per Quan 2005), the
 * 36 deficits of the electronic frailty index (Clegg 2016; polypharmacy comes
 * from the drug rules) and the markers of the population segments in
 * docs RULES.md (learning disability, serious mental illness, cancer,
 * maternity, dementia). Prevalences are rounded from published English
 * figures (QOF registers, NHS Digital) and are deliberately approximate.
 *
 * Codes are real: the unit test checks every SNOMED CT id (Verhoeff check
 * digit, partition 00) and every ICD-10 code (shape).
 */
#include "synth/synth_internal.h"

#define NOP                                                                                        \
	{                                                                                          \
		-1, -1                                                                             \
	}
#define P1(a)                                                                                      \
	{                                                                                          \
		(a), -1                                                                            \
	}
#define MEN   0
#define WOMEN 255

/* clang-format off */
static const synth_condition conditions[SC__COUNT] = {
	[SC_HYPERTENSION] = { "hypertension", "59621000", "Essential hypertension", "I10", NULL, NULL,
		{ 0, 60, 900, 2600, 4000, 5200, 5800 }, 13, 10, NOP, 11, 11, SYNTH_C_MAJOR, 25 },
	[SC_T2DM] = { "type 2 diabetes", "44054006", "Type 2 diabetes mellitus", "E11.9", NULL, NULL,
		{ 2, 60, 500, 1100, 1600, 1800, 1500 }, 20, 8, NOP, 14, 14, SYNTH_C_MAJOR, 25 },
	[SC_T1DM] = { "type 1 diabetes", "46635009", "Type 1 diabetes mellitus", "E10.9", NULL, NULL,
		{ 25, 50, 45, 40, 35, 30, 20 }, 10, 9, NOP, 18, 18, SYNTH_C_MAJOR, 1 },
	[SC_DM_KIDNEY] = { "diabetic kidney disease", "127013003",
		"Disorder of kidney due to diabetes mellitus", "E11.2", NULL, NULL,
		{ 0, 500, 800, 1000, 1300, 1600, 1800 }, 12, 10, P1(SC_T2DM), 15, 12, SYNTH_C_MAJOR, 30 },
	[SC_DM_RETINOPATHY] = { "diabetic retinopathy", "4855003", "Diabetic retinopathy", "E11.3",
		NULL, NULL, { 0, 1000, 1500, 2000, 2500, 2800, 3000 }, 12, 10, P1(SC_T2DM), 10, 10, 0,
		30 },
	[SC_DM_FOOT_ULCER] = { "diabetic foot ulcer", "280137006", "Diabetic foot ulcer", "E11.5",
		NULL, NULL, { 0, 100, 200, 300, 400, 500, 600 }, 15, 7, P1(SC_T2DM), 18, 20,
		SYNTH_C_MAJOR | SYNTH_C_RECENT, 30 },
	[SC_OBESITY] = { "obesity", "414916001", "Obesity", "E66.9", NULL, NULL,
		{ 300, 900, 1400, 1500, 1300, 900, 400 }, 15, 11, NOP, 11, 10, 0, 5 },
	[SC_IHD] = { "ischaemic heart disease", "414545008", "Ischemic heart disease", "I25.9", NULL,
		"I21.9", { 0, 5, 200, 700, 1300, 2000, 2600 }, 16, 6, NOP, 14, 15, SYNTH_C_MAJOR, 30 },
	[SC_OLD_MI] = { "old myocardial infarction", "1755008", "Old myocardial infarction", "I25.2",
		NULL, NULL, { 0, 2500, 3000, 3500, 3500, 3500, 3500 }, 10, 8, P1(SC_IHD), 13, 12,
		SYNTH_C_MAJOR, 30 },
	[SC_HEART_FAILURE] = { "heart failure", "84114007", "Heart failure", "I50.9", NULL, NULL,
		{ 0, 3, 30, 150, 400, 900, 1600 }, 15, 9, NOP, 25, 30, SYNTH_C_MAJOR | SYNTH_C_ORGAN, 30 },
	[SC_AF] = { "atrial fibrillation", "49436004", "Atrial fibrillation", "I48.9", NULL, NULL,
		{ 0, 5, 60, 300, 800, 1500, 2200 }, 11, 8, NOP, 13, 15, SYNTH_C_MAJOR, 30 },
	[SC_AORTIC_STENOSIS] = { "aortic stenosis", "60573004", "Aortic valve stenosis", "I35.0",
		NULL, NULL, { 1, 5, 20, 60, 200, 500, 900 }, 10, 8, NOP, 14, 12, SYNTH_C_MAJOR, 40 },
	[SC_STROKE] = { "stroke", "230690007", "Cerebrovascular accident", "I64", NULL, "I63.9",
		{ 1, 5, 60, 250, 550, 1000, 1400 }, 15, 9, NOP, 17, 18, SYNTH_C_MAJOR, 20 },
	[SC_HEMIPLEGIA] = { "hemiplegia", "50582007", "Hemiplegia", "G81.9", NULL, NULL,
		{ 0, 1500, 1500, 1200, 1000, 900, 800 }, 10, 10, P1(SC_STROKE), 15, 12, SYNTH_C_MAJOR,
		20 },
	[SC_TIA] = { "transient ischaemic attack", "266257000", "Transient ischemic attack",
		"G45.9", NULL, NULL, { 0, 5, 50, 200, 400, 700, 900 }, 13, 10, NOP, 11, 11, 0, 30 },
	[SC_PVD] = { "peripheral vascular disease", "400047006", "Peripheral vascular disease",
		"I73.9", NULL, NULL, { 0, 2, 30, 150, 350, 600, 800 }, 18, 7, NOP, 15, 14,
		SYNTH_C_MAJOR, 40 },
	[SC_CKD3] = { "chronic kidney disease stage 3", "433144002",
		"Chronic kidney disease stage 3", "N18.3", NULL, NULL,
		{ 0, 5, 100, 500, 1200, 2500, 4000 }, 13, 12, NOP, 13, 13, SYNTH_C_MAJOR, 30 },
	[SC_CKD4] = { "chronic kidney disease stage 4", "431857002",
		"Chronic kidney disease stage 4", "N18.4", NULL, NULL,
		{ 0, 600, 600, 600, 600, 700, 900 }, 13, 10, P1(SC_CKD3), 25, 25,
		SYNTH_C_MAJOR | SYNTH_C_ORGAN, 30 },
	[SC_DEMENTIA] = { "dementia", "52448006", "Dementia", "F03", NULL, NULL,
		{ 0, 0, 5, 40, 250, 1000, 3000 }, 12, 14, NOP, 30, 20,
		SYNTH_C_MAJOR | SYNTH_C_DEMENTIA, 45 },
	[SC_ALZHEIMERS] = { "alzheimer's disease", "26929004", "Alzheimer's disease", "G30.9",
		"F00.9", NULL, { 0, 5500, 5500, 5500, 5500, 5500, 5500 }, 10, 12, P1(SC_DEMENTIA), 10,
		10, SYNTH_C_DEMENTIA, 45 },
	[SC_VASCULAR_DEMENTIA] = { "vascular dementia", "429998004", "Vascular dementia", "F01.9",
		NULL, NULL, { 0, 2000, 2000, 2000, 2000, 2000, 2000 }, 12, 9, P1(SC_DEMENTIA), 10, 10,
		SYNTH_C_DEMENTIA, 45 },
	[SC_COPD] = { "copd", "13645005", "Chronic obstructive lung disease", "J44.9", NULL, "J44.1",
		{ 0, 10, 150, 500, 900, 1100, 1000 }, 28, 9, NOP, 20, 30,
		SYNTH_C_MAJOR | SYNTH_C_ORGAN, 35 },
	[SC_ASTHMA] = { "asthma", "195967001", "Asthma", "J45.9", NULL, NULL,
		{ 900, 800, 700, 700, 700, 700, 600 }, 13, 11, NOP, 11, 15, SYNTH_C_MAJOR, 1 },
	[SC_RA] = { "rheumatoid arthritis", "69896004", "Rheumatoid arthritis", "M06.9", NULL, NULL,
		{ 2, 30, 100, 170, 220, 240, 220 }, 11, 25, NOP, 13, 11, SYNTH_C_MAJOR, 18 },
	[SC_OA] = { "osteoarthritis", "396275006", "Osteoarthritis", "M19.9", NULL, NULL,
		{ 0, 50, 800, 2000, 3000, 3800, 4200 }, 12, 14, NOP, 10, 10, 0, 35 },
	[SC_OSTEOPOROSIS] = { "osteoporosis", "64859006", "Osteoporosis", "M81.9", NULL, NULL,
		{ 0, 5, 50, 300, 700, 1300, 2100 }, 10, 40, NOP, 11, 11, 0, 40 },
	[SC_HIP_FRACTURE] = { "fragility fracture", "5913000", "Fracture of neck of femur", "S72.0",
		NULL, NULL, { 0, 0, 5, 30, 120, 400, 1000 }, 13, 20, NOP, 20, 15,
		SYNTH_C_FRAILTY | SYNTH_C_RECENT, 50 },
	[SC_PARKINSONS] = { "parkinson's disease", "49049000", "Parkinson's disease", "G20", NULL,
		NULL, { 0, 0, 5, 60, 170, 380, 500 }, 10, 7, NOP, 20, 18, SYNTH_C_MAJOR, 40 },
	[SC_EPILEPSY] = { "epilepsy", "84757009", "Epilepsy", "G40.9", NULL, NULL,
		{ 50, 80, 90, 90, 100, 110, 110 }, 18, 9, NOP, 16, 20, SYNTH_C_MAJOR, 0 },
	[SC_HYPOTHYROID] = { "hypothyroidism", "40930008", "Hypothyroidism", "E03.9", NULL, NULL,
		{ 10, 100, 350, 600, 800, 1000, 1100 }, 10, 50, NOP, 10, 10, 0, 5 },
	[SC_HYPERTHYROID] = { "hyperthyroidism", "34486009", "Hyperthyroidism", "E05.9", NULL, NULL,
		{ 2, 40, 80, 100, 100, 100, 80 }, 10, 50, NOP, 10, 10, 0, 12 },
	[SC_DEPRESSION] = { "depression", "35489007", "Depressive disorder", "F32.9", NULL, NULL,
		{ 80, 1200, 1400, 1200, 1000, 900, 900 }, 17, 18, NOP, 11, 12, 0, 12 },
	[SC_ANXIETY] = { "anxiety", "197480006", "Anxiety disorder", "F41.9", NULL, NULL,
		{ 150, 900, 900, 700, 600, 500, 500 }, 14, 18, NOP, 10, 10, 0, 8 },
	[SC_SCHIZOPHRENIA] = { "schizophrenia", "58214004", "Schizophrenia", "F20.9", NULL, NULL,
		{ 0, 60, 70, 60, 45, 35, 30 }, 30, 6, NOP, 20, 25, SYNTH_C_MAJOR | SYNTH_C_SMI, 16 },
	[SC_BIPOLAR] = { "bipolar disorder", "13746004", "Bipolar disorder", "F31.9", NULL, NULL,
		{ 2, 70, 90, 80, 60, 50, 40 }, 15, 11, NOP, 18, 20, SYNTH_C_MAJOR | SYNTH_C_SMI, 16 },
	[SC_LD] = { "learning disability", "110359009", "Intellectual disability", "F79", NULL, NULL,
		{ 70, 60, 50, 40, 30, 20, 8 }, 15, 7, NOP, 25, 20, SYNTH_C_MAJOR | SYNTH_C_LD, 0 },
	[SC_ANAEMIA] = { "anaemia", "87522002", "Iron deficiency anemia", "D50.9", NULL, NULL,
		{ 80, 250, 250, 300, 450, 800, 1200 }, 14, 25, NOP, 12, 12, 0, 0 },
	[SC_PEPTIC_ULCER] = { "peptic ulcer", "13200003", "Peptic ulcer", "K27.9", NULL, NULL,
		{ 0, 20, 100, 200, 300, 400, 450 }, 15, 8, NOP, 12, 12, 0, 18 },
	[SC_ALCOHOLIC_LIVER] = { "alcoholic liver disease", "41309000", "Alcoholic liver damage",
		"K70.9", NULL, NULL, { 0, 10, 80, 120, 100, 60, 20 }, 30, 5, NOP, 25, 25,
		SYNTH_C_MAJOR | SYNTH_C_ORGAN, 20 },
	[SC_CIRRHOSIS] = { "cirrhosis", "19943007", "Cirrhosis of liver", "K74.6", NULL, NULL,
		{ 0, 5, 40, 80, 80, 60, 20 }, 25, 7, NOP, 30, 25, SYNTH_C_MAJOR | SYNTH_C_ORGAN, 20 },
	[SC_HIV] = { "hiv", "86406008", "Human immunodeficiency virus infection", "B20", NULL, NULL,
		{ 5, 20, 40, 30, 15, 5, 2 }, 20, 7, NOP, 15, 12, SYNTH_C_MAJOR, 0 },
	[SC_CA_COLON] = { "colon cancer", "363406005", "Malignant tumor of colon", "C18.9", NULL,
		NULL, { 0, 2, 30, 120, 250, 400, 500 }, 12, 8, NOP, 25, 20,
		SYNTH_C_MAJOR | SYNTH_C_CANCER, 30 },
	[SC_CA_LUNG] = { "lung cancer", "363358000", "Malignant tumor of lung", "C34.9", NULL, NULL,
		{ 0, 1, 15, 80, 180, 250, 220 }, 25, 8, NOP, 60, 30,
		SYNTH_C_MAJOR | SYNTH_C_CANCER | SYNTH_C_RECENT, 35 },
	[SC_CA_BREAST] = { "breast cancer", "254837009", "Malignant neoplasm of breast", "C50.9",
		NULL, NULL, { 0, 10, 200, 500, 700, 800, 800 }, 9, WOMEN, NOP, 15, 12,
		SYNTH_C_MAJOR | SYNTH_C_CANCER, 25 },
	[SC_CA_PROSTATE] = { "prostate cancer", "399068003", "Malignant tumor of prostate", "C61",
		NULL, NULL, { 0, 0, 20, 300, 800, 1200, 1300 }, 9, MEN, NOP, 15, 12,
		SYNTH_C_MAJOR | SYNTH_C_CANCER, 45 },
	[SC_METS_LIVER] = { "liver metastases", "94381002", "Secondary malignant neoplasm of liver",
		"C78.7", NULL, NULL, { 0, 2500, 2500, 2500, 2500, 2500, 2500 }, 10, 10,
		{ SC_CA_COLON, SC_CA_LUNG }, 80, 35,
		SYNTH_C_MAJOR | SYNTH_C_CANCER | SYNTH_C_METS | SYNTH_C_RECENT, 30 },
	[SC_METS_BONE] = { "bone metastases", "94222008", "Secondary malignant neoplasm of bone",
		"C79.5", NULL, NULL, { 0, 1200, 1200, 1200, 1200, 1200, 1200 }, 10, 10,
		{ SC_CA_BREAST, SC_CA_PROSTATE }, 60, 30,
		SYNTH_C_MAJOR | SYNTH_C_CANCER | SYNTH_C_METS | SYNTH_C_RECENT, 30 },
	[SC_PRESSURE_ULCER] = { "pressure ulcer", "399912005", "Pressure ulcer", "L89.9", NULL, NULL,
		{ 0, 2, 5, 20, 60, 200, 500 }, 12, 12, NOP, 20, 15, SYNTH_C_FRAILTY | SYNTH_C_RECENT,
		0 },
	[SC_HYPOTENSION] = { "hypotension", "45007003", "Low blood pressure", "I95.9", NULL, NULL,
		{ 0, 20, 30, 50, 100, 200, 350 }, 10, 12, NOP, 11, 11, SYNTH_C_FRAILTY, 10 },
	[SC_SYNCOPE] = { "syncope", "271594007", "Syncope", "R55", NULL, NULL,
		{ 30, 100, 100, 120, 180, 300, 450 }, 11, 12, NOP, 10, 12, SYNTH_C_FRAILTY, 5 },
	[SC_UTI] = { "urinary tract infection", "68566005", "Urinary tract infectious disease",
		"N39.0", NULL, NULL, { 50, 150, 150, 200, 300, 500, 800 }, 12, 30, NOP, 11, 13, 0, 0 },
	[SC_BPH] = { "benign prostatic hyperplasia", "266569009", "Benign prostatic hyperplasia",
		"N40", NULL, NULL, { 0, 0, 100, 800, 1500, 2200, 2500 }, 10, MEN, NOP, 10, 10, 0, 45 },
	[SC_DIZZINESS] = { "dizziness", "404640003", "Dizziness", "R42", NULL, NULL,
		{ 10, 100, 200, 300, 500, 800, 1100 }, 12, 14, NOP, 10, 10, SYNTH_C_FRAILTY, 5 },
	[SC_DYSPNOEA] = { "dyspnoea", "267036007", "Dyspnea", "R06.0", NULL, NULL,
		{ 20, 100, 200, 300, 500, 800, 1200 }, 15, 10, NOP, 12, 12, SYNTH_C_FRAILTY, 5 },
	[SC_FALLS] = { "falls", "161898004", "Falls", "R29.6", NULL, NULL,
		{ 10, 20, 40, 100, 300, 900, 2000 }, 13, 14, NOP, 13, 14, SYNTH_C_FRAILTY, 0 },
	[SC_MEMORY] = { "memory problems", "386807006", "Memory impairment", "R41.3", NULL, NULL,
		{ 0, 10, 50, 150, 400, 900, 1500 }, 12, 12, NOP, 12, 10, SYNTH_C_FRAILTY, 40 },
	[SC_INSOMNIA] = { "sleep disturbance", "193462001", "Insomnia", "G47.0", NULL, NULL,
		{ 20, 300, 500, 600, 700, 800, 900 }, 12, 14, NOP, 10, 10, SYNTH_C_FRAILTY, 10 },
	[SC_INCONTINENCE] = { "urinary incontinence", "165232002", "Urinary incontinence", "R32",
		NULL, NULL, { 20, 50, 150, 400, 800, 1300, 2200 }, 12, 20, NOP, 11, 10,
		SYNTH_C_FRAILTY, 5 },
	[SC_WEIGHT_LOSS] = { "weight loss", "89362005", "Weight loss", "R63.4", NULL, NULL,
		{ 10, 30, 60, 100, 200, 400, 800 }, 13, 11, NOP, 15, 12,
		SYNTH_C_FRAILTY | SYNTH_C_RECENT, 5 },
	[SC_VISION] = { "vision problems", "397540003", "Visual impairment", "H54.7", NULL, NULL,
		{ 20, 30, 50, 100, 250, 700, 1600 }, 12, 12, NOP, 11, 10, SYNTH_C_FRAILTY, 0 },
	[SC_HEARING] = { "hearing loss", "15188001", "Hearing loss", "H91.9", NULL, NULL,
		{ 50, 50, 150, 500, 1200, 2500, 4000 }, 10, 9, NOP, 10, 10, SYNTH_C_FRAILTY, 0 },
	[SC_DISABILITY] = { "activity limitation", "21134002", "Disability", "Z73.6", NULL, NULL,
		{ 30, 60, 150, 300, 500, 900, 1800 }, 15, 11, NOP, 13, 12, SYNTH_C_FRAILTY, 0 },
	[SC_HOUSEBOUND] = { "housebound", "160689007", "Housebound", "Z74.2", NULL, NULL,
		{ 0, 5, 20, 50, 200, 800, 2500 }, 14, 13, NOP, 18, 14, SYNTH_C_FRAILTY, 30 },
	[SC_MOBILITY] = { "mobility problems", "8510008", "Reduced mobility", "Z74.0", NULL, NULL,
		{ 5, 20, 80, 250, 600, 1400, 3000 }, 14, 12, NOP, 14, 12, SYNTH_C_FRAILTY, 0 },
	[SC_CARER] = { "requirement for care", "184156005", "Has a caregiver", "Z74.9", NULL, NULL,
		{ 20, 20, 40, 80, 250, 800, 2500 }, 13, 12, NOP, 15, 12, SYNTH_C_FRAILTY, 0 },
	[SC_LIVES_ALONE] = { "social vulnerability", "105529008", "Lives alone", "Z60.2", NULL, NULL,
		{ 0, 1500, 1500, 2000, 3000, 4000, 5000 }, 10, 10, NOP, 11, 10,
		SYNTH_C_FRAILTY | SYNTH_C_ALONE, 16 },
	[SC_FOOT] = { "foot problems", "202855006", "Hallux valgus", "M20.1", NULL, NULL,
		{ 5, 100, 300, 500, 700, 800, 900 }, 10, 20, NOP, 10, 10, 0, 10 },
	[SC_PREGNANCY] = { "pregnancy", "77386006", "Pregnancy", "Z33", NULL, NULL,
		{ 0, 700, 120, 0, 0, 0, 0 }, 12, WOMEN, NOP, 10, 10,
		SYNTH_C_MATERNITY | SYNTH_C_RECENT, 16 },
};

static const synth_drug drugs[] = {
	{ "372567009", "Metformin" },        /*  0 */
	{ "395731001", "Gliclazide" },       /*  1 */
	{ "67866001", "Insulin" },           /*  2 */
	{ "386864001", "Amlodipine" },       /*  3 */
	{ "386872004", "Ramipril" },         /*  4 */
	{ "373567002", "Losartan" },         /*  5 */
	{ "373444002", "Atorvastatin" },     /*  6 */
	{ "387584000", "Simvastatin" },      /*  7 */
	{ "386868003", "Bisoprolol" },       /*  8 */
	{ "387458008", "Aspirin" },          /*  9 */
	{ "386952008", "Clopidogrel" },      /* 10 */
	{ "387475002", "Furosemide" },       /* 11 */
	{ "387078006", "Spironolactone" },   /* 12 */
	{ "387461009", "Digoxin" },          /* 13 */
	{ "698090000", "Apixaban" },         /* 14 */
	{ "372756006", "Warfarin" },         /* 15 */
	{ "387137007", "Omeprazole" },       /* 16 */
	{ "386888004", "Lansoprazole" },     /* 17 */
	{ "710809001", "Levothyroxine" },    /* 18 */
	{ "372897005", "Salbutamol" },       /* 19 */
	{ "116574000", "Beclometasone" },    /* 20 */
	{ "116601002", "Prednisolone" },     /* 21 */
	{ "387517004", "Paracetamol" },      /* 22 */
	{ "387494007", "Codeine" },          /* 23 */
	{ "373529000", "Morphine" },         /* 24 */
	{ "372594008", "Sertraline" },       /* 25 */
	{ "372596005", "Citalopram" },       /* 26 */
	{ "372726002", "Amitriptyline" },    /* 27 */
	{ "386845007", "Gabapentin" },       /* 28 */
	{ "386849001", "Olanzapine" },       /* 29 */
	{ "387000003", "Levetiracetam" },    /* 30 */
	{ "387562000", "Lamotrigine" },      /* 31 */
	{ "387381009", "Methotrexate" },     /* 32 */
	{ "391730008", "Alendronic acid" },  /* 33 */
	{ "18414002", "Colecalciferol" },    /* 34 */
	{ "386855006", "Donepezil" },        /* 35 */
	{ "387086006", "Levodopa" },         /* 36 */
	{ "387402000", "Ferrous sulfate" },  /* 37 */
	{ "387135004", "Allopurinol" },      /* 38 */
};

enum {
	D_METFORMIN, D_GLICLAZIDE, D_INSULIN, D_AMLODIPINE, D_RAMIPRIL, D_LOSARTAN,
	D_ATORVASTATIN, D_SIMVASTATIN, D_BISOPROLOL, D_ASPIRIN, D_CLOPIDOGREL, D_FUROSEMIDE,
	D_SPIRONOLACTONE, D_DIGOXIN, D_APIXABAN, D_WARFARIN, D_OMEPRAZOLE, D_LANSOPRAZOLE,
	D_LEVOTHYROXINE, D_SALBUTAMOL, D_BECLOMETASONE, D_PREDNISOLONE, D_PARACETAMOL,
	D_CODEINE, D_MORPHINE, D_SERTRALINE, D_CITALOPRAM, D_AMITRIPTYLINE, D_GABAPENTIN,
	D_OLANZAPINE, D_LEVETIRACETAM, D_LAMOTRIGINE, D_METHOTREXATE, D_ALENDRONIC,
	D_COLECALCIFEROL, D_DONEPEZIL, D_LEVODOPA, D_FERROUS, D_ALLOPURINOL,
};

static const synth_drug_rule drug_rules[] = {
	{ SC_HYPERTENSION, 0, D_AMLODIPINE, 60 }, { SC_HYPERTENSION, 0, D_RAMIPRIL, 45 },
	{ SC_HYPERTENSION, 0, D_LOSARTAN, 15 }, { SC_HYPERTENSION, 0, D_ATORVASTATIN, 30 },
	{ SC_HYPERTENSION, 0, D_SIMVASTATIN, 8 },
	{ SC_T2DM, 0, D_METFORMIN, 85 }, { SC_T2DM, 0, D_GLICLAZIDE, 25 },
	{ SC_T2DM, 0, D_INSULIN, 8 }, { SC_T2DM, 0, D_ATORVASTATIN, 70 },
	{ SC_T2DM, 0, D_RAMIPRIL, 30 },
	{ SC_T1DM, 0, D_INSULIN, 98 }, { SC_T1DM, 25, D_ATORVASTATIN, 40 },
	{ SC_DM_KIDNEY, 0, D_RAMIPRIL, 50 }, { SC_DM_FOOT_ULCER, 0, D_PARACETAMOL, 40 },
	{ SC_DM_FOOT_ULCER, 0, D_GABAPENTIN, 20 },
	{ SC_IHD, 0, D_ASPIRIN, 65 }, { SC_IHD, 0, D_ATORVASTATIN, 80 },
	{ SC_IHD, 0, D_BISOPROLOL, 45 }, { SC_IHD, 0, D_CLOPIDOGREL, 20 },
	{ SC_IHD, 0, D_OMEPRAZOLE, 30 },
	{ SC_OLD_MI, 0, D_BISOPROLOL, 50 }, { SC_OLD_MI, 0, D_RAMIPRIL, 50 },
	{ SC_OLD_MI, 0, D_CLOPIDOGREL, 30 },
	{ SC_HEART_FAILURE, 0, D_FUROSEMIDE, 80 }, { SC_HEART_FAILURE, 0, D_BISOPROLOL, 60 },
	{ SC_HEART_FAILURE, 0, D_RAMIPRIL, 55 }, { SC_HEART_FAILURE, 0, D_SPIRONOLACTONE, 35 },
	{ SC_AF, 0, D_APIXABAN, 60 }, { SC_AF, 0, D_WARFARIN, 15 }, { SC_AF, 0, D_BISOPROLOL, 50 },
	{ SC_AF, 0, D_DIGOXIN, 12 },
	{ SC_AORTIC_STENOSIS, 0, D_FUROSEMIDE, 20 },
	{ SC_STROKE, 0, D_CLOPIDOGREL, 60 }, { SC_STROKE, 0, D_ATORVASTATIN, 75 },
	{ SC_STROKE, 0, D_RAMIPRIL, 30 },
	{ SC_TIA, 0, D_CLOPIDOGREL, 50 }, { SC_TIA, 0, D_ATORVASTATIN, 60 },
	{ SC_PVD, 0, D_CLOPIDOGREL, 50 }, { SC_PVD, 0, D_ATORVASTATIN, 70 },
	{ SC_CKD3, 0, D_RAMIPRIL, 20 }, { SC_CKD3, 0, D_ALLOPURINOL, 8 },
	{ SC_CKD4, 0, D_FUROSEMIDE, 40 }, { SC_CKD4, 0, D_FERROUS, 25 },
	{ SC_CKD4, 0, D_ALLOPURINOL, 15 },
	{ SC_DEMENTIA, 0, D_DONEPEZIL, 45 },
	{ SC_COPD, 0, D_SALBUTAMOL, 90 }, { SC_COPD, 0, D_BECLOMETASONE, 50 },
	{ SC_COPD, 0, D_PREDNISOLONE, 10 },
	{ SC_ASTHMA, 0, D_SALBUTAMOL, 95 }, { SC_ASTHMA, 0, D_BECLOMETASONE, 60 },
	{ SC_RA, 0, D_METHOTREXATE, 60 }, { SC_RA, 0, D_PREDNISOLONE, 20 },
	{ SC_RA, 0, D_PARACETAMOL, 30 },
	{ SC_OA, 0, D_PARACETAMOL, 50 }, { SC_OA, 0, D_CODEINE, 12 },
	{ SC_OSTEOPOROSIS, 0, D_ALENDRONIC, 70 }, { SC_OSTEOPOROSIS, 0, D_COLECALCIFEROL, 60 },
	{ SC_HIP_FRACTURE, 0, D_ALENDRONIC, 40 }, { SC_HIP_FRACTURE, 0, D_COLECALCIFEROL, 40 },
	{ SC_HIP_FRACTURE, 0, D_PARACETAMOL, 40 },
	{ SC_PARKINSONS, 0, D_LEVODOPA, 90 },
	{ SC_EPILEPSY, 0, D_LEVETIRACETAM, 55 }, { SC_EPILEPSY, 0, D_LAMOTRIGINE, 30 },
	{ SC_HYPOTHYROID, 0, D_LEVOTHYROXINE, 95 },
	{ SC_DEPRESSION, 12, D_SERTRALINE, 35 }, { SC_DEPRESSION, 18, D_CITALOPRAM, 25 },
	{ SC_DEPRESSION, 18, D_AMITRIPTYLINE, 8 },
	{ SC_ANXIETY, 12, D_SERTRALINE, 20 },
	{ SC_SCHIZOPHRENIA, 0, D_OLANZAPINE, 60 },
	{ SC_BIPOLAR, 0, D_OLANZAPINE, 35 }, { SC_BIPOLAR, 0, D_LAMOTRIGINE, 15 },
	{ SC_ANAEMIA, 0, D_FERROUS, 70 },
	{ SC_PEPTIC_ULCER, 0, D_OMEPRAZOLE, 75 }, { SC_PEPTIC_ULCER, 0, D_LANSOPRAZOLE, 20 },
	{ SC_CA_COLON, 0, D_PARACETAMOL, 30 }, { SC_CA_LUNG, 0, D_PARACETAMOL, 30 },
	{ SC_CA_BREAST, 0, D_PARACETAMOL, 20 }, { SC_CA_PROSTATE, 0, D_PARACETAMOL, 20 },
	{ SC_METS_LIVER, 0, D_MORPHINE, 60 }, { SC_METS_LIVER, 0, D_OMEPRAZOLE, 20 },
	{ SC_METS_BONE, 0, D_MORPHINE, 60 }, { SC_METS_BONE, 0, D_PARACETAMOL, 50 },
	{ SC_PRESSURE_ULCER, 0, D_PARACETAMOL, 30 },
	{ SC_FALLS, 0, D_COLECALCIFEROL, 20 },
	{ SC_INSOMNIA, 18, D_AMITRIPTYLINE, 8 },
	{ -1, 65, D_ATORVASTATIN, 25 }, { -1, 65, D_OMEPRAZOLE, 20 },
	{ -1, 65, D_SIMVASTATIN, 10 }, { -1, 75, D_ATORVASTATIN, 20 },
	{ -1, 75, D_PARACETAMOL, 35 }, { -1, 75, D_COLECALCIFEROL, 25 },
	{ -1, 75, D_OMEPRAZOLE, 30 }, { -1, 75, D_AMLODIPINE, 20 }, { -1, 75, D_RAMIPRIL, 15 },
	{ -1, 80, D_FUROSEMIDE, 10 }, { -1, 80, D_ASPIRIN, 15 },
};

static const synth_reason reasons[] = {
	{ "J18.9", "pneumonia", SYNTH_R_EMERGENCY, 65, 120, 0, 120 },
	{ "J18.9", "pneumonia", SYNTH_R_EMERGENCY, 0, 64, 0, 25 },
	{ "N39.0", "urinary tract infection", SYNTH_R_EMERGENCY, 65, 120, 0, 80 },
	{ "N39.0", "urinary tract infection", SYNTH_R_EMERGENCY, 16, 64, 'F', 25 },
	{ "R07.4", "chest pain", SYNTH_R_EMERGENCY, 16, 120, 0, 80 },
	{ "R10.4", "abdominal pain", SYNTH_R_EMERGENCY, 5, 120, 0, 70 },
	{ "S72.0", "fractured neck of femur", SYNTH_R_EMERGENCY, 65, 120, 0, 45 },
	{ "R55", "syncope and collapse", SYNTH_R_EMERGENCY, 16, 120, 0, 40 },
	{ "J22", "lower respiratory tract infection", SYNTH_R_EMERGENCY, 0, 120, 0, 45 },
	{ "A09", "gastroenteritis", SYNTH_R_EMERGENCY, 0, 120, 0, 40 },
	{ "K35.8", "acute appendicitis", SYNTH_R_EMERGENCY, 5, 45, 0, 35 },
	{ "S06.0", "concussion", SYNTH_R_EMERGENCY, 0, 120, 0, 20 },
	{ "T39.1", "paracetamol overdose", SYNTH_R_EMERGENCY, 14, 45, 0, 15 },
	{ "F10.0", "acute alcohol intoxication", SYNTH_R_EMERGENCY, 18, 64, 0, 15 },
	{ "R06.0", "breathlessness", SYNTH_R_EMERGENCY, 50, 120, 0, 30 },
	{ "L03.1", "cellulitis of limb", SYNTH_R_EMERGENCY, 16, 120, 0, 30 },
	{ "J21.9", "bronchiolitis", SYNTH_R_EMERGENCY, 0, 1, 0, 150 },
	{ "R50.9", "fever", SYNTH_R_EMERGENCY, 0, 15, 0, 50 },
	{ "J06.9", "upper respiratory tract infection", SYNTH_R_EMERGENCY, 0, 15, 0, 40 },
	{ "E86", "dehydration", SYNTH_R_EMERGENCY, 65, 120, 0, 25 },
	{ "R29.6", "fall", SYNTH_R_EMERGENCY, 75, 120, 0, 45 },
	{ "I26.9", "pulmonary embolism", SYNTH_R_EMERGENCY, 30, 120, 0, 10 },
	{ "K92.2", "gastrointestinal haemorrhage", SYNTH_R_EMERGENCY, 40, 120, 0, 15 },
	{ "N17.9", "acute kidney injury", SYNTH_R_EMERGENCY, 65, 120, 0, 25 },
	{ "F05.9", "delirium", SYNTH_R_EMERGENCY, 75, 120, 0, 20 },
	{ "H26.9", "cataract", SYNTH_R_ELECTIVE, 55, 120, 0, 80 },
	{ "M17.9", "osteoarthritis of knee", SYNTH_R_ELECTIVE, 50, 120, 0, 40 },
	{ "M16.9", "osteoarthritis of hip", SYNTH_R_ELECTIVE, 50, 120, 0, 30 },
	{ "K80.2", "gallstones", SYNTH_R_ELECTIVE, 20, 120, 0, 35 },
	{ "K40.9", "inguinal hernia", SYNTH_R_ELECTIVE, 16, 120, 'M', 35 },
	{ "K57.3", "diverticular disease", SYNTH_R_ELECTIVE, 45, 120, 0, 40 },
	{ "K63.5", "polyp of colon", SYNTH_R_ELECTIVE, 45, 120, 0, 35 },
	{ "N40", "prostatic hyperplasia", SYNTH_R_ELECTIVE, 50, 120, 'M', 25 },
	{ "N92.0", "heavy menstrual bleeding", SYNTH_R_ELECTIVE, 16, 55, 'F', 25 },
	{ "J35.0", "chronic tonsillitis", SYNTH_R_ELECTIVE, 2, 15, 0, 30 },
	{ "H65.3", "glue ear", SYNTH_R_ELECTIVE, 1, 10, 0, 20 },
	{ "M23.2", "meniscus tear", SYNTH_R_ELECTIVE, 16, 60, 0, 20 },
	{ "D50.9", "iron deficiency anaemia", SYNTH_R_ELECTIVE, 16, 120, 0, 10 },
	{ "K21.9", "gastro-oesophageal reflux", SYNTH_R_ELECTIVE, 30, 120, 0, 40 },
	{ "G56.0", "carpal tunnel syndrome", SYNTH_R_ELECTIVE, 30, 120, 0, 20 },
	{ "I83.9", "varicose veins", SYNTH_R_ELECTIVE, 30, 80, 0, 15 },
	{ "N20.0", "kidney stone", SYNTH_R_ELECTIVE, 20, 80, 0, 15 },
	{ "Z51.1", "chemotherapy", SYNTH_R_ELECTIVE, 0, 0, 0, 0 }, /* cancer patients only */
};
/* clang-format on */

int synth_age_band(int age)
{
	if (age < 16)
		return 0;
	if (age < 35)
		return 1;
	if (age < 55)
		return 2;
	if (age < 65)
		return 3;
	if (age < 75)
		return 4;
	if (age < 85)
		return 5;
	return 6;
}

const synth_condition *synth_conditions(size_t *n)
{
	*n = sizeof conditions / sizeof conditions[0];
	return conditions;
}

const synth_drug *synth_drugs(size_t *n)
{
	*n = sizeof drugs / sizeof drugs[0];
	return drugs;
}

const synth_drug_rule *synth_drug_rules(size_t *n)
{
	*n = sizeof drug_rules / sizeof drug_rules[0];
	return drug_rules;
}

const synth_reason *synth_reasons(size_t *n)
{
	*n = sizeof reasons / sizeof reasons[0];
	return reasons;
}
