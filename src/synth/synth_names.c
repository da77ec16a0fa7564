/*
 * synth_names.c - names, streets and nicknames for the synthetic city.
 *
 * Family names carry weights roughly proportional to their frequency in
 * England and Wales (Smith far ahead, a long tail of rare names including
 * hyphenated and apostrophe names), grouped by the origin they suggest so
 * that a household's given and family names fit together. Given names
 * depend on sex and birth era (a woman born in 1935 is more likely Joan
 * than Olivia). Weights within a given-name list fall off with rank (Zipf).
 * The mix of origins varies with deprivation and with a few local
 * authorities whose populations are known to be more diverse. Every name is
 * common enough to describe nobody in particular.
 */
#include "synth/synth_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct fam {
	const char *name;
	uint16_t weight; /* roughly per 100,000 people */
	uint8_t group;
} fam;

#define B  SYNTH_G_BRITISH
#define SM SYNTH_G_SOUTH_ASIAN_MUSLIM
#define SO SYNTH_G_SOUTH_ASIAN_OTHER
#define BL SYNTH_G_BLACK
#define EE SYNTH_G_EAST_EUROPEAN
#define EA SYNTH_G_EAST_ASIAN
#define MX SYNTH_G_MIXED

/* clang-format off */
static const fam families[] = {
	{ "Smith", 1150, B }, { "Jones", 750, B }, { "Williams", 600, B }, { "Taylor", 500, B },
	{ "Brown", 480, B }, { "Davies", 420, B }, { "Evans", 330, B }, { "Wilson", 330, B },
	{ "Thomas", 300, B }, { "Johnson", 290, B }, { "Roberts", 300, B }, { "Robinson", 250, B },
	{ "Thompson", 250, B }, { "Wright", 250, B }, { "Walker", 240, B }, { "White", 230, B },
	{ "Edwards", 220, B }, { "Hughes", 220, B }, { "Green", 210, B }, { "Hall", 210, B },
	{ "Lewis", 200, B }, { "Harris", 200, B }, { "Clarke", 200, B }, { "Jackson", 190, B },
	{ "Wood", 190, B }, { "Turner", 180, B }, { "Martin", 180, B }, { "Cooper", 175, B },
	{ "Hill", 175, B }, { "Ward", 170, B }, { "Morris", 170, B }, { "Moore", 165, B },
	{ "Clark", 160, B }, { "Lee", 160, B }, { "King", 160, B }, { "Baker", 155, B },
	{ "Harrison", 155, B }, { "Morgan", 150, B }, { "Allen", 145, B }, { "James", 145, B },
	{ "Scott", 140, B }, { "Phillips", 140, B }, { "Watson", 135, B }, { "Davis", 130, B },
	{ "Parker", 130, B }, { "Price", 125, B }, { "Bennett", 125, B }, { "Young", 120, B },
	{ "Griffiths", 120, B }, { "Mitchell", 120, B }, { "Kelly", 120, B }, { "Cook", 120, B },
	{ "Carter", 120, B }, { "Richardson", 115, B }, { "Bailey", 115, B }, { "Collins", 115, B },
	{ "Bell", 110, B }, { "Shaw", 110, B }, { "Murphy", 110, B }, { "Miller", 105, B },
	{ "Cox", 105, B }, { "Richards", 100, B }, { "Marshall", 100, B }, { "Anderson", 100, B },
	{ "Simpson", 95, B }, { "Ellis", 95, B }, { "Adams", 95, B }, { "Wilkinson", 95, B },
	{ "Foster", 90, B }, { "Chapman", 90, B }, { "Powell", 90, B }, { "Webb", 88, B },
	{ "Rogers", 88, B }, { "Gray", 86, B }, { "Mason", 85, B }, { "Hunt", 82, B },
	{ "Campbell", 80, B }, { "Matthews", 80, B }, { "Owen", 80, B }, { "Palmer", 78, B },
	{ "Holmes", 78, B }, { "Mills", 76, B }, { "Barnes", 75, B }, { "Knight", 75, B },
	{ "Lloyd", 74, B }, { "Butler", 74, B }, { "Russell", 73, B }, { "Barker", 72, B },
	{ "Fisher", 72, B }, { "Stevens", 70, B }, { "Jenkins", 70, B }, { "Murray", 70, B },
	{ "Dixon", 70, B }, { "Harvey", 68, B }, { "Graham", 66, B }, { "Pearson", 66, B },
	{ "Fletcher", 62, B }, { "Walsh", 62, B }, { "Gibson", 60, B }, { "Howard", 60, B },
	{ "Andrews", 58, B }, { "Stewart", 58, B }, { "Elliott", 58, B }, { "Reynolds", 56, B },
	{ "Saunders", 55, B }, { "Payne", 55, B }, { "Fox", 54, B }, { "Ford", 54, B },
	{ "Pearce", 52, B }, { "Day", 52, B }, { "Brooks", 52, B }, { "West", 52, B },
	{ "Lawrence", 50, B }, { "Cole", 50, B }, { "Atkinson", 50, B }, { "Bradley", 50, B },
	{ "Spencer", 50, B }, { "Dawson", 48, B }, { "Ball", 48, B }, { "Burton", 48, B },
	{ "Watts", 46, B }, { "Rose", 46, B }, { "Booth", 46, B }, { "Perry", 46, B },
	{ "Ryan", 45, B }, { "Grant", 45, B }, { "Wells", 44, B }, { "Armstrong", 44, B },
	{ "Francis", 44, B }, { "Rees", 44, B }, { "Hayes", 43, B }, { "Hart", 43, B },
	{ "Hudson", 42, B }, { "Newman", 42, B }, { "Barrett", 42, B }, { "Webster", 41, B },
	{ "Hunter", 41, B }, { "Gregory", 40, B }, { "Carr", 40, B }, { "Lowe", 40, B },
	{ "Page", 40, B }, { "Marsh", 39, B }, { "Riley", 39, B }, { "Dunn", 38, B },
	{ "Woods", 38, B }, { "Parsons", 38, B }, { "Berry", 38, B }, { "Stone", 37, B },
	{ "Reid", 37, B }, { "Holland", 36, B }, { "Hawkins", 36, B }, { "Harding", 36, B },
	{ "Porter", 36, B }, { "Robertson", 35, B }, { "Newton", 35, B }, { "Oliver", 35, B },
	{ "Reed", 35, B }, { "Kennedy", 34, B }, { "Williamson", 34, B }, { "Bird", 34, B },
	{ "Gardner", 34, B }, { "Dean", 33, B }, { "Lane", 33, B }, { "Cooke", 33, B },
	{ "Bates", 33, B }, { "Henderson", 32, B }, { "Parry", 32, B }, { "Burgess", 32, B },
	{ "Bishop", 32, B }, { "Walton", 31, B }, { "Burns", 31, B }, { "Nicholson", 31, B },
	{ "Shepherd", 31, B }, { "Ross", 30, B }, { "Cross", 30, B }, { "Long", 30, B },
	{ "Freeman", 30, B }, { "Warren", 30, B }, { "Nicholls", 29, B }, { "Hamilton", 29, B },
	{ "Byrne", 29, B }, { "Sutton", 28, B }, { "McDonald", 28, B }, { "Yates", 28, B },
	{ "Hodgson", 28, B }, { "Robson", 28, B }, { "Curtis", 27, B }, { "Hopkins", 27, B },
	{ "O'Brien", 27, B }, { "Harper", 26, B }, { "Coleman", 26, B }, { "Watkins", 26, B },
	{ "Moss", 26, B }, { "McCarthy", 25, B }, { "Chambers", 25, B }, { "O'Neill", 24, B },
	{ "Griffin", 24, B }, { "Sharp", 24, B }, { "Hardy", 24, B }, { "Wheeler", 24, B },
	{ "Potter", 23, B }, { "Osborne", 23, B }, { "Johnston", 23, B }, { "Gordon", 23, B },
	{ "O'Connor", 22, B }, { "Doyle", 22, B }, { "Wallace", 22, B }, { "George", 22, B },
	{ "Jordan", 22, B }, { "Hutchinson", 22, B }, { "Lambert", 21, B }, { "Barber", 21, B },
	{ "Bentley", 20, B }, { "Kirk", 20, B }, { "Hartley", 20, B }, { "Sykes", 20, B },
	{ "Greenwood", 18, B }, { "Dobson", 15, B }, { "Rhodes", 15, B }, { "Hirst", 14, B },
	{ "Sutcliffe", 14, B }, { "Quinn", 14, B }, { "Firth", 12, B }, { "Lister", 12, B },
	{ "Wainwright", 12, B }, { "Blackburn", 12, B }, { "Metcalfe", 12, B }, { "Marsden", 12, B },
	{ "Naylor", 12, B }, { "O'Sullivan", 12, B }, { "Gallagher", 12, B }, { "Haigh", 10, B },
	{ "Crowther", 10, B }, { "Whiteley", 10, B }, { "O'Reilly", 10, B }, { "McKenzie", 10, B },
	{ "Fitzgerald", 10, B }, { "Duffy", 10, B }, { "Lynch", 10, B }, { "Flynn", 10, B },
	{ "Crossley", 9, B }, { "Ingham", 9, B }, { "Ogden", 9, B }, { "Pollard", 9, B },
	{ "O'Donnell", 9, B }, { "Brennan", 9, B }, { "Horsfall", 8, B }, { "Ackroyd", 8, B },
	{ "Illingworth", 8, B }, { "Holroyd", 8, B }, { "Priestley", 8, B }, { "Ramsden", 8, B },
	{ "Fawcett", 8, B }, { "Kaye", 8, B }, { "O'Hara", 8, B }, { "MacLeod", 8, B },
	{ "Sweeney", 8, B }, { "Nolan", 8, B }, { "Whitfield", 8, B }, { "Kershaw", 8, B },
	{ "Pickles", 7, B }, { "Moorhouse", 7, B }, { "Barraclough", 7, B }, { "Speight", 6, B },
	{ "Lumb", 6, B }, { "Binns", 6, B }, { "Sugden", 6, B }, { "Kavanagh", 6, B },
	{ "Regan", 6, B }, { "Costello", 6, B }, { "Thackray", 5, B }, { "Hainsworth", 5, B },
	{ "Jowett", 5, B }, { "Devlin", 5, B }, { "Normington", 4, B }, { "Pickersgill", 4, B },
	{ "Tordoff", 3, B }, { "D'Arcy", 3, B }, { "St John", 2, B }, { "Fraser-Lee", 2, B },
	{ "Lloyd-Davies", 2, B }, { "Pryce-Evans", 2, B }, { "Vaughan-Thomas", 2, B },
	{ "Hartley-Booth", 2, B }, { "Moss-Bailey", 2, B }, { "Ashby-Cole", 2, B },
	{ "Lindqvist-Hale", 1, B },
	{ "Khan", 180, SM }, { "Hussain", 170, SM }, { "Ahmed", 160, SM }, { "Ali", 150, SM },
	{ "Begum", 80, SM }, { "Rahman", 60, SM }, { "Mohammed", 60, SM }, { "Iqbal", 50, SM },
	{ "Mahmood", 50, SM }, { "Akhtar", 45, SM }, { "Malik", 40, SM }, { "Chaudhry", 30, SM },
	{ "Islam", 30, SM }, { "Uddin", 30, SM }, { "Miah", 30, SM }, { "Butt", 30, SM },
	{ "Bibi", 25, SM }, { "Rehman", 25, SM }, { "Choudhury", 25, SM }, { "Rashid", 25, SM },
	{ "Aslam", 20, SM }, { "Qureshi", 20, SM }, { "Sheikh", 20, SM }, { "Hanif", 15, SM },
	{ "Yousaf", 15, SM }, { "Anwar", 15, SM }, { "Bashir", 15, SM }, { "Nawaz", 15, SM },
	{ "Javed", 12, SM }, { "Riaz", 12, SM }, { "Zaman", 12, SM }, { "Karim", 12, SM },
	{ "Latif", 12, SM }, { "Siddiqui", 12, SM }, { "Saddique", 10, SM },
	{ "Patel", 250, SO }, { "Singh", 150, SO }, { "Kaur", 100, SO }, { "Sharma", 40, SO },
	{ "Kumar", 40, SO }, { "Shah", 40, SO }, { "Gill", 40, SO }, { "Mistry", 30, SO },
	{ "Parmar", 30, SO }, { "Sandhu", 30, SO }, { "Chauhan", 20, SO }, { "Solanki", 20, SO },
	{ "Desai", 20, SO }, { "Joshi", 20, SO }, { "Sidhu", 20, SO }, { "Dhillon", 20, SO },
	{ "Mann", 20, SO }, { "Gupta", 20, SO }, { "Mehta", 20, SO }, { "Bains", 15, SO },
	{ "Lal", 12, SO }, { "Rana", 12, SO }, { "Nair", 12, SO }, { "Bhatt", 12, SO },
	{ "Virdi", 10, SO }, { "D'Souza", 10, SO }, { "Fernandes", 10, SO }, { "Chopra", 10, SO },
	{ "Naidoo", 8, SO }, { "Pillai", 8, SO }, { "Thakkar", 8, SO }, { "Lad", 6, SO },
	{ "Carter-Singh", 1, SO },
	{ "Okafor", 20, BL }, { "Adeyemi", 20, BL }, { "Mensah", 20, BL }, { "Mohamud", 20, BL },
	{ "Abdi", 20, BL }, { "Adebayo", 18, BL }, { "Asante", 15, BL }, { "Okoye", 15, BL },
	{ "Boateng", 15, BL }, { "Osman", 15, BL }, { "Owusu", 15, BL }, { "Warsame", 12, BL },
	{ "Okonkwo", 12, BL }, { "Nwosu", 10, BL }, { "Eze", 10, BL }, { "Appiah", 10, BL },
	{ "Moyo", 10, BL }, { "Balogun", 10, BL }, { "Kamara", 10, BL }, { "Ndlovu", 8, BL },
	{ "Ogunleye", 8, BL }, { "Baptiste", 8, BL }, { "Oyelaran", 6, BL }, { "Bangura", 6, BL },
	{ "Conteh", 6, BL }, { "Mwangi", 6, BL }, { "Tesfaye", 6, BL }, { "Haile", 6, BL },
	{ "Otieno", 5, BL }, { "Alleyne", 5, BL }, { "Oyelaran-Whitfield", 2, BL },
	{ "Hassan-Ward", 1, BL }, { "Okoro-Bennett", 1, BL },
	{ "Nowak", 20, EE }, { "Kowalski", 12, EE }, { "Kowalska", 10, EE }, { "Popescu", 10, EE },
	{ "Wisniewski", 8, EE }, { "Wojcik", 8, EE }, { "Kaminski", 8, EE }, { "Lewandowski", 8, EE },
	{ "Popa", 8, EE }, { "Zielinski", 6, EE }, { "Szymanski", 6, EE }, { "Wozniak", 6, EE },
	{ "Ionescu", 6, EE }, { "Horvath", 6, EE }, { "Kovacs", 6, EE }, { "Novak", 6, EE },
	{ "Petrov", 6, EE }, { "Kazlauskas", 6, EE }, { "Dimitrov", 5, EE }, { "Balogh", 4, EE },
	{ "Ivanova", 4, EE }, { "Ozola", 4, EE }, { "Jankauskas", 4, EE }, { "Georgiev", 4, EE },
	{ "Hoxha", 4, EE }, { "Krasniqi", 4, EE },
	{ "Chen", 20, EA }, { "Wong", 20, EA }, { "Li", 20, EA }, { "Zhang", 15, EA },
	{ "Wang", 15, EA }, { "Nguyen", 15, EA }, { "Chan", 15, EA }, { "Liu", 10, EA },
	{ "Lam", 10, EA }, { "Cheung", 10, EA }, { "Tran", 8, EA }, { "Ho", 8, EA },
	{ "Yang", 6, EA }, { "Huang", 6, EA }, { "Kim", 6, EA }, { "Zhou", 4, EA },
	{ "Park", 4, EA },
	{ "Yilmaz", 8, MX }, { "Kaya", 6, MX }, { "Hosseini", 6, MX }, { "Ahmadi", 6, MX },
	{ "Abbas", 6, MX }, { "Demir", 5, MX }, { "Karimi", 5, MX }, { "Rezaei", 4, MX },
	{ "Haddad", 4, MX }, { "Saleh", 4, MX }, { "Da Silva", 5, MX }, { "Santos", 5, MX },
	{ "Rossi", 4, MX }, { "Garcia", 5, MX }, { "Murphy-Okafor", 1, MX },
};

