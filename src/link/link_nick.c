/*
 * link_nick.c - given-name nicknames common in the UK.
 *
 * Each entry pairs a folded name with the formal name of a group it belongs
 * to ("bill" -> "william"); a formal name also stands for itself, and a name
 * in several groups has one entry per group ("harry": harold, harpreet,
 * henry). Two names are nicknames of each other when they share a group,
 * so "bill" and "liam" match through "william" but "helen" and "eleanor"
 * (which share only "nell") do not. The table is sorted by name then group
 * and searched by bisection: it is called for most pairs whose given names
 * differ, in the innermost loop of linkage, so names are fixed 16-byte
 * fields compared as two big-endian 64-bit words (the order of strcmp).
 * Keep the table sorted when adding to it (the unit tests check, through
 * link_nick_table_ok).
 */
#include "link/link_internal.h"

#include <stdint.h>
#include <string.h>

enum { NICK_LEN = 16 }; /* longer names are in no group */

typedef struct nick {
	char name[NICK_LEN]; /* NUL-padded */
	char group[NICK_LEN];
} nick;

/* clang-format off */
static const nick nicks[] = {
	{ "abbie", "abigail" }, { "abby", "abigail" }, { "abigail", "abigail" },
	{ "ade", "adrian" }, { "adrian", "adrian" }, { "aggie", "agnes" }, { "agnes", "agnes" },
	{ "al", "alan" }, { "al", "albert" }, { "al", "alfred" }, { "alan", "alan" },
	{ "alasdair", "alistair" }, { "albert", "albert" }, { "alec", "alexander" },
	{ "aleksander", "aleksander" }, { "alex", "aleksander" }, { "alex", "alexander" },
	{ "alex", "alexandra" }, { "alexander", "alexander" }, { "alexandra", "alexandra" },
	{ "alf", "alfred" }, { "alfie", "alfred" }, { "alfred", "alfred" }, { "ali", "alistair" },
	{ "alice", "alice" }, { "alistair", "alexander" }, { "alistair", "alistair" },
	{ "allan", "alan" }, { "allen", "alan" }, { "allie", "alice" }, { "ally", "alice" },
	{ "amanda", "amanda" }, { "amelia", "amelia" }, { "andrew", "andrew" },
	{ "andy", "andrew" }, { "angela", "angela" }, { "angie", "angela" }, { "ann", "anne" },
	{ "annabel", "annabel" }, { "anne", "anne" }, { "annie", "annabel" }, { "annie", "anne" },
	{ "ant", "anthony" }, { "anthony", "anthony" }, { "antoinette", "antoinette" },
	{ "antony", "anthony" }, { "archibald", "archibald" }, { "archie", "archibald" },
	{ "art", "arthur" }, { "arthur", "arthur" }, { "artie", "arthur" },
	{ "augustus", "augustus" }, { "babs", "barbara" }, { "barb", "barbara" },
	{ "barbara", "barbara" }, { "barbie", "barbara" }, { "barney", "bernard" },
	{ "bart", "bartholomew" }, { "bartholomew", "bartholomew" }, { "becca", "rebecca" },
	{ "becky", "rebecca" }, { "bel", "annabel" }, { "bella", "isabella" },
	{ "ben", "benedict" }, { "ben", "benjamin" }, { "benedict", "benedict" },
	{ "benjamin", "benjamin" }, { "benji", "benjamin" }, { "benny", "benjamin" },
	{ "bernadette", "bernadette" }, { "bernard", "bernard" }, { "bernie", "bernadette" },
	{ "bernie", "bernard" }, { "bert", "albert" }, { "bert", "herbert" },
	{ "bertie", "albert" }, { "bess", "elizabeth" }, { "bessie", "elizabeth" },
	{ "beth", "elizabeth" }, { "betsy", "elizabeth" }, { "betty", "elizabeth" },
	{ "bev", "beverley" }, { "beverley", "beverley" }, { "beverly", "beverley" },
	{ "bex", "rebecca" }, { "bill", "william" }, { "billy", "william" }, { "bob", "robert" },
	{ "bobby", "robert" }, { "brad", "bradley" }, { "bradley", "bradley" },
	{ "cal", "callum" }, { "callum", "callum" }, { "cam", "cameron" },
	{ "cameron", "cameron" }, { "caro", "caroline" }, { "caroline", "caroline" },
	{ "carrie", "caroline" }, { "cath", "catherine" }, { "catharine", "catherine" },
	{ "catherine", "catherine" }, { "cathy", "catherine" }, { "cecilia", "cecilia" },
	{ "cecily", "cecilia" }, { "charles", "charles" }, { "charlie", "charles" },
	{ "charlie", "charlotte" }, { "charlotte", "charlotte" }, { "chas", "charles" },
	{ "chaz", "charles" }, { "chris", "christian" }, { "chris", "christine" },
	{ "chris", "christopher" }, { "chrissie", "christine" }, { "chrissy", "christine" },
	{ "christian", "christian" }, { "christina", "christine" }, { "christine", "christine" },
	{ "christopher", "christopher" }, { "chuck", "charles" }, { "cilla", "priscilla" },
	{ "cindy", "cynthia" }, { "cissy", "cecilia" }, { "cliff", "clifford" },
	{ "clifford", "clifford" }, { "col", "colin" }, { "colin", "colin" },
	{ "con", "cornelius" }, { "connie", "constance" }, { "constance", "constance" },
	{ "cornelius", "cornelius" }, { "cynthia", "cynthia" }, { "dan", "daniel" },
	{ "daniel", "daniel" }, { "danny", "daniel" }, { "darren", "darren" }, { "dave", "david" },
	{ "davey", "david" }, { "david", "david" }, { "davy", "david" }, { "daz", "darren" },
	{ "deb", "deborah" }, { "debbie", "deborah" }, { "deborah", "deborah" },
	{ "debra", "deborah" }, { "del", "derek" }, { "derek", "derek" }, { "di", "diana" },
	{ "di", "diane" }, { "diana", "diana" }, { "diane", "diane" }, { "dick", "richard" },
	{ "dicky", "richard" }, { "dolly", "dorothy" }, { "dom", "dominic" },
	{ "dominic", "dominic" }, { "don", "donald" }, { "donald", "donald" },
	{ "donny", "donald" }, { "dorothy", "dorothy" }, { "dot", "dorothy" },
	{ "dottie", "dorothy" }, { "dotty", "dorothy" }, { "doug", "douglas" },
	{ "douglas", "douglas" }, { "drew", "andrew" }, { "dunc", "duncan" },
	{ "duncan", "duncan" }, { "ed", "edmund" }, { "ed", "edward" }, { "ed", "edwin" },
	{ "eddie", "edmund" }, { "eddie", "edward" }, { "eddie", "edwin" }, { "eddy", "edward" },
	{ "edie", "edith" }, { "edith", "edith" }, { "edmund", "edmund" }, { "edward", "edward" },
	{ "edwin", "edwin" }, { "eleanor", "eleanor" }, { "elinor", "eleanor" },
	{ "eliza", "elizabeth" }, { "elizabeth", "elizabeth" }, { "elle", "eleanor" },
	{ "ellie", "eleanor" }, { "elsie", "elizabeth" }, { "em", "emily" },
	{ "emanuel", "emmanuel" }, { "emily", "emily" }, { "emmanuel", "emmanuel" },
	{ "emmy", "emily" }, { "ernest", "ernest" }, { "ernie", "ernest" }, { "essie", "esther" },
	{ "esther", "esther" }, { "etta", "henrietta" }, { "eugene", "eugene" },
	{ "eve", "evelyn" }, { "evelyn", "evelyn" }, { "evie", "evelyn" }, { "fanny", "frances" },
	{ "flo", "florence" }, { "florence", "florence" }, { "florrie", "florence" },
	{ "floss", "florence" }, { "fran", "frances" }, { "fran", "francis" },
	{ "frances", "frances" }, { "francis", "francis" }, { "frank", "francis" },
	{ "frankie", "frances" }, { "frankie", "francis" }, { "fred", "alfred" },
	{ "fred", "frederick" }, { "freda", "winifred" }, { "freddie", "alfred" },
	{ "freddie", "frederick" }, { "freddy", "frederick" }, { "frederic", "frederick" },
	{ "frederick", "frederick" }, { "gabe", "gabriel" }, { "gabriel", "gabriel" },
	{ "gail", "abigail" }, { "gareth", "gareth" }, { "gary", "gary" }, { "gary", "gurpreet" },
	{ "gaz", "gareth" }, { "gaz", "gary" }, { "ged", "gerald" }, { "gene", "eugene" },
	{ "geoff", "geoffrey" }, { "geoffrey", "geoffrey" }, { "geordie", "george" },
	{ "george", "george" }, { "georgia", "georgia" }, { "georgie", "george" },
	{ "georgie", "georgia" }, { "georgie", "georgina" }, { "georgina", "georgina" },
	{ "gerald", "gerald" }, { "gerry", "gerald" }, { "gertie", "gertrude" },
	{ "gertrude", "gertrude" }, { "gill", "gillian" }, { "gillian", "gillian" },
	{ "gilly", "gillian" }, { "gina", "georgina" }, { "ginny", "virginia" },
	{ "greg", "gregory" }, { "gregory", "gregory" }, { "greta", "margaret" },
	{ "gurpreet", "gurpreet" }, { "gus", "augustus" }, { "hal", "harold" }, { "hal", "henry" },
	{ "hank", "henry" }, { "happy", "harpreet" }, { "harold", "harold" },
	{ "harpreet", "harpreet" }, { "harriet", "harriet" }, { "harry", "harold" },
	{ "harry", "harpreet" }, { "harry", "henry" }, { "hattie", "harriet" },
	{ "hatty", "harriet" }, { "helen", "helen" }, { "henrietta", "henrietta" },
	{ "henry", "henry" }, { "herb", "herbert" }, { "herbert", "herbert" },
	{ "hettie", "esther" }, { "hettie", "henrietta" }, { "ibby", "ibrahim" },
	{ "ibi", "ibrahim" }, { "ibrahim", "ibrahim" }, { "irene", "irene" },
	{ "isabel", "isabella" }, { "isabella", "isabella" }, { "isabelle", "isabella" },
	{ "issy", "isabella" }, { "izzy", "isabella" }, { "jack", "john" },
	{ "jackie", "jacqueline" }, { "jacky", "jacqueline" }, { "jacob", "jacob" },
	{ "jacqueline", "jacqueline" }, { "jacqui", "jacqueline" }, { "jake", "jacob" },
	{ "james", "james" }, { "jamie", "james" }, { "jan", "janet" }, { "jan", "janice" },
	{ "jane", "jane" }, { "janet", "janet" }, { "janice", "janice" }, { "janie", "jane" },
	{ "jean", "jean" }, { "jeanie", "jean" }, { "jeff", "geoffrey" },
	{ "jeffrey", "geoffrey" }, { "jen", "jennifer" }, { "jenni", "jennifer" },
	{ "jennifer", "jennifer" }, { "jenny", "jennifer" }, { "jeremy", "jeremy" },
	{ "jerry", "gerald" }, { "jess", "jessica" }, { "jessica", "jessica" },
	{ "jessie", "jessica" }, { "jez", "jeremy" }, { "jill", "gillian" }, { "jim", "james" },
	{ "jimmie", "james" }, { "jimmy", "james" }, { "jo", "joanna" }, { "jo", "joanne" },
	{ "jo", "josephine" }, { "joan", "joan" }, { "joanie", "joan" }, { "joanna", "joanna" },
	{ "joanne", "joanne" }, { "joe", "joseph" }, { "joey", "joseph" }, { "john", "john" },
	{ "johnny", "john" }, { "jon", "jonathan" }, { "jonathan", "jonathan" },
	{ "jonny", "jonathan" }, { "jonty", "jonathan" }, { "joseph", "joseph" },
	{ "josephine", "josephine" }, { "josh", "joshua" }, { "joshua", "joshua" },
	{ "josie", "josephine" }, { "jude", "judith" }, { "judith", "judith" },
	{ "judy", "judith" }, { "jules", "julia" }, { "jules", "juliet" }, { "julia", "julia" },
	{ "juliet", "juliet" }, { "kasia", "katarzyna" }, { "kat", "catherine" },
	{ "kat", "katrina" }, { "katarzyna", "katarzyna" }, { "kate", "catherine" },
	{ "kate", "katarzyna" }, { "kate", "kathleen" }, { "kath", "catherine" },
	{ "kath", "kathleen" }, { "katharine", "catherine" }, { "katherine", "catherine" },
	{ "kathleen", "kathleen" }, { "kathryn", "catherine" }, { "kathy", "catherine" },
	{ "kathy", "kathleen" }, { "katie", "catherine" }, { "katie", "kathleen" },
	{ "katrina", "katrina" }, { "ken", "kenneth" }, { "kenneth", "kenneth" },
	{ "kenny", "kenneth" }, { "kev", "kevin" }, { "kevin", "kevin" }, { "kit", "christopher" },
	{ "kitty", "catherine" }, { "larry", "lawrence" }, { "laurence", "lawrence" },
	{ "laurie", "lawrence" }, { "lawrence", "lawrence" }, { "len", "leonard" },
	{ "lenny", "leonard" }, { "leo", "leopold" }, { "leo", "lionel" },
	{ "leonard", "leonard" }, { "leopold", "leopold" }, { "les", "leslie" },
	{ "leslie", "leslie" }, { "lewis", "lewis" }, { "lexi", "alexandra" },
	{ "liam", "william" }, { "libby", "elizabeth" }, { "lionel", "lionel" },
	{ "liz", "elizabeth" }, { "lizzie", "elizabeth" }, { "lizzy", "elizabeth" },
	{ "lotte", "charlotte" }, { "lottie", "charlotte" }, { "lou", "lewis" },
	{ "lou", "louis" }, { "lou", "louise" }, { "louis", "louis" }, { "louise", "louise" },
	{ "lulu", "louise" }, { "maddie", "madeleine" }, { "maddy", "madeleine" },
	{ "madeleine", "madeleine" }, { "madeline", "madeleine" }, { "madge", "margaret" },
	{ "mae", "mary" }, { "magda", "magdalena" }, { "magdalena", "magdalena" },
	{ "maggie", "margaret" }, { "mags", "margaret" }, { "maisie", "margaret" },
	{ "mamie", "mary" }, { "mandy", "amanda" }, { "mandy", "miranda" },
	{ "manny", "emmanuel" }, { "margaret", "margaret" }, { "marge", "margaret" },
	{ "marge", "marjorie" }, { "margie", "margaret" }, { "margie", "marjorie" },
	{ "marjorie", "marjorie" }, { "martha", "martha" }, { "martin", "martin" },
	{ "marty", "martha" }, { "marty", "martin" }, { "mary", "mary" }, { "matilda", "matilda" },
	{ "matt", "matthew" }, { "matthew", "matthew" }, { "mattie", "martha" },
	{ "mattie", "matilda" }, { "matty", "matthew" }, { "maureen", "maureen" },
	{ "maurice", "maurice" }, { "max", "maximilian" }, { "max", "maxwell" },
	{ "maximilian", "maximilian" }, { "maxwell", "maxwell" }, { "may", "mary" },
	{ "meg", "margaret" }, { "mel", "melanie" }, { "mel", "melissa" },
	{ "melanie", "melanie" }, { "melissa", "melissa" }, { "michael", "michael" },
	{ "mick", "michael" }, { "mickey", "michael" }, { "micky", "michael" },
	{ "mike", "michael" }, { "mikey", "michael" }, { "mildred", "mildred" },
	{ "millie", "amelia" }, { "millie", "mildred" }, { "milly", "amelia" },
	{ "milly", "mildred" }, { "miranda", "miranda" }, { "missy", "melissa" },
	{ "mitch", "mitchell" }, { "mitchell", "mitchell" }, { "mo", "maureen" },
	{ "mo", "maurice" }, { "mo", "muhammad" }, { "mohamad", "muhammad" },
	{ "mohamed", "muhammad" }, { "mohammad", "muhammad" }, { "mohammed", "muhammad" },
	{ "molly", "mary" }, { "montgomery", "montgomery" }, { "monty", "montgomery" },
	{ "muhammad", "muhammad" }, { "muhammed", "muhammad" }, { "nan", "anne" },
	{ "nancy", "anne" }, { "nat", "natalie" }, { "nat", "nathan" }, { "nat", "nathaniel" },
	{ "natalie", "natalie" }, { "natasha", "natasha" }, { "nate", "nathan" },
	{ "nate", "nathaniel" }, { "nathan", "nathan" }, { "nathan", "nathaniel" },
	{ "nathaniel", "nathaniel" }, { "ned", "edmund" }, { "ned", "edward" },
	{ "neil", "cornelius" }, { "nell", "eleanor" }, { "nell", "helen" },
	{ "nellie", "eleanor" }, { "nellie", "helen" }, { "nessie", "agnes" },
	{ "nev", "neville" }, { "neville", "neville" }, { "nic", "nicola" },
	{ "nicholas", "nicholas" }, { "nick", "nicholas" }, { "nicky", "nicholas" },
	{ "nicky", "nicola" }, { "nico", "nicholas" }, { "nicola", "nicola" }, { "nige", "nigel" },
	{ "nigel", "nigel" }, { "nikki", "nicola" }, { "norm", "norman" }, { "norman", "norman" },
	{ "olek", "aleksander" }, { "oliver", "oliver" }, { "ollie", "oliver" },
	{ "olly", "oliver" }, { "paddy", "patrick" }, { "pam", "pamela" }, { "pamela", "pamela" },
	{ "pat", "patricia" }, { "pat", "patrick" }, { "patricia", "patricia" },
	{ "patrick", "patrick" }, { "patsy", "patricia" }, { "patty", "patricia" },
	{ "peggy", "margaret" }, { "penelope", "penelope" }, { "penny", "penelope" },
	{ "percival", "percival" }, { "percy", "percival" }, { "pete", "peter" },
	{ "peter", "peter" }, { "phil", "philip" }, { "philip", "philip" },
	{ "philippa", "philippa" }, { "phillip", "philip" }, { "pip", "philip" },
	{ "pip", "philippa" }, { "pippa", "philippa" }, { "polly", "mary" },
	{ "priscilla", "priscilla" }, { "rab", "robert" }, { "randolph", "randolph" },
	{ "randy", "randolph" }, { "ray", "raymond" }, { "raymond", "raymond" },
	{ "rebecca", "rebecca" }, { "reg", "reginald" }, { "reggie", "reginald" },
	{ "reginald", "reginald" }, { "rene", "irene" }, { "rich", "richard" },
	{ "richard", "richard" }, { "richie", "richard" }, { "rick", "richard" },
	{ "ricky", "richard" }, { "rob", "robert" }, { "robbie", "robert" },
	{ "robert", "robert" }, { "rod", "rodney" }, { "rodge", "roger" }, { "rodney", "rodney" },
	{ "roger", "roger" }, { "ron", "ronald" }, { "ronald", "ronald" }, { "roni", "veronica" },
	{ "ronnie", "ronald" }, { "ronnie", "veronica" }, { "ros", "rosalind" },
	{ "rosalind", "rosalind" }, { "rosemary", "rosemary" }, { "rosie", "rosemary" },
	{ "roz", "rosalind" }, { "rupe", "rupert" }, { "rupert", "rupert" }, { "russ", "russell" },
	{ "russell", "russell" }, { "sadie", "sarah" }, { "sal", "sarah" }, { "sally", "sarah" },
	{ "sam", "samantha" }, { "sam", "samuel" }, { "samantha", "samantha" },
	{ "sammie", "samantha" }, { "sammy", "samantha" }, { "sammy", "samuel" },
	{ "samuel", "samuel" }, { "sandra", "alexandra" }, { "sandy", "alexander" },
	{ "sandy", "alexandra" }, { "sarah", "sarah" }, { "seb", "sebastian" },
	{ "sebastian", "sebastian" }, { "si", "simon" }, { "sid", "sidney" },
	{ "sidney", "sidney" }, { "simon", "simon" }, { "sol", "solomon" },
	{ "solomon", "solomon" }, { "soph", "sophia" }, { "sophia", "sophia" },
	{ "sophie", "sophia" }, { "stan", "stanley" }, { "stanley", "stanley" },
	{ "steph", "stephanie" }, { "stephanie", "stephanie" }, { "stephen", "stephen" },
	{ "steve", "stephen" }, { "steven", "stephen" }, { "stevie", "stephanie" },
	{ "stevie", "stephen" }, { "stewart", "stuart" }, { "stu", "stuart" },
	{ "stuart", "stuart" }, { "sue", "susan" }, { "sue", "susanna" }, { "susan", "susan" },
	{ "susanna", "susanna" }, { "susannah", "susanna" }, { "susie", "susan" },
	{ "susie", "susanna" }, { "suzy", "susan" }, { "suzy", "susanna" }, { "sydney", "sidney" },
	{ "tally", "natalie" }, { "tash", "natasha" }, { "tasha", "natasha" }, { "ted", "edward" },
	{ "ted", "theodore" }, { "teddy", "edward" }, { "teddy", "theodore" },
	{ "tel", "terence" }, { "terence", "terence" }, { "teresa", "teresa" },
	{ "terrence", "terence" }, { "terri", "teresa" }, { "terry", "terence" },
	{ "tess", "teresa" }, { "tessa", "teresa" }, { "theo", "theodore" },
	{ "theodore", "theodore" }, { "theresa", "teresa" }, { "thomas", "thomas" },
	{ "tilda", "matilda" }, { "tilly", "matilda" }, { "tim", "timothy" },
	{ "timmy", "timothy" }, { "timothy", "timothy" }, { "tina", "christine" },
	{ "tom", "thomas" }, { "tommy", "thomas" }, { "toni", "antoinette" },
	{ "tony", "anthony" }, { "tori", "victoria" }, { "trev", "trevor" },
	{ "trevor", "trevor" }, { "tricia", "patricia" }, { "trina", "katrina" },
	{ "trish", "patricia" }, { "trisha", "patricia" }, { "trudy", "gertrude" },
	{ "val", "valerie" }, { "valerie", "valerie" }, { "veronica", "veronica" },
	{ "vicki", "victoria" }, { "vickie", "victoria" }, { "vicky", "victoria" },
	{ "victoria", "victoria" }, { "vince", "vincent" }, { "vincent", "vincent" },
	{ "vinny", "vincent" }, { "virginia", "virginia" }, { "von", "yvonne" },
	{ "wally", "walter" }, { "walt", "walter" }, { "walter", "walter" }, { "wes", "wesley" },
	{ "wesley", "wesley" }, { "wilf", "wilfred" }, { "wilfred", "wilfred" },
	{ "wilfrid", "wilfred" }, { "will", "william" }, { "william", "william" },
	{ "willie", "william" }, { "wills", "william" }, { "win", "winifred" },
	{ "winifred", "winifred" }, { "winnie", "winifred" }, { "yvonne", "yvonne" },
	{ "zach", "zachary" }, { "zachary", "zachary" }, { "zack", "zachary" },
};
/* clang-format on */

