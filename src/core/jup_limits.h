/*
 * jup_limits.h - every limit on what joinedup accepts, in one place.
 *
 * Parsers and builders check against these before allocating; going past
 * one is JUP_ERR_LIMIT with a message naming the limit.
 */
#ifndef JUP_LIMITS_H
#define JUP_LIMITS_H

/* JUP_STR(LIMIT): a limit's value as a string literal, for messages. */
#define JUP_STR_(x) #x
#define JUP_STR(x)  JUP_STR_(x)

/* CSV extracts */
#define JUP_CSV_MAX_FIELD_LEN 4096        /* bytes in one field */
#define JUP_CSV_MAX_FIELDS 64             /* fields in one row */
#define JUP_CSV_MAX_ROW_LEN (64 * 1024)   /* bytes in one row, quotes included */
#define JUP_IMPORT_MAX_FILE_BYTES (8LL * 1024 * 1024 * 1024) /* one extract */
#define JUP_IMPORT_MAX_ROWS 50000000LL    /* rows in one extract */
#define JUP_IMPORT_MAX_PROBLEMS_SHOWN 50  /* problems listed per rejected file */
#define JUP_IMPORT_MAX_FILES 1024         /* files in one import call */
#define JUP_IMPORT_MAX_DIAGNOSES 20       /* diagnoses on one admission */

/* field lengths (bytes) */
#define JUP_MAX_NAME_LEN 100      /* given or family name */
#define JUP_MAX_ADDRESS_LEN 200
#define JUP_MAX_LOCAL_ID_LEN 32   /* a source system's own record id */
#define JUP_MAX_ORG_CODE_LEN 12
#define JUP_MAX_TEXT_LEN 500      /* descriptions, outcomes, free text */
#define JUP_MAX_CODE_LEN 18       /* SNOMED CT ids are at most 18 digits */

/* care plans, notes and end-of-life plans (care/jup_care_plan.h) */
#define JUP_MAX_PHONE_LEN 32               /* bytes of a telephone number */
#define JUP_CARE_PLAN_MAX_DESCRIPTION 4000 /* bytes of a plan's or note's description */
#define JUP_CARE_PLAN_MAX_CONTACTS 10      /* key contacts on an end-of-life plan */
#define JUP_CARE_PLAN_MAX_MEDICINES 20     /* medicines in the home */
#define JUP_CARE_PLAN_MAX_VERSIONS 1000    /* versions of one plan */

/* dates: the earliest year any date may carry */
#define JUP_MIN_YEAR 1870

/* synthetic city */
#define JUP_SYNTH_MAX_PEOPLE 20000000
#define JUP_SYNTH_MAX_AREAS 40000

/* the purpose gate: people whose facts a group keeps in memory (past this
 * it starts afresh; ~200 bytes each) */
#define JUP_GATE_INDEX_MAX_PEOPLE 4000000

/* sign-in tokens: grants a token cache holds, keys a failed sign-in
 * throttle remembers (fixed at creation; ~200 and ~24 bytes each) */
#define JUP_AUTH_CACHE_MAX 4000000
#define JUP_AUTH_THROTTLE_MAX 4000000

/* JSON bodies (every JSON body a client sends, src/fhir jup_fhir_json_parse) */
#define JUP_JSON_MAX_BODY_LEN (1024 * 1024) /* bytes in one body */
#define JUP_JSON_MAX_DEPTH 32               /* arrays and objects nested in one body */

/* FHIR searches */
#define JUP_FHIR_MAX_COUNT 1000     /* _count: entries in one page */
#define JUP_FHIR_MAX_URL_LEN 4096   /* bytes in one paging link */

/* the HTTP server (src/http): hard caps; the config file may set lower */
#define JUP_HTTP_MAX_BODY_BYTES (1024 * 1024)  /* a request body */
#define JUP_HTTP_MAX_HEADER_BYTES (64 * 1024)  /* request line and headers */
#define JUP_HTTP_MAX_PARAMS 32                 /* query or form parameters */
#define JUP_HTTP_MAX_PARAM_BYTES 512           /* one parameter value */
#define JUP_HTTP_MAX_PAGE 100                  /* resources per page (_count) */
#define JUP_HTTP_DEFAULT_PAGE 20
#define JUP_HTTP_MAX_OFFSET 10000              /* how deep paging goes */
#define JUP_HTTP_MAX_CANDIDATES 50             /* people a search or $match considers */
#define JUP_HTTP_MAX_CONFIG_LINE 1024          /* bytes in one config file line */
#define JUP_HTTP_MAX_THREADS 256               /* server or worker threads */

/* arenas */
#define JUP_ARENA_MAX_BLOCK (256u * 1024 * 1024)

#endif