/* given-name lists: British by era (0: before 1950, 1: 1950-69, 2: 1970-89,
 * 3: 1990-2004, 4: 2005 on), then one list per other origin; men then women */
enum { NLISTS = 20, LIST_MAX = 31 };
static const char *const given[NLISTS][LIST_MAX] = {
	{ "John", "William", "George", "Arthur", "Kenneth", "Ronald", "Peter", "Roy", "Dennis",
	  "Frederick", "Albert", "Harold", "Raymond", "Leonard", "Stanley", "Norman", "Eric",
	  "Douglas", "Donald", "Ernest", "Walter", "Alan", "Derek", "Brian", "Thomas", "James",
	  "Robert", "Frank", "Geoffrey", "Gordon" },
	{ "David", "John", "Michael", "Peter", "Robert", "Paul", "Stephen", "Richard", "Andrew",
	  "Christopher", "Anthony", "Mark", "Ian", "Alan", "Keith", "Gary", "Kevin", "Philip",
	  "Graham", "Nigel", "Martin", "Timothy", "Trevor", "Barry", "Colin", "Steven", "Neil",
	  "Terence", "Malcolm", "William" },
	{ "Paul", "Mark", "David", "Andrew", "Richard", "Christopher", "James", "Simon", "Michael",
	  "Matthew", "Stephen", "Lee", "Jason", "Darren", "Daniel", "Robert", "Craig", "Scott",
	  "Gareth", "Wayne", "Jonathan", "Dean", "Neil", "Carl", "Anthony", "Steven", "Adam",
	  "Thomas", "Benjamin", "Ryan" },
	{ "Thomas", "James", "Jack", "Daniel", "Matthew", "Ryan", "Joshua", "Luke", "Samuel",
	  "Jordan", "Adam", "Michael", "Alexander", "Christopher", "Benjamin", "Joseph", "Liam",
	  "Callum", "Lewis", "Jake", "Connor", "Nathan", "William", "Kieran", "Bradley", "Harry",
	  "Charlie", "Oliver", "Aaron", "Dylan" },
	{ "Oliver", "Jack", "Harry", "George", "Noah", "Charlie", "Jacob", "Alfie", "Freddie",
	  "Oscar", "Leo", "Archie", "Thomas", "Joshua", "William", "James", "Henry", "Theo",
	  "Arthur", "Max", "Isaac", "Lucas", "Ethan", "Logan", "Mason", "Teddy", "Finley", "Riley",
	  "Alexander", "Edward" },
	{ "Margaret", "Mary", "Joan", "Dorothy", "Patricia", "Jean", "Betty", "Doris", "Joyce",
	  "Irene", "Elizabeth", "Sheila", "Barbara", "Eileen", "Audrey", "Kathleen", "Edna",
	  "Pamela", "Sylvia", "Marjorie", "Vera", "Winifred", "Hilda", "Brenda", "Maureen",
	  "Valerie", "Elsie", "Ivy", "Gladys", "Mavis" },
	{ "Susan", "Linda", "Christine", "Margaret", "Janet", "Patricia", "Carol", "Elizabeth",
	  "Mary", "Anne", "Julie", "Karen", "Jacqueline", "Deborah", "Gillian", "Sandra", "Lesley",
	  "Pauline", "Angela", "Diane", "Jennifer", "Kathleen", "Wendy", "Elaine", "Alison",
	  "Sarah", "Catherine", "Helen", "Jane", "Beverley" },
	{ "Sarah", "Claire", "Nicola", "Emma", "Lisa", "Joanne", "Michelle", "Helen", "Samantha",
	  "Karen", "Amanda", "Rachel", "Louise", "Julie", "Clare", "Rebecca", "Gemma", "Kelly",
	  "Victoria", "Laura", "Elizabeth", "Catherine", "Donna", "Kerry", "Natalie", "Jennifer",
	  "Stacey", "Hayley", "Katie", "Kirsty" },
	{ "Rebecca", "Lauren", "Jessica", "Charlotte", "Hannah", "Sophie", "Amy", "Emily", "Laura",
	  "Chloe", "Emma", "Sarah", "Danielle", "Megan", "Bethany", "Katie", "Jade", "Samantha",
	  "Rachel", "Georgia", "Holly", "Natasha", "Abigail", "Olivia", "Ellie", "Lucy", "Amber",
	  "Leah", "Shannon", "Courtney" },
	{ "Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Mia", "Poppy", "Ella",
	  "Lily", "Evie", "Isabella", "Sophie", "Ivy", "Freya", "Harper", "Willow", "Charlotte",
	  "Florence", "Daisy", "Ruby", "Evelyn", "Phoebe", "Sienna", "Millie", "Matilda",
	  "Isabelle", "Rosie", "Esme" },
	{ "Mohammed", "Muhammad", "Ahmed", "Ali", "Imran", "Tariq", "Asif", "Zahid", "Bilal",
	  "Usman", "Hamza", "Ibrahim", "Yusuf", "Omar", "Adam", "Zain", "Ayaan", "Rizwan", "Shahid",
	  "Kamran", "Faisal", "Abdul", "Haroon", "Irfan", "Nadeem" },
	{ "Raj", "Sanjay", "Vijay", "Amit", "Rohan", "Arjun", "Harpreet", "Gurpreet", "Jaspal",
	  "Manjit", "Sunil", "Anil", "Ravi", "Deepak", "Nikhil", "Vikram", "Kiran", "Rajesh",
	  "Hardeep", "Jaswinder" },
	{ "Emmanuel", "Samuel", "Daniel", "David", "Joseph", "Kwame", "Kofi", "Chinedu",
	  "Oluwaseun", "Tunde", "Abdi", "Mohamed", "Ahmed", "Isaac", "Michael", "Tyrone", "Marcus",
	  "Jermaine", "Andre", "Delroy" },
	{ "Piotr", "Tomasz", "Krzysztof", "Pawel", "Michal", "Marcin", "Jakub", "Kacper", "Andrei",
	  "Ionut", "Mihai", "Bogdan", "Vasile", "Marius", "Jonas", "Mantas", "Dmitri", "Aleksander",
	  "Adrian", "Lukasz" },
	{ "Wei", "Jun", "Hao", "Ming", "Jian", "Kai", "Minh", "Duc", "Tuan", "Chi", "Long", "Jin",
	  "Yang", "Hoang", "Ka Wai" },
	{ "Fatima", "Aisha", "Ayesha", "Zainab", "Maryam", "Amina", "Sana", "Nadia", "Samina",
	  "Shazia", "Rubina", "Nasreen", "Hina", "Iqra", "Hafsa", "Khadija", "Sadia", "Safiya",
	  "Noor", "Zara", "Anisa", "Yasmin", "Shabana", "Parveen", "Haleema" },
	{ "Priya", "Anjali", "Sunita", "Neha", "Pooja", "Harpreet", "Manpreet", "Simran", "Kiran",
	  "Rupinder", "Meena", "Asha", "Nisha", "Divya", "Jaspreet", "Kavita", "Shreya", "Anita",
	  "Rekha", "Sonia" },
	{ "Grace", "Blessing", "Precious", "Abigail", "Esther", "Faith", "Chioma", "Ngozi",
	  "Adaeze", "Amara", "Fadumo", "Hodan", "Ayan", "Deborah", "Ruth", "Marcia", "Shanice",
	  "Tanisha", "Janelle", "Kemi" },
	{ "Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Monika", "Natalia", "Zuzanna",
	  "Maria", "Elena", "Ioana", "Andreea", "Alina", "Raluca", "Ieva", "Laura", "Oksana",
	  "Irina", "Daria", "Julia" },
	{ "Mei", "Xin", "Li", "Ying", "Hui", "Lan", "Ling", "Yan", "Linh", "Mai", "Ngoc", "Xiao",
	  "Jia", "Yu", "Hua" },
};