enum { NNICKS = sizeof nicks / sizeof nicks[0] };

/* A name as two words whose order is the byte order of the name. */
typedef struct key {
	uint64_t hi, lo;
} key;

static uint64_t be64(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return __builtin_bswap64(v);
#else
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | (unsigned char)p[i];
	return v;
#endif
}

static key key_of(const char name[NICK_LEN])
{
	return (key){ be64(name), be64(name + 8) };
}

/* Order of a table name and a key, as strcmp. */
static int name_cmp(const char name[NICK_LEN], key k)
{
	uint64_t hi = be64(name);
	if (hi != k.hi)
		return hi < k.hi ? -1 : 1;
	uint64_t lo = be64(name + 8);
	return lo < k.lo ? -1 : lo > k.lo;
}

/* The first entry whose name is not below k (NNICKS if none). */
static size_t lower_bound(key k)
{
	size_t lo = 0, hi = NNICKS;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (name_cmp(nicks[mid].name, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entries of a name: *first and the count (0: not in the table). */
static size_t find(const char *name, size_t *first)
{
	char buf[NICK_LEN] = { 0 };
	size_t len = strnlen(name, NICK_LEN), n = 0;
	if (len == NICK_LEN)
		return 0;
	memcpy(buf, name, len);
	key k = key_of(buf);
	size_t i = lower_bound(k);
	while (i + n < NNICKS && name_cmp(nicks[i + n].name, k) == 0)
		n++;
	*first = i;
	return n;
}

bool jup_link_nickname(const char *a, const char *b)
{
	size_t ia = 0, ib = 0, na, nb;
	if (!a[0] || !b[0] || strcmp(a, b) == 0)
		return false;
	if ((na = find(a, &ia)) == 0 || (nb = find(b, &ib)) == 0)
		return false;
	for (size_t i = ia; i < ia + na; i++)
		for (size_t j = ib; j < ib + nb; j++)
			if (memcmp(nicks[i].group, nicks[j].group, NICK_LEN) == 0)
				return true;
	return false;
}

bool link_nick_table_ok(void)
{
	for (size_t i = 0; i < NNICKS; i++) {
		const nick *e = &nicks[i];
		if (e->name[NICK_LEN - 1] || e->group[NICK_LEN - 1])
			return false;
		if (i > 0) {
			int c = strcmp(nicks[i - 1].name, e->name);
			if (c > 0 || (c == 0 && strcmp(nicks[i - 1].group, e->group) >= 0))
				return false;
		}
		/* the group's own entry, found the way lookups find names */
		size_t g = 0, n = find(e->group, &g);
		bool self = false;
		for (size_t k = g; k < g + n; k++)
			self = self || strcmp(nicks[k].group, e->group) == 0;
		if (!self)
			return false;
	}
	return true;
}