static const struct {
	const char *formal, *nick[2];
} nicknames[] = {
	{ "William", { "Bill", "Will" } }, { "Robert", { "Bob", "Rob" } },
	{ "Margaret", { "Peggy", "Maggie" } }, { "Elizabeth", { "Liz", "Betty" } },
	{ "Richard", { "Dick", "Rich" } }, { "James", { "Jim", "Jimmy" } },
	{ "Thomas", { "Tom", "Tommy" } }, { "Michael", { "Mike", "Mick" } },
	{ "Christopher", { "Chris", "Kit" } }, { "Anthony", { "Tony", "Tony" } },
	{ "Edward", { "Ted", "Eddie" } }, { "Catherine", { "Cathy", "Kate" } },
	{ "Jennifer", { "Jenny", "Jen" } }, { "Patricia", { "Pat", "Trish" } },
	{ "Susan", { "Sue", "Susie" } }, { "Deborah", { "Debbie", "Deb" } },
	{ "Rebecca", { "Becky", "Becca" } }, { "Alexander", { "Alex", "Sandy" } },
	{ "Daniel", { "Dan", "Danny" } }, { "Matthew", { "Matt", "Matt" } },
	{ "Samuel", { "Sam", "Sammy" } }, { "Benjamin", { "Ben", "Benny" } },
	{ "Joseph", { "Joe", "Joey" } }, { "Jonathan", { "Jon", "Jonny" } },
	{ "David", { "Dave", "Davy" } }, { "Stephen", { "Steve", "Steve" } },
	{ "Steven", { "Steve", "Steve" } }, { "Peter", { "Pete", "Pete" } },
	{ "Andrew", { "Andy", "Drew" } }, { "Frederick", { "Fred", "Freddie" } },
	{ "Albert", { "Bert", "Al" } }, { "Dorothy", { "Dot", "Dolly" } },
	{ "Barbara", { "Babs", "Barb" } }, { "Victoria", { "Vicky", "Tori" } },
	{ "Samantha", { "Sam", "Sammy" } }, { "Charlotte", { "Charlie", "Lottie" } },
	{ "Kenneth", { "Ken", "Kenny" } }, { "Ronald", { "Ron", "Ronnie" } },
	{ "Harold", { "Harry", "Hal" } }, { "Henry", { "Harry", "Hal" } },
	{ "Charles", { "Charlie", "Chas" } }, { "Christine", { "Chris", "Chrissie" } },
	{ "Pamela", { "Pam", "Pam" } }, { "Valerie", { "Val", "Val" } },
	{ "Beverley", { "Bev", "Bev" } }, { "Gillian", { "Gill", "Jill" } },
	{ "Philip", { "Phil", "Pip" } }, { "Timothy", { "Tim", "Timmy" } },
	{ "Leonard", { "Len", "Lenny" } }, { "Raymond", { "Ray", "Ray" } },
	{ "Terence", { "Terry", "Tel" } }, { "Jacqueline", { "Jackie", "Jacqui" } },
	{ "Natalie", { "Nat", "Tally" } }, { "Abigail", { "Abby", "Gail" } },
	{ "Oliver", { "Ollie", "Olly" } }, { "Jessica", { "Jess", "Jessie" } },
	{ "Nicola", { "Nicky", "Nic" } }, { "Joanne", { "Jo", "Jo" } },
	{ "Kathleen", { "Kath", "Kathy" } }, { "Winifred", { "Winnie", "Freda" } },
	{ "Mohammed", { "Mo", "Mo" } }, { "Muhammad", { "Mo", "Mo" } },
	{ "Ibrahim", { "Ibby", "Ibi" } }, { "Katarzyna", { "Kasia", "Kate" } },
	{ "Aleksander", { "Olek", "Alex" } }, { "Emmanuel", { "Manny", "Manny" } },
	{ "Gurpreet", { "Gary", "Gary" } }, { "Harpreet", { "Harry", "Happy" } },
	{ "Isabella", { "Bella", "Izzy" } }, { "Eleanor", { "Ellie", "Nell" } },
};

static const char *const street_bases[] = {
	"Larch", "Oak", "Ash", "Beech", "Elm", "Willow", "Hawthorn", "Rowan", "Holly", "Hazel",
	"Birch", "Chestnut", "Cedar", "Maple", "Sycamore", "Poplar", "Alder", "Juniper", "Laurel",
	"Primrose", "Bluebell", "Heather", "Foxglove", "Meadow", "Orchard", "Mill", "Church",
	"Station", "Park", "Victoria", "Albert", "Queen's", "King's", "Windsor", "York",
	"Lancaster", "Clarence", "Grange", "Manor", "Hall", "Springfield", "Fairfield",
	"Highfield", "Brookfield", "Westfield", "Green", "Hill", "Brook", "Moor", "Valley",
	"Riverside", "Canal", "Ridge", "Beacon", "Kestrel", "Falcon", "Heron", "Swallow", "Lark",
	"Wren", "Robin", "Linnet", "Carlton", "Belmont", "Stanley", "Gladstone", "Nelson",
	"Wellington", "Cavendish", "Chatsworth", "Dale", "Woodland", "Greenway", "Ashfield",
	"Thornhill", "Oakwood", "Elmfield", "Rosemont", "Bramley", "Harewood", "Whinmoor",
	"Cliffe", "Stonegate", "Millbank", "Sandford", "Cross", "Low", "Top", "Far", "New",
};

static const char *const street_kinds[] = {
	"Road", "Street", "Avenue", "Grove", "Close", "Lane", "Drive", "Terrace", "Crescent",
	"Way", "Court", "Gardens", "Walk", "Place", "Rise", "View", "Mount", "Mews", "Square",
	"Row", "Road", "Street", "Avenue", "Grove",
};
/* clang-format on */

#define NFAM (sizeof families / sizeof families[0])

struct synth_names {
	uint16_t fam_idx[SYNTH_G__COUNT][NFAM];
	uint32_t fam_cum[SYNTH_G__COUNT][NFAM];
	size_t fam_n[SYNTH_G__COUNT];
	uint32_t given_cum[NLISTS][LIST_MAX];
	size_t given_n[NLISTS];
};

jup_status synth_names_prepare(synth_names **out)
{
	synth_names *n = calloc(1, sizeof *n);
	if (!n)
		return JUP_ERR_NOMEM;
	for (size_t i = 0; i < NFAM; i++) {
		int groups[2] = {families[i].group, SYNTH_G_MIXED};
		int ng = families[i].group == SYNTH_G_MIXED ? 1 : 2;
		for (int k = 0; k < ng; k++) {
			int g = groups[k];
			size_t j = n->fam_n[g]++;
			n->fam_idx[g][j] = (uint16_t)i;
			n->fam_cum[g][j] = (j ? n->fam_cum[g][j - 1] : 0) + families[i].weight;
		}
	}
	for (int l = 0; l < NLISTS; l++) {
		uint32_t cum = 0;
		size_t k = 0;
		for (; k < LIST_MAX && given[l][k]; k++) {
			cum += 3000u / (uint32_t)(k + 4);
			n->given_cum[l][k] = cum;
		}
		n->given_n[l] = k;
	}
	*out = n;
	return JUP_OK;
}

void synth_names_free(synth_names *n)
{
	free(n);
}

static const struct {
	const char *lad;
	uint8_t mult[SYNTH_G__COUNT]; /* x10 */
} lad_mix[] = {
    {"Bradford", {10, 45, 12, 10, 10, 10, 10}},
    {"Birmingham", {10, 30, 15, 22, 10, 12, 14}},
    {"Leicester", {10, 18, 60, 14, 12, 10, 12}},
    {"Manchester", {10, 22, 10, 18, 12, 18, 14}},
    {"Tower Hamlets", {10, 60, 10, 14, 12, 14, 14}},
    {"Newham", {10, 35, 35, 30, 20, 14, 14}},
    {"Slough", {10, 35, 35, 12, 20, 10, 12}},
    {"Luton", {10, 35, 12, 16, 20, 10, 12}},
    {"Blackburn with Darwen", {10, 40, 20, 4, 6, 4, 8}},
    {"Oldham", {10, 30, 6, 6, 8, 4, 8}},
    {"Kirklees", {10, 22, 12, 8, 10, 6, 10}},
    {"Southend-on-Sea", {10, 6, 10, 10, 10, 10, 10}},
    {"Sheffield", {10, 12, 8, 12, 10, 14, 12}},
};

int synth_name_group(synth_rng *r, int decile, const char *lad_name)
{
	/* base mix per 1,000 households, adjusted for deprivation and place */
	static const double base[SYNTH_G__COUNT] = {770, 75, 45, 45, 35, 15, 15};
	double w[SYNTH_G__COUNT], total = 0;
	double dep = 1.0 + 0.12 * (5.5 - decile);
	for (int g = 0; g < SYNTH_G__COUNT; g++) {
		w[g] = base[g];
		if (g == SYNTH_G_SOUTH_ASIAN_MUSLIM || g == SYNTH_G_BLACK ||
		    g == SYNTH_G_EAST_EUROPEAN)
			w[g] *= dep;
	}
	for (size_t i = 0; i < sizeof lad_mix / sizeof lad_mix[0]; i++)
		if (strcmp(lad_mix[i].lad, lad_name) == 0)
			for (int g = 0; g < SYNTH_G__COUNT; g++)
				w[g] *= lad_mix[i].mult[g] / 10.0;
	for (int g = 0; g < SYNTH_G__COUNT; g++)
		total += w[g];
	double x = synth_rng_unit(r) * total;
	for (int g = 0; g < SYNTH_G__COUNT; g++) {
		if (x < w[g])
			return g;
		x -= w[g];
	}
	return SYNTH_G_BRITISH;
}

const char *synth_family_name(const synth_names *n, synth_rng *r, int group)
{
	size_t k = synth_rng_pick(r, n->fam_cum[group], n->fam_n[group]);
	return families[n->fam_idx[group][k]].name;
}

static int era_of(int birth_year)
{
	if (birth_year < 1950)
		return 0;
	if (birth_year < 1970)
		return 1;
	if (birth_year < 1990)
		return 2;
	if (birth_year < 2005)
		return 3;
	return 4;
}

const char *synth_given_name(const synth_names *n, synth_rng *r, int group, char sex,
                             int birth_year)
{
	int female = sex == 'F';
	int list;
	if (group == SYNTH_G_BRITISH || group == SYNTH_G_MIXED)
		list = female * 5 + era_of(birth_year);
	else
		list = 10 + female * 5 + (group - 1);
	size_t k = synth_rng_pick(r, n->given_cum[list], n->given_n[list]);
	return given[list][k];
}

const char *synth_nickname(const char *g, synth_rng *r)
{
	for (size_t i = 0; i < sizeof nicknames / sizeof nicknames[0]; i++)
		if (strcmp(nicknames[i].formal, g) == 0)
			return nicknames[i].nick[synth_rng_below(r, 2)];
	return NULL;
}

const char *synth_street_name(synth_rng *r, char *out, size_t cap)
{
	const char *base =
	    street_bases[synth_rng_below(r, sizeof street_bases / sizeof street_bases[0])];
	const char *kind =
	    street_kinds[synth_rng_below(r, sizeof street_kinds / sizeof street_kinds[0])];
	size_t a = strlen(base), b = strlen(kind);
	if (a + 1 + b + 1 > cap) {
		out[0] = '\0';
		return out;
	}
	memcpy(out, base, a);
	out[a] = ' ';
	memcpy(out + a + 1, kind, b + 1);
	return out;
}

const char *synth_place_word(synth_rng *r)
{
	/* the first 62 bases are single words that read well in names */
	const char *w;
	do
		w = street_bases[synth_rng_below(r, 62)];
	while (strchr(w, '\''));
	return w;
}

/* A contact is nobody in the city: any list of the sex asked for (of the
 * ten: five birth eras of British names, five origin groups), uniformly,
 * by key alone; the family name from the list's origin group. */
void jup_synth_contact_name(uint64_t key, char sex, char *out, size_t cap)
{
	synth_rng r;
	jup_rng_seed(&r, key);
	int female = sex == 'F' ? 1 : sex == 'M' ? 0 : (int)synth_rng_below(&r, 2);
	int k10 = (int)synth_rng_below(&r, 10);
	int list = k10 < 5 ? female * 5 + k10 : 10 + female * 5 + (k10 - 5);
	int group = k10 < 5 ? SYNTH_G_BRITISH : k10 - 5 + 1;
	uint32_t ngiven = 0, nfam = 0;
	while (ngiven < LIST_MAX && given[list][ngiven])
		ngiven++;
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		nfam += families[i].group == group;
	const char *g = given[list][synth_rng_below(&r, ngiven)];
	uint32_t k = synth_rng_below(&r, nfam);
	const char *f = families[0].name;
	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		if (families[i].group == group && k-- == 0) {
			f = families[i].name;
			break;
		}
	size_t a = strlen(g), b = strlen(f);
	if (cap == 0)
		return;
	if (a + 1 + b + 1 > cap) {
		out[0] = '\0';
		return;
	}
	memcpy(out, g, a);
	out[a] = ' ';
	memcpy(out + a + 1, f, b + 1);
}
